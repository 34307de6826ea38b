package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/routesim/routesim/sim"
	"github.com/routesim/routesim/sim/fit"
)

// recordFiles writes "run -records-out": each replication's contacts go to a file of its
// own in a temporary directory beside the output while it runs (replications run in
// parallel), and finish joins them in replication order, so the output is the same for a
// seed whatever the number of workers, and memory does not grow with the horizon. Its
// methods are called one at a time (sim.RunOptions says calls never overlap).
type recordFiles struct {
	out  string
	dir  string
	sc   *sim.Scenario
	seed uint64
	open map[int]*repFile
	err  error
}

type repFile struct {
	f  *os.File
	rw *fit.RecordWriter
}

func newRecordFiles(out string, sc *sim.Scenario, seed uint64) (*recordFiles, error) {
	dir, err := os.MkdirTemp(filepath.Dir(out), ".records-")
	if err != nil {
		return nil, fmt.Errorf("-records-out: %w", err)
	}
	return &recordFiles{out: out, dir: dir, sc: sc, seed: seed, open: map[int]*repFile{}}, nil
}

func (r *recordFiles) path(rep int) string {
	return filepath.Join(r.dir, fmt.Sprintf("rep-%06d.jsonl", rep))
}

func (r *recordFiles) contact(rep int, c sim.ContactRecord) {
	if r.err != nil || c.Warmup {
		return
	}
	rf, ok := r.open[rep]
	if !ok {
		f, err := os.Create(r.path(rep))
		if err != nil {
			r.err = err
			return
		}
		rw, err := fit.NewRecordWriter(f, r.sc, r.seed)
		if err != nil {
			f.Close()
			r.err = err
			return
		}
		rf = &repFile{f: f, rw: rw}
		r.open[rep] = rf
	}
	if err := rf.rw.Write(rep, &c); err != nil {
		r.err = err
	}
}

func (r *recordFiles) done(rep int) {
	rf, ok := r.open[rep]
	if !ok {
		return
	}
	delete(r.open, rep)
	if err := rf.rw.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	if err := rf.f.Close(); err != nil && r.err == nil {
		r.err = err
	}
}

// finish joins the replications' files, in order, into the output (written to a
// temporary file and renamed, so a failure leaves no partial output).
func (r *recordFiles) finish(reps int) (err error) {
	for rep := range r.open {
		r.done(rep)
	}
	if r.err != nil {
		return fmt.Errorf("-records-out: %w", r.err)
	}
	tmp, err := os.CreateTemp(r.dir, "joined-")
	if err != nil {
		return fmt.Errorf("-records-out: %w", err)
	}
	defer tmp.Close()
	w := bufio.NewWriterSize(tmp, 1<<16)
	for rep := range reps {
		f, err := os.Open(r.path(rep))
		if os.IsNotExist(err) {
			continue // no contact after the warm-up
		}
		if err != nil {
			return fmt.Errorf("-records-out: %w", err)
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("-records-out: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("-records-out: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("-records-out: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-records-out: %w", err)
	}
	if err := os.Rename(tmp.Name(), r.out); err != nil {
		return fmt.Errorf("-records-out: %w", err)
	}
	return nil
}

// cleanup closes what is open and removes the temporary directory.
func (r *recordFiles) cleanup() {
	for _, rf := range r.open {
		rf.f.Close()
	}
	os.RemoveAll(r.dir)
}
