package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/routesim/routesim/sim/whatif"
)

// selection picks the partial results of one run for a merge: with spec, those whose
// fingerprint is that of the what-if file spec run with reps and seed; shards, when
// positive, is the number of shards expected.
type selection struct {
	spec   string
	reps   int
	seed   *uint64
	shards int
}

// gather reads the partial results in inputs. Without a spec it returns them all, for
// Merge to judge. With one, it keeps this run's (one per shard) and ignores the others as
// stale; with wait > 0 it polls every poll until every shard's complete partial result is
// there, and fails after wait naming the shards missing or incomplete.
func (s *selection) gather(ctx context.Context, inputs []string, wait, poll time.Duration, stderr io.Writer) ([]*whatif.Result, []string, error) {
	if s.spec == "" {
		paths, err := expandPartials(inputs)
		if err != nil {
			return nil, nil, err
		}
		parts := make([]*whatif.Result, len(paths))
		for i, p := range paths {
			if parts[i], err = readPartial(p); err != nil {
				return nil, nil, err
			}
		}
		return parts, paths, nil
	}
	w, err := whatif.Load(s.spec)
	if err != nil {
		return nil, nil, err
	}
	fp, err := whatif.Fingerprint(w, s.reps, s.seed)
	if err != nil {
		return nil, nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		parts, paths, missing, stale, err := s.scan(inputs, fp)
		if err != nil {
			return nil, nil, err
		}
		if len(stale) > 0 {
			fmt.Fprintf(stderr, "merge: ignoring %d partial result(s) of other runs (another fingerprint): %s\n", len(stale), strings.Join(stale, ", "))
		}
		if missing == "" {
			return parts, paths, nil
		}
		if wait == 0 || !time.Now().Before(deadline) {
			if wait == 0 {
				return parts, paths, nil // Merge names what is missing
			}
			return nil, nil, fmt.Errorf("after waiting %v, %s of this run (fingerprint %s) in %s; a shard that failed for good (see its logs) or is still running",
				wait, missing, shortFP(fp), strings.Join(inputs, ", "))
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(min(poll, time.Until(deadline)+time.Millisecond)):
		}
	}
}

// scan reads the partial results in inputs once and keeps those with fingerprint fp, one
// per shard (complete ones first). missing describes the shards not yet there or
// incomplete ("" when all are); stale names the files of other runs.
func (s *selection) scan(inputs []string, fp string) (parts []*whatif.Result, paths []string, missing string, stale []string, err error) {
	var files []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		switch {
		case err != nil && os.IsNotExist(err):
			continue // a directory the shards have not created yet
		case err != nil:
			return nil, nil, "", nil, err
		case !st.IsDir():
			files = append(files, in)
			continue
		}
		found, err := filepath.Glob(filepath.Join(in, "partial-*.json"))
		if err != nil {
			return nil, nil, "", nil, err
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	count := s.shards
	byIndex := map[int]int{}
	for _, f := range files {
		r, err := readPartial(f)
		if err != nil {
			return nil, nil, "", nil, err
		}
		if r.Fingerprint != fp || r.Shard == nil || (count > 0 && r.Shard.Count != count) {
			stale = append(stale, f)
			continue
		}
		if count == 0 {
			count = r.Shard.Count
		}
		if r.Shard.Count != count {
			stale = append(stale, f)
			continue
		}
		if j, ok := byIndex[r.Shard.Index]; ok {
			if parts[j].Complete || !r.Complete {
				continue
			}
			parts[j], paths[j] = r, f
			continue
		}
		byIndex[r.Shard.Index] = len(parts)
		parts = append(parts, r)
		paths = append(paths, f)
	}
	if count == 0 {
		return nil, nil, "no partial result yet", stale, nil
	}
	var absent, incomplete []string
	for k := range count {
		j, ok := byIndex[k]
		switch {
		case !ok:
			absent = append(absent, fmt.Sprintf("%d/%d", k, count))
		case !parts[j].Complete:
			incomplete = append(incomplete, fmt.Sprintf("%d/%d (%s)", k, count, paths[j]))
		}
	}
	var m []string
	if len(absent) > 0 {
		m = append(m, "shard(s) "+strings.Join(absent, ", ")+" missing")
	}
	if len(incomplete) > 0 {
		m = append(m, "shard(s) "+strings.Join(incomplete, ", ")+" incomplete")
	}
	return parts, paths, strings.Join(m, "; "), stale, nil
}

func shortFP(fp string) string {
	if len(fp) > 19 {
		return fp[:19] + "…"
	}
	return fp
}
