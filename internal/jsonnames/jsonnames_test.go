package jsonnames

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Level float64 `json:"Level"`
	Skip  int     `json:"-"`
}

type base struct {
	ID string `json:"id"`
}

type custom struct{ v string }

func (c *custom) UnmarshalJSON(b []byte) error { c.v = string(b); return nil }

type outer struct {
	base
	Name    string           `json:"name,omitempty"`
	Plain   int              // no tag: the Go name
	Items   []inner          `json:"items"`
	ByKey   map[string]inner `json:"byKey"`
	Ptr     *inner           `json:"ptr"`
	Custom  custom           `json:"custom"`
	Elapsed time.Duration    `json:"elapsed"`
}

func TestCheck(t *testing.T) {
	typ := reflect.TypeFor[outer]()
	tests := []struct {
		name, doc, path, key string
	}{
		{"all known", `{"id":"a","name":"n","Plain":1,"items":[{"Level":1}],"byKey":{"x":{"Level":2}},"ptr":{"Level":3},"custom":{"anything":1},"elapsed":5}`, "", ""},
		{"top level", `{"nmae":"n"}`, "nmae", "nmae"},
		{"case differs", `{"Name":"n"}`, "Name", "Name"},
		{"embedded field case", `{"ID":"a"}`, "ID", "ID"},
		{"in a list", `{"items":[{"Level":1},{"level":2}]}`, "items[1].level", "level"},
		{"in a map", `{"byKey":{"k":{"Levle":2}}}`, "byKey[k].Levle", "Levle"},
		{"behind a pointer", `{"ptr":{"x":1}}`, "ptr.x", "x"},
		{"ignored field is unknown", `{"Skip":1}`, "Skip", "Skip"},
		{"first in sorted order", `{"zz":1,"aa":2}`, "aa", "aa"},
		{"invalid JSON left to the decoder", `{"name":`, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check([]byte(tc.doc), typ)
			if tc.path == "" {
				require.NoError(t, err)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e, "want an *Error naming %s", tc.path)
			assert.Equal(t, tc.path, e.Path)
			assert.Equal(t, tc.key, e.Name)
			assert.Contains(t, err.Error(), tc.path)
		})
	}
}

type shadow struct {
	base
	ID int `json:"id"` // shadows base.ID, as encoding/json lets the shallower field win
}

func TestFieldsOuterWins(t *testing.T) {
	f := Fields(reflect.TypeFor[shadow]())
	assert.Equal(t, reflect.TypeFor[int](), f["id"], "the struct's own field wins over the promoted one")
	assert.Len(t, f, 1)
}
