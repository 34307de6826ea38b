package whatif

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Shard is shard Index of Count of a what-if: the tasks whose index is Index modulo Count
// (round robin, so every shard gets a share of each variant and of the solver). Index counts
// from 0, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX does. The zero value, Count 0,
// means the whole what-if.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// ErrShard is wrapped by the errors of ParseShard and of a Shard out of range.
var ErrShard = errors.New("whatif: bad shard")

// ParseShard reads a shard as "i/n" with 0 <= i < n, such as "0/8" .. "7/8".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("%w %q: want i/n, such as 0/4 for the first of four shards", ErrShard, s)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%w %q: want i/n with whole numbers, such as 0/4", ErrShard, s)
	}
	sh := Shard{Index: i, Count: n}
	if n < 1 {
		return Shard{}, fmt.Errorf("%w %q: the number of shards must be at least 1", ErrShard, s)
	}
	if err := sh.validate(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

func (s Shard) validate() error {
	switch {
	case s.Count == 0 && s.Index == 0:
		return nil
	case s.Count < 1:
		return fmt.Errorf("%w %d/%d: the number of shards must be at least 1", ErrShard, s.Index, s.Count)
	case s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("%w %d/%d: the index must be in 0..%d (shards count from 0)", ErrShard, s.Index, s.Count, s.Count-1)
	}
	return nil
}

// String formats s as "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// has reports whether task i belongs to s.
func (s Shard) has(i int) bool { return s.Count <= 1 || i%s.Count == s.Index }

// ErrMerge is wrapped by every error of Merge.
var ErrMerge = errors.New("whatif: cannot merge")

// ReadResult reads a result file as Run's result writes it (WriteJSON).
func ReadResult(r io.Reader) (*Result, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	res := new(Result)
	if err := dec.Decode(res); err != nil {
		return nil, fmt.Errorf("whatif: reading a what-if result: %w", err)
	}
	if res.Format != Format {
		return nil, fmt.Errorf("whatif: a what-if result of format %q; want %q", res.Format, Format)
	}
	return res, nil
}

// Merge joins the partial results of the shards of one what-if into the result of the
// unsharded run, equal to it field for field (and so byte for byte as JSON). names label the
// parts in errors (file names; parts' indices when nil). It refuses, with an error wrapping
// ErrMerge: parts of different what-ifs (fingerprints), formats or shard counts; a part that
// is not a shard, or was cancelled; a shard given twice or missing; a task present twice,
// missing, or in the wrong shard.
func Merge(parts []*Result, names []string) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: no partial results", ErrMerge)
	}
	name := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return fmt.Sprintf("part %d", i)
	}
	first := parts[0]
	if first.Shard == nil {
		return nil, fmt.Errorf("%w: %s is a whole result, not a shard's partial result", ErrMerge, name(0))
	}
	n := first.Shard.Count
	seen := make([]int, n)
	for i := range seen {
		seen[i] = -1
	}
	for i, p := range parts {
		switch {
		case p.Shard == nil:
			return nil, fmt.Errorf("%w: %s is a whole result, not a shard's partial result", ErrMerge, name(i))
		case p.Fingerprint != first.Fingerprint:
			return nil, fmt.Errorf("%w: %s is from a different what-if than %s (fingerprint %s, not %s): same spec, seed and reps are needed", ErrMerge, name(i), name(0), short(p.Fingerprint), short(first.Fingerprint))
		case p.Shard.Count != n:
			return nil, fmt.Errorf("%w: %s is shard %v but %s is shard %v: the shard counts differ", ErrMerge, name(i), *p.Shard, name(0), *first.Shard)
		case p.Shard.Index < 0 || p.Shard.Index >= n:
			return nil, fmt.Errorf("%w: %s has shard %v out of range", ErrMerge, name(i), *p.Shard)
		case seen[p.Shard.Index] >= 0:
			return nil, fmt.Errorf("%w: shard %v is given twice, in %s and %s", ErrMerge, *p.Shard, name(seen[p.Shard.Index]), name(i))
		case !p.Complete:
			return nil, fmt.Errorf("%w: %s (shard %v) is incomplete: its run was cancelled; run that shard again", ErrMerge, name(i), *p.Shard)
		}
		seen[p.Shard.Index] = i
	}
	var missing []string
	for k, s := range seen {
		if s < 0 {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing shard(s) %s", ErrMerge, strings.Join(missing, ", "))
	}
	out := *first
	out.Shard = nil
	out.Points, out.Staffing = []SweepPoint{}, []StaffingInterval{}
	owner := make(map[int]int, first.Tasks)
	take := func(i, idx int, key string) error {
		if idx < 0 || idx >= first.Tasks {
			return fmt.Errorf("%w: %s has task %d (%s) out of range 0..%d", ErrMerge, name(i), idx, key, first.Tasks-1)
		}
		if !parts[i].Shard.has(idx) {
			return fmt.Errorf("%w: %s (shard %v) has task %d (%s), which belongs to shard %d/%d", ErrMerge, name(i), *parts[i].Shard, idx, key, idx%n, n)
		}
		if j, dup := owner[idx]; dup {
			return fmt.Errorf("%w: task %d (%s) is in both %s and %s", ErrMerge, idx, key, name(j), name(i))
		}
		owner[idx] = i
		return nil
	}
	for i, p := range parts {
		for _, pt := range p.Points {
			if err := take(i, pt.Index, pt.Key); err != nil {
				return nil, err
			}
			out.Points = append(out.Points, pt)
		}
		for _, st := range p.Staffing {
			if err := take(i, st.Index, st.Key); err != nil {
				return nil, err
			}
			out.Staffing = append(out.Staffing, st)
		}
	}
	if len(owner) != first.Tasks {
		var miss []string
		for k := range first.Tasks {
			if _, ok := owner[k]; !ok && len(miss) < 5 {
				miss = append(miss, strconv.Itoa(k))
			}
		}
		return nil, fmt.Errorf("%w: %d of %d tasks are missing (first: %s)", ErrMerge, first.Tasks-len(owner), first.Tasks, strings.Join(miss, ", "))
	}
	slices.SortFunc(out.Points, func(a, b SweepPoint) int { return a.Index - b.Index })
	slices.SortFunc(out.Staffing, func(a, b StaffingInterval) int { return a.Index - b.Index })
	out.Complete = true
	return &out, nil
}

func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19] + "…"
	}
	return fp
}
