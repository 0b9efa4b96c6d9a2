package answer

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/distmeta/distmeta/internal/gobcache"
)

var timeType = reflect.TypeFor[time.Time]()

// fill sets every field reachable from v to a non-zero value: slices and
// maps get one element, pointers a value.
func fill(v reflect.Value) {
	if v.Type() == timeType {
		v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		v.SetString("a")
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint8:
		v.SetUint(1)
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: " + v.Type().String())
	}
}

// mutate calls try once per way to change a field reachable from v (one
// at a time, undone after), so that every field is known to count.
// commit writes a change back when v is a copy (of a map value).
func mutate(v reflect.Value, path string, commit func(), try func(path string)) {
	change := func(p string, to reflect.Value) {
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		v.Set(to)
		commit()
		try(p)
		v.Set(old)
		commit()
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		change(path+"+1ns", reflect.ValueOf(t.Add(1)))
		change(path+" zone", reflect.ValueOf(t.In(time.FixedZone("", 3600))))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			mutate(v.Field(i), path+"."+v.Type().Field(i).Name, commit, try)
		}
	case reflect.Array:
		for i := range v.Len() {
			mutate(v.Index(i), path+"[i]", commit, try)
		}
	case reflect.Pointer:
		if !strings.HasSuffix(path, "[i]") { // elements (builds) are never nil
			change(path+"=nil", reflect.Zero(v.Type()))
		}
		mutate(v.Elem(), path, commit, try)
	case reflect.Slice:
		longer := reflect.Append(v, reflect.New(v.Type().Elem()).Elem())
		fill(longer.Index(v.Len()))
		change(path+" longer", longer)
		for i := range v.Len() {
			mutate(v.Index(i), path+"[i]", commit, try)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e, path+"[k]", func() { v.SetMapIndex(k, e); commit() }, try)
			// Another key.
			k2 := reflect.New(k.Type()).Elem()
			k2.Set(k)
			k2.SetString(k.String() + "x")
			m := reflect.MakeMap(v.Type())
			m.SetMapIndex(k2, e)
			change(path+" key", m)
		}
	case reflect.String:
		change(path, reflect.ValueOf(v.String()+"x").Convert(v.Type()))
	case reflect.Int, reflect.Int64:
		change(path, reflect.ValueOf(v.Int()+1).Convert(v.Type()))
	case reflect.Uint8:
		change(path, reflect.ValueOf(uint8(v.Uint()^1)).Convert(v.Type()))
	case reflect.Bool:
		change(path, reflect.ValueOf(!v.Bool()))
	default:
		panic("mutate: " + v.Type().String())
	}
}

// TestInputDigestCoversFields: every field of every inputs type, down to
// the builds, tests, stale builds and ref moves, changes the digest (a
// field the digest missed would serve a stale cached answer), and the
// digest is a function of the values only.
func TestInputDigestCoversFields(t *testing.T) {
	for _, tc := range []struct {
		kind string
		in   inputs
	}{
		{"src", &sourceInputs{}},
		{"history", &historyInputs{}},
		{"status", &statusInputs{}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			v := reflect.ValueOf(tc.in).Elem()
			fill(v)
			var d digester
			base := d.sum(tc.kind, tc.in)
			if other := d.sum(tc.kind+"x", tc.in); other == base {
				t.Errorf("the kind does not count")
			}
			seen := map[[32]byte]string{}
			n := 0
			mutate(v, tc.kind, func() {}, func(path string) {
				n++
				got := d.sum(tc.kind, tc.in)
				if got == base {
					t.Errorf("%s: changing it leaves the digest", path)
				}
				if p, ok := seen[got]; ok {
					t.Errorf("%s and %s: the same digest", p, path)
				}
				seen[got] = path
			})
			if got := d.sum(tc.kind, tc.in); got != base {
				t.Fatalf("digest after undoing every change differs")
			}
			if n < v.NumField() {
				t.Fatalf("%d changes tried for %d fields", n, v.NumField())
			}
			t.Logf("%d changes", n)
		})
	}
}

// TestInputDigestNamesProgram: another build of distmeta gives other
// input digests, so it renders every cached answer again.
func TestInputDigestNamesProgram(t *testing.T) {
	in := &sourceInputs{}
	fill(reflect.ValueOf(in).Elem())
	var d digester
	base := d.sum("src", in)
	saved := gobcache.ProgramDigest
	t.Cleanup(func() { gobcache.ProgramDigest = saved })
	gobcache.ProgramDigest = func() ([32]byte, bool) { return [32]byte{7}, true }
	if d.sum("src", in) == base {
		t.Fatal("the program does not count in the input digest")
	}
}
