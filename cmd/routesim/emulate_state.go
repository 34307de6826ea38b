package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/routesim/routesim/routing/connectapi"
)

// testDoubleFlags are the flags that make the emulator a test double: virtual time, the
// control endpoints and the state file.
type testDoubleFlags struct {
	clock      string
	start      string
	control    bool
	state      string
	stateEvery time.Duration
}

func addTestDoubleFlags(fs *flag.FlagSet) *testDoubleFlags {
	t := &testDoubleFlags{}
	fs.StringVar(&t.clock, "clock", "wall", "`kind` of clock the routing runs on: wall (real time) or manual (virtual time that moves only through POST /_routesim/clock)")
	fs.StringVar(&t.start, "start", connectapi.DefaultStart.Format(time.RFC3339), "RFC 3339 `time` a manual clock starts at, and a reset puts it back to")
	fs.BoolVar(&t.control, "control", true, "serve the control endpoints under /_routesim/ (state, clock, reset, snapshot); false answers 404 there")
	fs.StringVar(&t.state, "state", "", "state `file`: restored at start when it exists, written atomically on SIGINT/SIGTERM and every -state-every when something changed")
	fs.DurationVar(&t.stateEvery, "state-every", 10*time.Second, "how often the -state file is rewritten when something changed (0: only at shutdown)")
	return t
}

// options checks the flags and returns the emulator's options.
func (t *testDoubleFlags) options() (connectapi.EmulatorOptions, error) {
	eo := connectapi.EmulatorOptions{Control: t.control}
	switch t.clock {
	case "wall":
	case "manual":
		eo.ManualClock = true
	default:
		return eo, fmt.Errorf("%w: -clock %q: want wall or manual", errUsage, t.clock)
	}
	start, err := time.Parse(time.RFC3339Nano, t.start)
	if err != nil {
		return eo, fmt.Errorf("%w: -start %q: want an RFC 3339 time such as 2026-01-01T09:00:00Z", errUsage, t.start)
	}
	eo.Start = start.UTC()
	if t.stateEvery < 0 {
		return eo, fmt.Errorf("%w: -state-every %v: must not be negative", errUsage, t.stateEvery)
	}
	return eo, nil
}

// printTestDouble adds the clock, the control endpoints and the state file to the banner.
func printTestDouble(w io.Writer, e *connectapi.Emulator, eo connectapi.EmulatorOptions, state string) {
	if eo.ManualClock {
		fmt.Fprintf(w, "  clock        manual, at %s (POST /_routesim/clock moves it)\n", e.Now().UTC().Format(time.RFC3339Nano))
	} else {
		fmt.Fprintf(w, "  clock        wall\n")
	}
	if eo.Control {
		fmt.Fprintf(w, "  control      GET /_routesim/state, POST /_routesim/clock, POST /_routesim/reset, GET|POST /_routesim/snapshot\n")
	}
	if state != "" {
		fmt.Fprintf(w, "  state file   %s\n", state)
	}
}

// stateFile keeps the emulator's snapshot in a file. The zero value (no file) does nothing.
type stateFile struct {
	path   string
	every  time.Duration
	e      *connectapi.Emulator
	stderr io.Writer
	mu     sync.Mutex
	last   []byte // the last state written, time left out on a wall clock
}

// openState restores the emulator from path when the file exists. A file that cannot be
// read or restored is an error naming the problem; the file is left as it is.
func openState(path string, every time.Duration, e *connectapi.Emulator, stderr io.Writer) (*stateFile, error) {
	st := &stateFile{path: path, every: every, e: e, stderr: stderr}
	if path == "" {
		return st, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state file: %w", err)
	}
	defer f.Close()
	s, err := connectapi.LoadSnapshot(f)
	if err == nil {
		err = e.Restore(s)
	}
	if err != nil {
		return nil, fmt.Errorf("state file %s refused (left as it is): %w", path, err)
	}
	st.last = st.key(s)
	fmt.Fprintf(stderr, "routesim emulate: state restored from %s (taken at %s)\n", path, s.Time.Format(time.RFC3339Nano))
	return st, nil
}

// key is what decides whether the state changed: the snapshot, without its time on a wall
// clock (which moves by itself).
func (st *stateFile) key(s connectapi.Snapshot) []byte {
	if !st.e.Manual() {
		s.Time = time.Time{}
	}
	return s.JSON()
}

// start writes the state every st.every while it changes; the function it returns stops it.
func (st *stateFile) start() func() {
	if st.path == "" || st.every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(st.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := st.write(false); err != nil {
					fmt.Fprintf(st.stderr, "routesim emulate: %v\n", err)
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// write writes the snapshot to the file atomically (a temporary file in the same directory,
// synced, then renamed over it), when it changed since the last write or when always.
func (st *stateFile) write(always bool) error {
	if st.path == "" {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.e.Snapshot()
	k := st.key(s)
	if !always && bytes.Equal(k, st.last) {
		return nil
	}
	if err := writeAtomic(st.path, s.JSON()); err != nil {
		return fmt.Errorf("writing state file: %w", err)
	}
	st.last = k
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
