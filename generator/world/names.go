package world

import (
	"math/rand/v2"
	"strings"
)

// syllables make up generated project names; two or three of them give
// names that read like real upstream projects (e.g. "tarvok", "menlix").
var syllables = []string{
	"ab", "ac", "al", "am", "an", "ar", "as", "ba", "be", "bi", "bo", "bu",
	"ca", "ce", "ci", "co", "da", "de", "di", "do", "du", "el", "en", "er",
	"es", "fa", "fe", "fi", "fo", "ga", "ge", "gi", "go", "ha", "he", "hi",
	"in", "is", "ja", "ka", "ke", "ki", "ko", "la", "le", "li", "lo", "lu",
	"ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ob", "ol",
	"on", "or", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa",
	"se", "si", "so", "ta", "te", "ti", "to", "tu", "ul", "un", "ur", "va",
	"ve", "vi", "vo", "xa", "xi", "ya", "yo", "za", "ze", "zo",
}

var codas = []string{"", "", "", "x", "t", "n", "k", "r", "s", "l", "m", "d"}

// nameGen hands out unique project names.
type nameGen struct {
	r    *rand.Rand
	used map[string]bool
}

func newNameGen(r *rand.Rand, reserved []string) *nameGen {
	g := &nameGen{r: r, used: map[string]bool{}}
	for _, n := range reserved {
		g.used[n] = true
	}
	return g
}

// word returns a fresh lower-case word of 2-3 syllables.
func (g *nameGen) word() string {
	for {
		n := 2 + g.r.IntN(2)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(syllables[g.r.IntN(len(syllables))])
		}
		b.WriteString(codas[g.r.IntN(len(codas))])
		w := b.String()
		if !g.used[w] {
			g.used[w] = true
			return w
		}
	}
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
