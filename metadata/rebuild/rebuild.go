package rebuild

import (
	"fmt"
	"sort"
)

// Strategy selects which components a rebuild plan includes; the last
// three are MBS's rebuild strategies.
type Strategy string

const (
	// Dependents rebuilds the changed components and everything that
	// build-requires them, directly or not (the build-time reverse closure).
	Dependents Strategy = "dependents"
	// All rebuilds every component.
	All Strategy = "all"
	// ChangedAndAfter rebuilds the changed components and every component
	// in a tier at or after the first tier holding a changed one.
	ChangedAndAfter Strategy = "changed-and-after"
	// OnlyChanged rebuilds only the changed components.
	OnlyChanged Strategy = "only-changed"
)

// Plan is an ordered rebuild: Tiers[i] only build-requires components of
// Tiers[0..i] (components of one cycle share a tier).
type Plan struct {
	Tiers  [][]string `json:"tiers"`
	Cycles [][]string `json:"cycles,omitempty"`
}

// Tiers plans the rebuild of changed source components. needs maps
// each component to the components it build-requires (edges to unknown
// components are ignored). Cycles (Tarjan's strongly connected
// components) are collapsed into one tier and reported with their members.
func Tiers(needs map[string][]string, changed []string, strategy Strategy) (*Plan, error) {
	for _, c := range changed {
		if _, ok := needs[c]; !ok {
			return nil, fmt.Errorf("rebuild: unknown component %q", c)
		}
	}
	names := make([]string, 0, len(needs))
	for n := range needs {
		names = append(names, n)
	}
	sort.Strings(names)
	idx := make(map[string]int, len(names))
	for i, n := range names {
		idx[n] = i
	}
	adj := make([][]int, len(names))
	rev := make([][]int, len(names))
	for i, n := range names {
		deps := append([]string(nil), needs[n]...)
		sort.Strings(deps)
		for _, d := range deps {
			if j, ok := idx[d]; ok {
				adj[i] = append(adj[i], j)
				rev[j] = append(rev[j], i)
			}
		}
	}
	comp, ncomp := tarjan(adj)
	// tier of each SCC over the whole graph: 0 when it needs nothing else
	members := make([][]int, ncomp)
	for v, c := range comp {
		members[c] = append(members[c], v)
	}
	tier := make([]int, ncomp)
	// Tarjan numbers SCCs in reverse topological order: dependencies first.
	for c := 0; c < ncomp; c++ {
		for _, v := range members[c] {
			for _, w := range adj[v] {
				if comp[w] != c && tier[comp[w]]+1 > tier[c] {
					tier[c] = tier[comp[w]] + 1
				}
			}
		}
	}
	selected := make([]bool, len(names))
	switch strategy {
	case All:
		for i := range selected {
			selected[i] = true
		}
	case OnlyChanged:
		for _, c := range changed {
			selected[idx[c]] = true
		}
	case ChangedAndAfter:
		first := -1
		for _, c := range changed {
			if t := tier[comp[idx[c]]]; first < 0 || t < first {
				first = t
			}
		}
		for v := range names {
			if first >= 0 && tier[comp[v]] >= first {
				selected[v] = true
			}
		}
	case Dependents, "":
		queue := []int{}
		for _, c := range changed {
			if !selected[idx[c]] {
				selected[idx[c]] = true
				queue = append(queue, idx[c])
			}
		}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, u := range rev[v] {
				if !selected[u] {
					selected[u] = true
					queue = append(queue, u)
				}
			}
		}
	default:
		return nil, fmt.Errorf("rebuild: unknown strategy %q", strategy)
	}
	// Tiers among the selected: longest chain of selected dependencies.
	sub := make([]int, ncomp)
	for c := 0; c < ncomp; c++ {
		sub[c] = -1
	}
	plan := &Plan{}
	for c := 0; c < ncomp; c++ {
		in := false
		for _, v := range members[c] {
			if selected[v] {
				in = true
			}
		}
		if !in {
			continue
		}
		t := 0
		for _, v := range members[c] {
			for _, w := range adj[v] {
				if comp[w] != c && sub[comp[w]] >= 0 && sub[comp[w]]+1 > t {
					t = sub[comp[w]] + 1
				}
			}
		}
		sub[c] = t
		for len(plan.Tiers) <= t {
			plan.Tiers = append(plan.Tiers, nil)
		}
		var ms []string
		for _, v := range members[c] {
			if selected[v] {
				ms = append(ms, names[v])
			}
		}
		sort.Strings(ms)
		plan.Tiers[t] = append(plan.Tiers[t], ms...)
		selfLoop := false
		for _, w := range adj[members[c][0]] {
			if w == members[c][0] {
				selfLoop = true
			}
		}
		if len(ms) > 1 || selfLoop {
			plan.Cycles = append(plan.Cycles, ms)
		}
	}
	for _, t := range plan.Tiers {
		sort.Strings(t)
	}
	sort.Slice(plan.Cycles, func(a, b int) bool { return plan.Cycles[a][0] < plan.Cycles[b][0] })
	return plan, nil
}

// tarjan returns the strongly connected component of every vertex,
// numbered so that a component comes after every component it reaches.
func tarjan(adj [][]int) ([]int, int) {
	n := len(adj)
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	comp := make([]int, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, ncomp := 0, 0
	// iterative DFS to survive deep graphs
	type frame struct{ v, i int }
	for s := 0; s < n; s++ {
		if index[s] >= 0 {
			continue
		}
		call := []frame{{s, 0}}
		index[s], low[s] = next, next
		next++
		stack = append(stack, s)
		onStack[s] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.i < len(adj[f.v]) {
				w := adj[f.v][f.i]
				f.i++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] && index[w] < low[f.v] {
					low[f.v] = index[w]
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				if low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp, ncomp
}
