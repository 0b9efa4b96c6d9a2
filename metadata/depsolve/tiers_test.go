package depsolve

import "testing"

func TestSourceName(t *testing.T) {
	for in, want := range map[string]string{
		"bash-5.1.8-2.el9.src.rpm":           "bash",
		"perl-Net-SSLeay-1.92-2.el9.src.rpm": "perl-Net-SSLeay",
		"x":                                  "",
	} {
		if got := SourceName(in); got != want {
			t.Errorf("SourceName(%q) = %q, want %q", in, got, want)
		}
	}
}
