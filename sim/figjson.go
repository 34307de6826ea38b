package sim

import (
	"bytes"
	"encoding/json"
	"math"
)

// JSON encoding of figures: fields in declaration order, and a NaN or infinite float64 (a
// figure with nothing to measure) written as null, which encoding/json cannot do alone.

type jsonField struct {
	name string
	v    any
}

func (f *Figures[T]) jsonFields() []jsonField {
	var out []jsonField
	f.each(nil, func(name string, v *T) {
		if name != "" {
			out = append(out, jsonField{name, *v})
		}
	})
	// each reports service levels with a threshold in the name; JSON keeps them as one list
	// after pWait .. waitMax, in declaration order.
	return append(out[:12:12], append([]jsonField{{"serviceLevel", f.ServiceLevel}}, out[12:]...)...)
}

func (g *GroupFigures[T]) jsonFields() []jsonField {
	var out []jsonField
	g.each(func(name string, v *T) { out = append(out, jsonField{name, *v}) })
	return out
}

func writeObject(fields []jsonField) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.name)
		b.Write(name)
		b.WriteByte(':')
		if err := writeValue(&b, f.v); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
			return nil
		}
	case []float64:
		b.WriteByte('[')
		for i, f := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, f); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(enc)
	return nil
}

// MarshalJSON writes the figures as an object, NaN as null.
func (f Figures[T]) MarshalJSON() ([]byte, error) { return writeObject(f.jsonFields()) }

// MarshalJSON writes {"key": ..., figures...}, NaN as null.
func (k Keyed[T]) MarshalJSON() ([]byte, error) {
	return writeObject(append([]jsonField{{"key", k.Key}}, k.Figures.jsonFields()...))
}

// MarshalJSON writes the figures as an object, NaN as null.
func (g GroupFigures[T]) MarshalJSON() ([]byte, error) { return writeObject(g.jsonFields()) }

// MarshalJSON writes {"key": ..., figures...}, NaN as null.
func (g Group[T]) MarshalJSON() ([]byte, error) {
	return writeObject(append([]jsonField{{"key", g.Key}}, g.GroupFigures.jsonFields()...))
}
