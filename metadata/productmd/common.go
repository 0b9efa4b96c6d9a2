package productmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Header is the header of every productmd file.
type Header struct {
	Type    string `json:"type,omitempty"` // "productmd.rpms" etc.; required from 1.1
	Version string `json:"version"`        // "$major.$minor"
}

// Metadata types as they appear in Header.Type.
const (
	TypeComposeInfo = "productmd.composeinfo"
	TypeRPMs        = "productmd.rpms"
	TypeModules     = "productmd.modules"
	TypeImages      = "productmd.images"
	TypeTreeInfo    = "productmd.treeinfo"
)

// CurrentVersion is the metadata version written when a Header has none.
const CurrentVersion = "1.2"

// VersionTuple returns the major and minor numbers of h.Version.
func (h Header) VersionTuple() (major, minor int, err error) {
	a, b, ok := strings.Cut(h.Version, ".")
	if ok {
		major, err = strconv.Atoi(a)
		if err == nil {
			minor, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || major < 0 || minor < 0 {
		return 0, 0, fmt.Errorf("invalid metadata version %q", h.Version)
	}
	return major, minor, nil
}

// check validates the header of a file that should be of type want.
func (h Header) check(want string) error {
	major, _, err := h.VersionTuple()
	if err != nil {
		return err
	}
	if major > 1 {
		return fmt.Errorf("unsupported metadata version %q", h.Version)
	}
	if h.Type != "" && h.Type != want {
		return fmt.Errorf("metadata type is %q, want %q", h.Type, want)
	}
	return nil
}

// legacy reports whether the layout predates 1.0 ("product" instead of
// "release" in composeinfo).
func (h Header) legacy() bool {
	major, _, err := h.VersionTuple()
	return err == nil && major == 0
}

func (h Header) withDefaults(typ string) Header {
	if h.Version == "" {
		h.Version = CurrentVersion
	}
	if h.Type == "" && !h.legacy() && h.Version != "1.0" {
		h.Type = typ
	}
	return h
}

// ComposeRef identifies a compose; it is repeated in every metadata file.
type ComposeRef struct {
	Date   string `json:"date"`
	Final  bool   `json:"final,omitempty"`
	ID     string `json:"id"`
	Label  string `json:"label,omitempty"`
	Respin int    `json:"respin"`
	Type   string `json:"type"`
}

// Release describes the product (called "product" before 1.0).
type Release struct {
	Internal  bool    `json:"internal,omitempty"`
	IsLayered bool    `json:"is_layered,omitempty"`
	Name      string  `json:"name"`
	Short     string  `json:"short"`
	Type      string  `json:"type,omitempty"`
	Version   Version `json:"version"`
}

// BaseProduct is the product a layered product runs on.
type BaseProduct struct {
	Name    string  `json:"name"`
	Short   string  `json:"short"`
	Type    string  `json:"type,omitempty"`
	Version Version `json:"version"`
}

// Version is a version-like string that some producers write as a JSON
// number; it keeps the literal text ("1.10" stays "1.10").
type Version string

// UnmarshalJSON accepts a string or a number.
func (v *Version) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("version must be a string or a number, got %s", b)
		}
		*v = Version(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*v = Version(s)
	return nil
}

// NullString is a string that is written as JSON null when empty (sigkey of
// an unsigned rpm, an image without volume id).
type NullString string

// MarshalJSON writes null for the empty string.
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON accepts null or a string.
func (s *NullString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = NullString(v)
	return nil
}

// envelope is the outer layout of every productmd JSON file.
type envelope struct {
	Header  Header          `json:"header"`
	Payload json.RawMessage `json:"payload"`
}

// decodeJSON unmarshals data into v, turning decoder errors into ones
// naming the file and the line.
func decodeJSON(name string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		var off int64 = -1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		if off >= 0 {
			return fmt.Errorf("%s: line %d: %w", name, lineAt(data, off), err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// readEnvelope reads a productmd file, checks its header, and unmarshals
// its payload into payload.
func readEnvelope(r io.Reader, name, typ string, payload any) (Header, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Header{}, fmt.Errorf("%s: %w", name, err)
	}
	var env envelope
	if err := decodeJSON(name, data, &env); err != nil {
		return Header{}, err
	}
	if err := env.Header.check(typ); err != nil {
		return Header{}, fmt.Errorf("%s: header: %w", name, err)
	}
	if len(env.Payload) == 0 || string(env.Payload) == "null" {
		return Header{}, fmt.Errorf("%s: no payload", name)
	}
	// Offsets inside the payload are relative to it: report lines of the
	// whole file by decoding it again on failure.
	if err := json.Unmarshal(env.Payload, payload); err != nil {
		wrapped := struct {
			Payload any `json:"payload"`
		}{payload}
		if err2 := decodeJSON(name, data, &wrapped); err2 != nil {
			return Header{}, err2
		}
		return Header{}, fmt.Errorf("%s: payload: %w", name, err)
	}
	return env.Header, nil
}

// writeEnvelope writes header and payload as productmd recommends: keys
// sorted (struct fields are declared in key order), four-space indent.
func writeEnvelope(w io.Writer, h Header, payload any) error {
	out := struct {
		Header  Header `json:"header"`
		Payload any    `json:"payload"`
	}{h, payload}
	b, err := json.MarshalIndent(out, "", "    ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
