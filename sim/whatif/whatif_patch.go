package whatif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/routesim/routesim/internal/jsonnames"
	"github.com/routesim/routesim/sim"
)

// applyPatch returns sc changed by a variant's patch (see Variant): sc as JSON, merged with
// the patch, decoded again. It does not validate the result. The cost is linear in the size
// of the scenario and the patch.
func applyPatch(sc *sim.Scenario, patch json.RawMessage) (*sim.Scenario, error) {
	if len(bytes.TrimSpace(patch)) == 0 {
		c := *sc
		return &c, nil
	}
	doc, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	var target, p any
	if err := decodeNumbers(doc, &target); err != nil {
		return nil, err
	}
	if err := decodeNumbers(patch, &p); err != nil {
		return nil, fmt.Errorf("the patch is not JSON: %w", err)
	}
	if _, ok := p.(map[string]any); !ok {
		return nil, fmt.Errorf("the patch is not a JSON object")
	}
	merged, err := mergePatch(target, p, "")
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return nil, err
	}
	out, err := sim.DecodeScenario(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out.SetDir(sc.Dir())
	return out, nil
}

func decodeNumbers(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// mergePatch merges patch into target as RFC 7386 does, but for an object patching an
// array, whose keys select elements by id; path names the place in errors.
func mergePatch(target, patch any, path string) (any, error) {
	po, ok := patch.(map[string]any)
	if !ok {
		return patch, nil
	}
	if arr, ok := target.([]any); ok {
		return patchArray(arr, po, path)
	}
	obj, ok := target.(map[string]any)
	if !ok {
		obj = map[string]any{}
	}
	out := make(map[string]any, len(obj)+len(po))
	for k, v := range obj {
		out[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(po)) {
		v := po[k]
		if v == nil {
			delete(out, k)
			continue
		}
		m, err := mergePatch(out[k], v, jsonnames.Join(path, k))
		if err != nil {
			return nil, err
		}
		out[k] = m
	}
	return out, nil
}

// patchArray patches the elements of arr that each key of po selects.
func patchArray(arr []any, po map[string]any, path string) (any, error) {
	out := slices.Clone(arr)
	for _, k := range slices.Sorted(maps.Keys(po)) {
		v := po[k]
		found := false
		for i := 0; i < len(out); i++ {
			if !elementMatches(out[i], k) {
				continue
			}
			found = true
			if v == nil {
				out = slices.Delete(out, i, i+1)
				i--
				continue
			}
			m, err := mergePatch(out[i], v, fmt.Sprintf("%s[%s]", path, k))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		if !found {
			return nil, fmt.Errorf("%s: no element with id, queueId or queueId/channel %q", path, k)
		}
	}
	return out, nil
}

// elementMatches reports whether an array element is selected by key: its "id", its
// "queueId", or "queueId/channel".
func elementMatches(el any, key string) bool {
	o, ok := el.(map[string]any)
	if !ok {
		return false
	}
	if id, ok := o["id"].(string); ok && id == key {
		return true
	}
	q, ok := o["queueId"].(string)
	if !ok {
		return false
	}
	ch, _ := o["channel"].(string)
	return q == key || q+"/"+ch == key
}
