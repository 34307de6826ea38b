package connectapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/routesim/routesim/routing"
)

// ControlPrefix is the reserved path prefix of the control endpoints (see Emulator).
const ControlPrefix = "/_routesim/"

// DefaultStart is where a manual clock starts when EmulatorOptions.Start is zero:
// 2026-01-01T09:00:00Z, a fixed instant so that runs repeat.
var DefaultStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// EmulatorOptions configure an Emulator.
type EmulatorOptions struct {
	// ManualClock, when set, runs the routing core on virtual time that moves only through
	// POST /_routesim/clock (or Emulator.Advance); otherwise it reads the wall clock.
	ManualClock bool
	// Start is where a manual clock starts, and where a reset puts it back; zero means
	// DefaultStart.
	Start time.Time
	// Control serves the control endpoints under ControlPrefix; without it those paths
	// answer 404 like any unknown operation.
	Control bool
}

// Emulator is the emulator as a test double: a Handler whose whole state can be reset,
// snapshotted and restored atomically, optionally on a manual clock, with the control
// endpoints under ControlPrefix:
//
//   - GET  /_routesim/state: the time, and per instance each queue's waiting contacts in
//     routing order, each agent's status, contacts and free slots, the pending timers;
//   - POST /_routesim/clock {"advance": "90s"} or {"set": "2026-01-01T09:05:00Z"}: moves a
//     manual clock, firing every timer that falls due in time order (409 on a wall clock);
//   - POST /_routesim/reset: back to the configuration's initial state and start time;
//   - GET  /_routesim/snapshot: the whole state as one JSON document (Snapshot);
//   - POST /_routesim/snapshot: restores such a document.
//
// Control requests are verified like any other when credentials are configured. API calls
// hold a shared lock while they run; clock moves, resets and restores hold it exclusively, so
// that a request in flight either finishes before them or sees their result, never a mix.
// Signature dates and rate limits always read the wall clock (WithNow). An Emulator is safe
// for concurrent use; build one with NewEmulator.
type Emulator struct {
	cfg    Config // the initial configuration, for resets
	opts   []Option
	eopts  EmulatorOptions
	manual *routing.ManualClock // nil on the wall clock
	wake   chan struct{}

	mu   sync.RWMutex
	h    *Handler
	hcfg Config // the configuration h was built from
}

// NewEmulator builds an emulator serving cfg, as NewHandler does with a fresh service.
// Errors: those of NewHandler.
func NewEmulator(cfg Config, eo EmulatorOptions, opts ...Option) (*Emulator, error) {
	e := &Emulator{cfg: cfg, opts: opts, eopts: eo, wake: make(chan struct{}, 1)}
	if eo.ManualClock {
		if e.eopts.Start.IsZero() {
			e.eopts.Start = DefaultStart
		}
		e.manual = routing.NewManualClock(e.eopts.Start)
	}
	h, err := e.build(cfg)
	if err != nil {
		return nil, err
	}
	e.h, e.hcfg = h, cfg
	return e, nil
}

// build makes a handler for cfg on a fresh service reading the emulator's clock.
func (e *Emulator) build(cfg Config) (*Handler, error) {
	var clock routing.Clock = WallClock{}
	if e.manual != nil {
		clock = e.manual
	}
	h, err := NewHandler(routing.NewService(routing.WithClock(clock)), cfg, e.opts...)
	if err != nil {
		return nil, err
	}
	h.wake = e.wake
	return h, nil
}

// Handler returns the handler currently serving; a reset or a restore replaces it.
func (e *Emulator) Handler() *Handler {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.h
}

// Manual reports whether the emulator runs on a manual clock.
func (e *Emulator) Manual() bool { return e.manual != nil }

// Now returns the time of the emulator's routing clock.
func (e *Emulator) Now() time.Time {
	if e.manual != nil {
		return e.manual.Now()
	}
	return time.Now()
}

// ServeHTTP answers an API request through the current handler, or a control request. The
// body is read before the shared lock is taken, so a slow client holds no lock.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.eopts.Control && strings.HasPrefix(r.URL.Path, ControlPrefix) {
		e.serveControl(w, r)
		return
	}
	if r.Body != nil {
		body, err := readAllSized(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
		if err != nil {
			r.Body = errBody{err}
		} else {
			r.Body = &prereadBody{Reader: bytes.NewReader(body), b: body}
		}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	e.h.ServeHTTP(w, r)
}

// prereadBody is a body read before the handler saw it; readBody takes its bytes without
// copying them again.
type prereadBody struct {
	*bytes.Reader
	b []byte
}

func (*prereadBody) Close() error { return nil }

// errBody is a body whose read failed before the handler saw it.
type errBody struct{ err error }

func (b errBody) Read([]byte) (int, error) { return 0, b.err }
func (errBody) Close() error               { return nil }

// Reset puts the emulator back to its initial configuration, with no contacts, every agent
// offline and, on a manual clock, the start time. It is atomic with respect to requests.
// The cost is that of building the instances.
func (e *Emulator) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	h, err := e.build(e.cfg)
	if err != nil {
		return err
	}
	if e.manual != nil {
		e.manual.Set(e.eopts.Start)
	}
	e.h, e.hcfg = h, e.cfg
	return nil
}

// ErrWallClock is returned by Advance and Set on an emulator running on the wall clock.
var ErrWallClock = errors.New("connectapi: the emulator runs on the wall clock; start it with a manual clock (routesim emulate -clock manual) to move time")

// ErrClockBackwards is returned by Set for a time before the clock's.
var ErrClockBackwards = errors.New("connectapi: the clock never goes back")

// Advance moves a manual clock forward by d, firing every timer that falls due on the way
// at its own time, in time order across instances, and returns the new time. Errors:
// ErrWallClock, ErrClockBackwards for d < 0. The cost is that of the timers fired.
func (e *Emulator) Advance(d time.Duration) (time.Time, error) {
	if e.manual == nil {
		return time.Time{}, ErrWallClock
	}
	if d < 0 {
		return time.Time{}, ErrClockBackwards
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.moveTo(e.manual.Now().Add(d)), nil
}

// Set moves a manual clock forward to t, as Advance does. Errors: ErrWallClock,
// ErrClockBackwards for a t before the clock's time.
func (e *Emulator) Set(t time.Time) (time.Time, error) {
	if e.manual == nil {
		return time.Time{}, ErrWallClock
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if t.Before(e.manual.Now()) {
		return time.Time{}, ErrClockBackwards
	}
	return e.moveTo(t), nil
}

// moveTo steps the manual clock through every timer up to target; e.mu is held.
func (e *Emulator) moveTo(target time.Time) time.Time {
	insts := e.instances()
	for {
		next, ok := time.Time{}, false
		for _, in := range insts {
			if at, has := in.NextWake(); has && (!ok || at.Before(next)) {
				next, ok = at, true
			}
		}
		if !ok || next.After(target) {
			break
		}
		e.manual.Set(next.UTC())
		for _, in := range insts {
			in.Advance()
		}
	}
	e.manual.Set(target.UTC())
	for _, in := range insts {
		in.Advance()
	}
	return e.manual.Now()
}

// instances returns the current handler's instances in configuration order; e.mu is held.
func (e *Emulator) instances() []*routing.Instance {
	var out []*routing.Instance
	for _, id := range e.h.ids {
		if in, ok := e.h.svc.Instance(id); ok {
			out = append(out, in)
		}
	}
	return out
}

// RunTimers fires the routing core's timers when they fall due on the wall clock, as
// Handler.RunTimers does, across resets and restores; on a manual clock it only waits for
// ctx, since time moves only when told. Run it in its own goroutine; it returns when ctx is
// done.
func (e *Emulator) RunTimers(ctx context.Context) {
	if e.manual != nil {
		<-ctx.Done()
		return
	}
	runTimerLoop(ctx, e.wake, func() time.Duration {
		e.mu.RLock()
		defer e.mu.RUnlock()
		return e.h.advance()
	})
}
