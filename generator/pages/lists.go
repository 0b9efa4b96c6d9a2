package pages

import (
	"fmt"
	"strings"
)

type listView struct {
	What   string // "components", "binary packages", ...
	Items  []link
	Pages  []link // every page of the list; the current one has Href ""
	First  int    // 1-based index of the first item shown
	Last   int
	Total  int
	Hint   string
	Parent link
}

// paginate splits items into pages of size n.
func paginate(total, n int) int {
	if total == 0 {
		return 1
	}
	return (total + n - 1) / n
}

// listPages renders the full list of a kind (src, pkg, mod).
func (r *renderer) listPages(d *deps, kind, what string, names []string, mk func(c ctx, name string) link) []outPage {
	n := r.opts.PageSize
	pages := paginate(len(names), n)
	var out []outPage
	for i := 1; i <= pages; i++ {
		p := listPath(kind, i)
		c := ctx{w: r.w, d: d, root: rootOf(p)}
		lo, hi := (i-1)*n, min(i*n, len(names))
		v := &listView{What: what, First: lo + 1, Last: hi, Total: len(names)}
		for _, nm := range names[lo:hi] {
			v.Items = append(v.Items, mk(c, nm))
		}
		v.Pages = pageLinks(c, pages, i, func(j int) string { return listPath(kind, j) }, names, n)
		out = append(out, outPage{p, &page{Kind: "list", Title: "All " + what, Root: c.root, Body: v}})
	}
	return out
}

// pageLinks labels each page by its first and last names ("a–bash").
func pageLinks(c ctx, pages, cur int, path func(int) string, names []string, n int) []link {
	if pages <= 1 {
		return nil
	}
	var out []link
	for j := 1; j <= pages; j++ {
		lo, hi := (j-1)*n, min(j*n, len(names))-1
		l := link{Text: fmt.Sprint(j), Title: names[lo] + " … " + names[hi]}
		if j != cur {
			l.Href = c.to(path(j))
		}
		out = append(out, l)
	}
	return out
}

// morePages renders the paginated full list behind a capped one.
func (r *renderer) morePages(d *deps, kind, name, list string, names []string) []outPage {
	n := r.opts.PageSize
	pages := paginate(len(names), n)
	what := map[string]string{"runtime": "runtime dependents", "build": "build dependents"}[list]
	if what == "" && strings.HasPrefix(list, "whatrequires") {
		what = "packages that require it"
	}
	var out []outPage
	for i := 1; i <= pages; i++ {
		p := morePath(kind, name, list, i)
		c := ctx{w: r.w, d: d, root: rootOf(p)}
		lo, hi := (i-1)*n, min(i*n, len(names))
		v := &listView{What: what, First: lo + 1, Last: hi, Total: len(names)}
		mk := c.src
		if kind == "pkg" {
			mk = c.pkg
			v.Hint = "dmq whatrequires " + name
			v.Parent = c.pkg(name)
		} else {
			v.Parent = c.src(name)
		}
		for _, nm := range names[lo:hi] {
			v.Items = append(v.Items, mk(nm))
		}
		v.Pages = pageLinks(c, pages, i, func(j int) string { return morePath(kind, name, list, j) }, names, n)
		out = append(out, outPage{p, &page{Kind: "list", Title: name + ": " + what, Root: c.root, Body: v, Crumbs: []link{v.Parent}}})
	}
	return out
}
