// Package jsonnames checks that every object key in a JSON document is, case included, the
// JSON name of a field of the Go type it decodes into. encoding/json matches names without
// regard to case and, with DisallowUnknownFields, reports an unknown field without saying
// where it is; Check names the field's full path ("classes[2].routingCriteria.Steps[0].Foo").
//
// Types that implement json.Unmarshaler decode themselves: Check does not look inside them.
package jsonnames

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Error is an unknown field: Path is where it is, Name is the key as written.
type Error struct {
	Path string
	Name string
}

// Error returns the message, naming the path.
func (e *Error) Error() string {
	return fmt.Sprintf("unknown field %q at %s (names are case-sensitive)", e.Name, e.Path)
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// Check decodes data generically and walks it beside t, returning an *Error for the first
// key that is not a field of the struct it falls in (an object's keys are walked in sorted
// order, so the same document always names the same key). It returns nil for data that is not valid JSON (the caller's decoder reports that). The
// complexity is O(size of data) plus O(fields) per struct type met.
func Check(data []byte, t reflect.Type) error {
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil
	}
	return walk(raw, t, "")
}

func walk(raw any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		return nil
	}
	switch v := raw.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Map:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				if err := walk(v[k], t.Elem(), fmt.Sprintf("%s[%s]", path, k)); err != nil {
					return err
				}
			}
		case reflect.Struct:
			fields := Fields(t)
			for _, k := range slices.Sorted(maps.Keys(v)) {
				ft, ok := fields[k]
				if !ok {
					return &Error{Path: Join(path, k), Name: k}
				}
				if err := walk(v[k], ft, Join(path, k)); err != nil {
					return err
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, e := range v {
				if err := walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Join appends the key k to a dotted path.
func Join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// Fields returns the JSON names of a struct type's fields, embedded structs' included, as
// encoding/json names them: a field of the struct itself wins over a promoted one of the
// same name. The cost is O(fields, embedded ones included).
func Fields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type)
	var promoted []map[string]reflect.Type
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || (!f.IsExported() && !f.Anonymous):
		case f.Anonymous && name == "":
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				promoted = append(promoted, Fields(et))
			} else if f.IsExported() {
				m[f.Name] = f.Type
			}
		case name == "":
			m[f.Name] = f.Type
		default:
			m[name] = f.Type
		}
	}
	for _, p := range promoted {
		for k, v := range p {
			if _, own := m[k]; !own {
				m[k] = v
			}
		}
	}
	return m
}
