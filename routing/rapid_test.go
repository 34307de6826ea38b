package routing_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"pgregory.net/rapid"
)

// genConfig draws an instance: 2 or 3 queues; 1 to 3 profiles, each serving a random set of
// (queue, VOICE, CHAT or TASK) with profile priority 1..3 and delay 0, 5 or 10 s, chat and
// task concurrency 1..3, cross-channel or not; 1 to 5 agents. Few distinct values, so that ties happen.
func genConfig(t *rapid.T) routing.InstanceConfig {
	nq := rapid.IntRange(2, 3).Draw(t, "queues")
	var qids []string
	for i := range nq {
		qids = append(qids, fmt.Sprint("q", i))
	}
	var ps []routing.ProfileConfig
	for i := range rapid.IntRange(1, 3).Draw(t, "profiles") {
		p := routing.ProfileConfig{ID: fmt.Sprint("p", i), CrossChannel: rapid.Bool().Draw(t, "cross")}
		for _, q := range qids {
			for _, ch := range []contact.Channel{voiceCh, chatCh, contact.Task} {
				if !rapid.Bool().Draw(t, "serves") {
					continue
				}
				p.Queues = append(p.Queues, entry(q, ch, rapid.IntRange(1, 3).Draw(t, "prio"),
					rapid.SampledFrom([]int{0, 0, 5, 10}).Draw(t, "delay")))
			}
		}
		if len(p.Queues) == 0 {
			p.Queues = append(p.Queues, entry(qids[0], voiceCh, 1, 0))
		}
		if slices.ContainsFunc(p.Queues, func(e routing.ProfileQueueConfig) bool { return e.Channel == chatCh }) {
			p.Concurrency = map[contact.Channel]int{contact.Chat: rapid.IntRange(1, 3).Draw(t, "chats")}
		}
		if slices.ContainsFunc(p.Queues, func(e routing.ProfileQueueConfig) bool { return e.Channel == contact.Task }) {
			if p.Concurrency == nil {
				p.Concurrency = map[contact.Channel]int{}
			}
			p.Concurrency[contact.Task] = rapid.IntRange(1, 3).Draw(t, "tasks")
		}
		ps = append(ps, p)
	}
	var as []routing.AgentConfig
	for i := range rapid.IntRange(1, 5).Draw(t, "agents") {
		as = append(as, routing.AgentConfig{ID: fmt.Sprint("a", i), RoutingProfileID: rapid.SampledFrom(ps).Draw(t, "profile").ID})
	}
	return routing.InstanceConfig{ID: "inst", Queues: queues(qids...), RoutingProfiles: ps, Agents: as}
}

// machine drives a Service instance and the reference router with the same operations.
type machine struct {
	h   *harness
	ref *refRouter
	adm *refAdmin
	cfg routing.InstanceConfig
	n   int // contacts started
}

func (m *machine) ctx() context.Context { return context.Background() }

// contactIDs returns the IDs of the reference's contacts in the given states (all if none),
// plus an unknown one when unknown is set.
func (m *machine) contactIDs(unknown bool, states ...routing.ContactState) []string {
	var ids []string
	for _, id := range m.ref.order {
		if len(states) == 0 || slices.Contains(states, m.ref.contacts[id].state) {
			ids = append(ids, id)
		}
	}
	if unknown {
		ids = append(ids, "nope")
	}
	return ids
}

// expectCode fails t unless err is the exception code ("" for nil).
func expectCode(t *rapid.T, op string, err error, code string) {
	t.Helper()
	var api routing.APIError
	switch {
	case code == "" && err != nil:
		t.Fatalf("%s = %v; want nil", op, err)
	case code != "" && (!errors.As(err, &api) || api.ErrorCode() != code):
		t.Fatalf("%s = %v; want %s", op, err, code)
	}
}

func (m *machine) arrive(t *rapid.T) {
	q := rapid.SampledFrom(m.cfg.Queues).Draw(t, "queue").ID
	ch := rapid.SampledFrom([]contact.Channel{voiceCh, chatCh, contact.Task}).Draw(t, "channel")
	prio := rapid.SampledFrom([]int64{0, 0, 1, 2, 3}).Draw(t, "priority")
	adj := rapid.SampledFrom([]int32{0, 0, -10, -5, 5, 10}).Draw(t, "age")
	id := fmt.Sprint("c", m.n)
	m.n++
	in := &routing.StartContactInput{InstanceId: m.h.id(), QueueId: &q, Channel: ch, ContactId: &id}
	if prio != 0 {
		in.QueuePriority = &prio
	}
	if adj != 0 {
		in.QueueTimeAdjustmentSeconds = &adj
	}
	_, err := m.h.svc.StartContact(m.ctx(), in)
	code := m.adm.admit(m.ref, q, "")
	expectCode(t, "StartContact", err, code)
	if code == "" {
		m.ref.start(id, q, ch, prio, sec(int(adj)))
	}
}

func (m *machine) update(t *rapid.T, prio *int64, adj *int32) {
	id := rapid.SampledFrom(m.contactIDs(true)).Draw(t, "contact")
	_, err := m.h.svc.UpdateContactRoutingData(m.ctx(), &routing.UpdateContactRoutingDataInput{InstanceId: m.h.id(),
		ContactId: &id, QueuePriority: prio, QueueTimeAdjustmentSeconds: adj})
	var d *time.Duration
	if adj != nil {
		d = ptr(sec(int(*adj)))
	}
	expectCode(t, fmt.Sprintf("UpdateContactRoutingData(%s)", id), err, m.ref.update(id, prio, d))
}

func (m *machine) setState(t *rapid.T) {
	a := rapid.SampledFrom(m.ref.agents).Draw(t, "agent")
	avail := rapid.IntRange(0, 2).Draw(t, "available") > 0
	st := routing.AgentOffline
	if avail {
		st = routing.AgentAvailable
	}
	_, err := m.h.svc.SetAgentState(m.ctx(), &routing.SetAgentStateInput{InstanceId: m.h.id(), AgentId: &a.id, State: st})
	expectCode(t, "SetAgentState", err, "")
	m.ref.setState(a, avail)
}

func (m *machine) end(t *rapid.T, ids []string, reasons ...routing.EndReason) {
	if len(ids) == 0 {
		t.Skip("no contact to end")
	}
	id := rapid.SampledFrom(ids).Draw(t, "contact")
	reason := rapid.SampledFrom(reasons).Draw(t, "reason")
	acw := sec(rapid.SampledFrom([]int{0, 0, 3, 5, 10}).Draw(t, "acw"))
	_, err := m.h.svc.EndContact(m.ctx(), &routing.EndContactInput{InstanceId: m.h.id(), ContactId: &id,
		Reason: reason, AfterContactWork: acw})
	expectCode(t, fmt.Sprintf("EndContact(%s, %s)", id, reason), err, m.ref.end(id, reason, acw))
}

// advance moves the clock by d, stopping at every timer NextWake reports to call Advance
// there, as the simulator does; the reference fires its timers at the same times.
func (m *machine) advance(t *rapid.T) {
	d := sec(rapid.SampledFrom([]int{1, 2, 3, 5, 10}).Draw(t, "seconds"))
	target := m.ref.now + d
	for {
		m.checkNextWake(t)
		w, ok := m.h.in.NextWake()
		if !ok || w.Sub(t0) > target {
			break
		}
		m.h.clk.Set(w)
		m.h.in.Advance()
		m.ref.advance(w.Sub(t0))
	}
	m.h.clk.Set(t0.Add(target))
	m.h.in.Advance()
	m.ref.advance(target)
}

func (m *machine) checkNextWake(t *rapid.T) {
	t.Helper()
	w, ok := m.h.in.NextWake()
	rw, rok := m.ref.nextWake()
	if ok != rok || (ok && w.Sub(t0) != rw) {
		t.Fatalf("at %v: NextWake = %v, %v; reference %v, %v", m.ref.now, w.Sub(t0), ok, rw, rok)
	}
}

// check compares everything observable with the reference after every step.
func (m *machine) check(t *rapid.T) {
	if err := m.h.in.Verify(); err != nil {
		t.Fatal(err)
	}
	if err := m.ref.selfCheck(); err != nil {
		t.Fatal(err)
	}
	if got := m.h.rec.routes(); !slices.Equal(got, m.ref.routes) {
		t.Fatalf("at %v: routes\n%q; reference\n%q", m.ref.now, got, m.ref.routes)
	}
	m.checkNextWake(t)
	for _, id := range m.ref.order {
		m.checkContact(t, m.ref.contacts[id])
	}
	for _, a := range m.ref.agents {
		info, err := m.h.in.DescribeAgent(a.id)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Sorted(slices.Values(a.contacts))
		got := make([]string, len(info.Contacts))
		for i, c := range info.Contacts {
			got[i] = string(c)
		}
		slices.Sort(got)
		if info.Status != a.status() || (info.State == routing.AgentAvailable) != a.avail ||
			info.AfterContactWork != a.acw || !slices.Equal(got, want) {
			t.Fatalf("at %v: agent %s = %+v; reference status %s, available %v, acw %d, contacts %v",
				m.ref.now, a.id, info, a.status(), a.avail, a.acw, want)
		}
	}
	for _, chs := range [][]contact.Channel{nil, {voiceCh}, {chatCh}} {
		for _, q := range m.cfg.Queues {
			got, err := m.h.in.QueueMetrics(q.ID, chs...)
			if want := m.ref.metrics(q.ID, chs...); err != nil || got != want {
				t.Fatalf("at %v: QueueMetrics(%s, %v) = %+v, %v; reference %+v", m.ref.now, q.ID, chs, got, err, want)
			}
		}
		for _, qs := range [][]string{nil, {"q0"}, {"q0", "q1"}, {"q1", "q0", "q1"}} {
			got, err := m.h.in.CombinedMetrics(qs, chs...)
			if want := m.ref.combined(slices.Compact(slices.Sorted(slices.Values(qs))), chs...); err != nil || got != want {
				t.Fatalf("at %v: CombinedMetrics(%v, %v) = %+v, %v; reference %+v", m.ref.now, qs, chs, got, err, want)
			}
		}
	}
}

func (m *machine) checkContact(t *rapid.T, c *refContact) {
	t.Helper()
	info, err := m.h.in.DescribeContact(contact.ID(c.id))
	if err != nil {
		t.Fatalf("DescribeContact(%s) = %v", c.id, err)
	}
	ok := info.State == c.state && info.Reason == c.reason && info.AgentID == c.agent && info.Priority == c.prio &&
		info.AgeAdjustment == c.adj && info.EnqueuedAt.Sub(t0) == c.enq && info.QueueID == c.queue && info.Channel == c.ch
	if c.state != routing.Waiting && info.RoutedAt.IsZero() != (c.agent == "") {
		ok = false
	}
	if c.agent != "" && info.RoutedAt.Sub(t0) != c.routedAt {
		ok = false
	}
	if c.state == routing.Ended && info.EndedAt.Sub(t0) != c.endedAt {
		ok = false
	}
	if !ok {
		t.Fatalf("at %v: DescribeContact(%s) = %+v; reference %+v", m.ref.now, c.id, info, *c)
	}
	pos, err := m.h.in.ContactPosition(contact.ID(c.id))
	if c.state == routing.Waiting {
		if want := m.ref.position(c); err != nil || pos != want {
			t.Fatalf("at %v: ContactPosition(%s) = %d, %v; reference %d", m.ref.now, c.id, pos, err, want)
		}
	} else if err == nil {
		t.Fatalf("at %v: ContactPosition(%s) of a contact not waiting = %d, nil", m.ref.now, c.id, pos)
	}
}

// TestRouterMatchesReference runs random operations on an instance and on the brute-force
// reference router, and compares every routing decision (which contact to which agent, in
// order), every contact, agent, position, metric and NextWake after every step.
func TestRouterMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		m := &machine{cfg: cfg, ref: newRefRouter(cfg), adm: newRefAdmin()}
		m.h = newHarness(t, cfg)
		actions := map[string]func(*rapid.T){
			"":       m.check,
			"Arrive": m.arrive,
			"Arrive2": func(t *rapid.T) { // arrivals are the common event
				m.arrive(t)
			},
			"UpdatePriority": func(t *rapid.T) {
				m.update(t, ptr(rapid.Int64Range(1, 4).Draw(t, "priority")), nil)
			},
			"UpdateAge": func(t *rapid.T) {
				m.update(t, nil, ptr(rapid.SampledFrom([]int32{-30, -5, -1, 1, 5, 30}).Draw(t, "age")))
			},
			"UpdateInvalid": func(t *rapid.T) {
				switch rapid.IntRange(0, 2).Draw(t, "kind") {
				case 0:
					m.update(t, ptr[int64](1), ptr[int32](1))
				case 1:
					m.update(t, nil, nil)
				default:
					m.update(t, ptr(rapid.Int64Range(-2, 0).Draw(t, "priority")), nil)
				}
			},
			"SetState":  m.setState,
			"SetState2": m.setState,
			"Finish": func(t *rapid.T) {
				m.end(t, m.contactIDs(false, routing.WithAgent), routing.Completed, routing.Completed, routing.Stopped)
			},
			"Finish2": func(t *rapid.T) {
				m.end(t, m.contactIDs(false, routing.WithAgent), routing.Completed)
			},
			"Abandon": func(t *rapid.T) {
				m.end(t, m.contactIDs(false, routing.Waiting), routing.Abandoned, routing.Stopped)
			},
			"EndAny": func(t *rapid.T) { // errors: wrong reason, ended, unknown
				m.end(t, m.contactIDs(true), routing.Completed, routing.Abandoned, routing.Stopped)
			},
			"Advance":     m.advance,
			"Advance2":    m.advance,
			"QueueStatus": m.queueStatus,
			"QueueMax":    m.queueMax,
			"Transfer":    m.transfer,
		}
		maps.Copy(actions, m.adminActions())
		// rapid runs about 30 actions per Repeat; four in a row give longer histories.
		for range 4 {
			t.Repeat(actions)
		}
	})
}

// TestLateAdvance lets the clock jump over several timers before a single Advance, as a
// driver that calls Advance late does. No reference here (a late timer fires at the
// driver's time, not its own); instead, after every step the instance verifies, nothing due
// is left pending, no contact is routed twice, and a second instance given the same calls at
// the same times makes the same events (doc.go: "the same calls at the same times give the
// same routing").
func TestLateAdvance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := genConfig(t)
		cfg.PredefinedAttributes = critAttrs // for the criteria actions
		hs := [2]*harness{newHarness(t, cfg), newHarness(t, cfg)}
		n := 0
		do := func(op func(h *harness) error) {
			var errs [2]error
			for i, h := range hs {
				errs[i] = op(h)
			}
			if fmt.Sprint(errs[0]) != fmt.Sprint(errs[1]) {
				t.Fatalf("errors differ: %v, %v", errs[0], errs[1])
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) {
				h := hs[0]
				h.verify()
				if w, ok := h.in.NextWake(); ok && !w.After(h.clk.Now()) {
					t.Fatalf("NextWake %v not after now %v", w, h.clk.Now())
				}
				seen := map[string]bool{}
				for _, r := range h.rec.routes() {
					c, _, _ := strings.Cut(r, ">")
					if seen[c] {
						t.Fatalf("contact %s routed twice: %v", c, h.rec.routes())
					}
					seen[c] = true
				}
				if !slices.Equal(hs[0].rec.events, hs[1].rec.events) {
					t.Fatalf("the same calls gave different events")
				}
			},
			"Arrive": func(t *rapid.T) {
				spec := routing.ContactSpec{ID: contact.ID(fmt.Sprint("c", n)), QueueID: rapid.SampledFrom(cfg.Queues).Draw(t, "queue").ID,
					Channel:  rapid.SampledFrom([]contact.Channel{voiceCh, chatCh}).Draw(t, "channel"),
					Priority: rapid.Int64Range(0, 3).Draw(t, "priority"), AgeAdjustment: sec(rapid.IntRange(-10, 10).Draw(t, "age"))}
				n++
				do(func(h *harness) error { _, err := h.in.StartContact(spec); return err })
			},
			"ArriveCriteria": func(t *rapid.T) {
				spec := routing.ContactSpec{ID: contact.ID(fmt.Sprint("c", n)), QueueID: rapid.SampledFrom(cfg.Queues).Draw(t, "queue").ID,
					Channel: rapid.SampledFrom([]contact.Channel{voiceCh, chatCh}).Draw(t, "channel"), RoutingCriteria: genCriteria(t, cfg.Agents)}
				n++
				do(func(h *harness) error { _, err := h.in.StartContact(spec); return err })
			},
			"UpdateCriteria": func(t *rapid.T) {
				if n == 0 {
					t.Skip("no contact")
				}
				id := contact.ID(fmt.Sprint("c", rapid.IntRange(0, n-1).Draw(t, "contact")))
				rc := genCriteria(t, cfg.Agents)
				do(func(h *harness) error { return h.in.UpdateRoutingCriteria(id, rc, contact.RoutingUpdate{}) })
			},
			"Proficiencies": func(t *rapid.T) {
				a := rapid.SampledFrom(cfg.Agents).Draw(t, "agent").ID
				ps := profList(genProfs(t))
				if len(ps) == 0 {
					t.Skip("no proficiency")
				}
				do(func(h *harness) error { return h.in.AssociateUserProficiencies(a, ps) })
			},
			"Update": func(t *rapid.T) {
				if n == 0 {
					t.Skip("no contact")
				}
				id := contact.ID(fmt.Sprint("c", rapid.IntRange(0, n-1).Draw(t, "contact")))
				u := contact.SetPriority(rapid.Int64Range(1, 3).Draw(t, "priority"))
				if rapid.Bool().Draw(t, "age") {
					u = contact.AdjustAge(sec(rapid.IntRange(-20, 20).Draw(t, "seconds")))
				}
				do(func(h *harness) error { return h.in.UpdateRoutingData(id, u) })
			},
			"SetState": func(t *rapid.T) {
				a := rapid.SampledFrom(cfg.Agents).Draw(t, "agent").ID
				st := routing.AgentState(rapid.IntRange(0, 1).Draw(t, "state"))
				do(func(h *harness) error { return h.in.SetAgentState(a, st) })
			},
			"End": func(t *rapid.T) {
				if n == 0 {
					t.Skip("no contact")
				}
				id := contact.ID(fmt.Sprint("c", rapid.IntRange(0, n-1).Draw(t, "contact")))
				reason := rapid.SampledFrom([]routing.EndReason{routing.Completed, routing.Abandoned}).Draw(t, "reason")
				acw := sec(rapid.IntRange(0, 8).Draw(t, "acw"))
				do(func(h *harness) error { return h.in.EndContact(id, reason, acw) })
			},
			"Jump": func(t *rapid.T) {
				d := sec(rapid.IntRange(1, 30).Draw(t, "seconds"))
				do(func(h *harness) error { h.clk.Advance(d); h.in.Advance(); return nil })
			},
		})
	})
}
