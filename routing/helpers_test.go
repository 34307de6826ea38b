package routing_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// t0 is an arbitrary instant the tests measure from.
var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// sec returns s seconds as a Duration.
func sec(s int) time.Duration { return time.Duration(s) * time.Second }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// recorder is an Observer that keeps every event. It is safe for concurrent use, although an
// instance calls it under its own lock.
type recorder struct {
	mu     sync.Mutex
	events []routing.Event
	seen   int // routes already returned by takeRoutes
}

func (r *recorder) Observe(e routing.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// routes returns every ContactRouted event as "contact>agent", in order.
func (r *recorder) routes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.Kind == routing.ContactRouted {
			out = append(out, fmt.Sprintf("%s>%s", e.ContactID, e.AgentID))
		}
	}
	return out
}

// takeRoutes returns the routes made since its last call.
func (r *recorder) takeRoutes() []string {
	all := r.routes()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := all[r.seen:]
	r.seen = len(all)
	return out
}

// kinds returns the kinds of every event about contact id, in order.
func (r *recorder) kinds(id contact.ID) []routing.EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []routing.EventKind
	for _, e := range r.events {
		if e.ContactID == id {
			out = append(out, e.Kind)
		}
	}
	return out
}

// entry builds a ProfileQueueConfig.
func entry(q string, ch contact.Channel, prio, delay int) routing.ProfileQueueConfig {
	return routing.ProfileQueueConfig{QueueID: q, Channel: ch, Priority: prio, DelaySeconds: delay}
}

// profile builds a ProfileConfig with the given entries (see conc and cross for options).
func profile(id string, es ...routing.ProfileQueueConfig) routing.ProfileConfig {
	return routing.ProfileConfig{ID: id, Queues: es}
}

// agents builds AgentConfigs "id:profile".
func agents(specs ...string) []routing.AgentConfig {
	out := make([]routing.AgentConfig, len(specs))
	for i, s := range specs {
		id, p, _ := strings.Cut(s, ":")
		out[i] = routing.AgentConfig{ID: id, RoutingProfileID: p}
	}
	return out
}

// queues builds QueueConfigs.
func queues(ids ...string) []routing.QueueConfig {
	out := make([]routing.QueueConfig, len(ids))
	for i, id := range ids {
		out[i] = routing.QueueConfig{ID: id}
	}
	return out
}

// tester is what the harness needs of a *testing.T or a *rapid.T.
type tester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// harness drives one instance of a Service on a ManualClock at t0, recording its events.
type harness struct {
	t   tester
	clk *routing.ManualClock
	svc *routing.Service
	in  *routing.Instance
	rec *recorder
	ctx context.Context
}

func newHarness(t tester, cfg routing.InstanceConfig) *harness {
	t.Helper()
	h := &harness{t: t, clk: routing.NewManualClock(t0), rec: &recorder{}, ctx: context.Background()}
	h.svc = routing.NewService(routing.WithClock(h.clk))
	if cfg.ID == "" {
		cfg.ID = "inst"
	}
	cfg.Observer = h.rec
	in, err := h.svc.AddInstance(cfg)
	if err != nil {
		t.Fatalf("AddInstance: %v", err)
	}
	h.in = in
	return h
}

// id returns the instance ID as the Service API wants it.
func (h *harness) id() *string { return ptr(h.in.ID()) }

// now returns the clock's time as seconds after t0.
func (h *harness) now() time.Duration { return h.clk.Now().Sub(t0) }

// to moves the clock to t0+s, firing every timer at its own time on the way (NextWake, then
// Advance), as a simulator does.
func (h *harness) to(s time.Duration) {
	h.t.Helper()
	target := t0.Add(s)
	for {
		w, ok := h.in.NextWake()
		if !ok || w.After(target) {
			break
		}
		if w.After(h.clk.Now()) {
			h.clk.Set(w)
		}
		h.in.Advance()
	}
	h.clk.Set(target)
	h.in.Advance()
}

func (h *harness) verify() {
	h.t.Helper()
	if err := h.in.Verify(); err != nil {
		h.t.Fatal(err)
	}
}

// step is one action of a scripted routing test.
type step func(h *harness)

// at moves the clock to t0+s seconds.
func at(s int) step { return func(h *harness) { h.to(sec(s)) } }

// arrive starts contact id in queue q on channel ch; opts may hold a priority (int64) and an
// age adjustment (time.Duration).
func arrive(id, q string, ch contact.Channel, opts ...any) step {
	return func(h *harness) {
		h.t.Helper()
		in := &routing.StartContactInput{InstanceId: h.id(), QueueId: ptr(q), Channel: ch, ContactId: ptr(id)}
		for _, o := range opts {
			switch o := o.(type) {
			case int64:
				in.QueuePriority = ptr(o)
			case time.Duration:
				in.QueueTimeAdjustmentSeconds = ptr(int32(o / time.Second))
			default:
				h.t.Fatalf("arrive %s: unknown option %v", id, o)
			}
		}
		if _, err := h.svc.StartContact(h.ctx, in); err != nil {
			h.t.Fatalf("StartContact(%s) = %v; want nil", id, err)
		}
	}
}

func voice(id, q string, opts ...any) step { return arrive(id, q, contact.Voice, opts...) }
func chat(id, q string, opts ...any) step  { return arrive(id, q, contact.Chat, opts...) }

func setState(st routing.AgentState, ids ...string) step {
	return func(h *harness) {
		h.t.Helper()
		for _, a := range ids {
			in := &routing.SetAgentStateInput{InstanceId: h.id(), AgentId: ptr(a), State: st}
			if _, err := h.svc.SetAgentState(h.ctx, in); err != nil {
				h.t.Fatalf("SetAgentState(%s, %s) = %v; want nil", a, st, err)
			}
		}
	}
}

// avail makes agents available, in order.
func avail(ids ...string) step { return setState(routing.AgentAvailable, ids...) }

// offline makes agents offline, in order.
func offline(ids ...string) step { return setState(routing.AgentOffline, ids...) }

// end ends contact id with reason and acw seconds of after-contact work.
func end(id string, reason routing.EndReason, acw int) step {
	return func(h *harness) {
		h.t.Helper()
		in := &routing.EndContactInput{InstanceId: h.id(), ContactId: ptr(id), Reason: reason, AfterContactWork: sec(acw)}
		if _, err := h.svc.EndContact(h.ctx, in); err != nil {
			h.t.Fatalf("EndContact(%s, %s) = %v; want nil", id, reason, err)
		}
	}
}

// done completes contact id with acw seconds of after-contact work.
func done(id string, acw int) step { return end(id, routing.Completed, acw) }

// abandon ends waiting contact id.
func abandon(id string) step { return end(id, routing.Abandoned, 0) }

func update(id string, prio *int64, adj *int32) step {
	return func(h *harness) {
		h.t.Helper()
		in := &routing.UpdateContactRoutingDataInput{InstanceId: h.id(), ContactId: ptr(id),
			QueuePriority: prio, QueueTimeAdjustmentSeconds: adj}
		if _, err := h.svc.UpdateContactRoutingData(h.ctx, in); err != nil {
			h.t.Fatalf("UpdateContactRoutingData(%s) = %v; want nil", id, err)
		}
	}
}

// prio sets contact id's QueuePriority.
func prio(id string, p int64) step { return update(id, ptr(p), nil) }

// age adds s seconds to contact id's routing age.
func age(id string, s int32) step { return update(id, nil, ptr(s)) }

// routes checks the routes made since the last check, as "contact>agent" in order.
func routes(want ...string) step {
	return func(h *harness) {
		h.t.Helper()
		got := h.rec.takeRoutes()
		if !slices.Equal(got, want) {
			h.t.Fatalf("at %v: routes %q; want %q", h.now(), got, want)
		}
	}
}

// positions checks the positions in queue of waiting contacts, given as "id=pos".
func positions(want ...string) step {
	return func(h *harness) {
		h.t.Helper()
		for _, w := range want {
			id, p, _ := strings.Cut(w, "=")
			got, err := h.in.ContactPosition(contact.ID(id))
			if err != nil || fmt.Sprint(got) != p {
				h.t.Fatalf("at %v: ContactPosition(%s) = %d, %v; want %s, nil", h.now(), id, got, err, p)
			}
		}
	}
}

// run runs the steps, verifying the instance after each.
func (h *harness) run(steps ...step) {
	h.t.Helper()
	for _, s := range steps {
		s(h)
		h.verify()
	}
}

// describe returns DescribeContact's answer, failing on error.
func (h *harness) describe(id string) routing.ContactInfo {
	h.t.Helper()
	info, err := h.in.DescribeContact(contact.ID(id))
	if err != nil {
		h.t.Fatalf("DescribeContact(%s) = %v; want nil", id, err)
	}
	return info
}
