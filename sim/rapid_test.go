package sim_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// genScenario draws a small random centre: one to three queues, voice and chat, profiles
// with random priorities, delays and concurrency, groups with shifts, staffing or neither
// and after-contact work, classes with timed rules, streams with and without patience.
func genScenario(t *rapid.T) *sim.Scenario {
	dur := func(label string, lo, hi int) sim.Duration {
		return sim.Duration(time.Duration(rapid.IntRange(lo, hi).Draw(t, label)) * time.Second)
	}
	dist := func(label string) sim.Dist {
		mean := dur(label+".mean", 1, 600)
		switch rapid.IntRange(0, 4).Draw(t, label+".type") {
		case 0:
			return sim.Exp(mean)
		case 1:
			return sim.Dist{Type: sim.LogNormal, Mean: mean, CV: rapid.Float64Range(0.1, 2).Draw(t, label+".cv")}
		case 2:
			return sim.Dist{Type: sim.Gamma, Mean: mean, CV: rapid.Float64Range(0.1, 2).Draw(t, label+".cv")}
		case 3:
			return sim.Fixed(dur(label+".value", 0, 600))
		}
		return sim.Dist{Type: sim.Empirical, Values: []sim.Duration{dur(label+".v0", 0, 300), dur(label+".v1", 0, 900)}}
	}
	sc := &sim.Scenario{
		Horizon:  dur("horizon", 600, 4*3600),
		Interval: sim.Duration(15 * time.Minute),
		Cycle:    sim.Duration(time.Hour),
	}
	sc.Warmup = sim.Duration(rapid.Int64Range(0, int64(sc.Horizon)-1).Draw(t, "warmup"))
	nq := rapid.IntRange(1, 3).Draw(t, "queues")
	for q := range nq {
		sc.Queues = append(sc.Queues, routing.QueueConfig{ID: fmt.Sprintf("q%d", q)})
	}
	channels := []contact.Channel{contact.Voice, contact.Chat}
	np := rapid.IntRange(1, 3).Draw(t, "profiles")
	for p := range np {
		pc := routing.ProfileConfig{ID: fmt.Sprintf("p%d", p), CrossChannel: rapid.Bool().Draw(t, "cross"),
			Concurrency: map[contact.Channel]int{contact.Chat: rapid.IntRange(1, 3).Draw(t, "chatConc")}}
		for q := range nq {
			for _, ch := range channels {
				if q == 0 && ch == contact.Voice || rapid.Bool().Draw(t, "serves") {
					delay := 0
					if rapid.IntRange(0, 3).Draw(t, "hasDelay") == 0 {
						delay = rapid.IntRange(1, 120).Draw(t, "delay")
					}
					pc.Queues = append(pc.Queues, routing.ProfileQueueConfig{QueueID: fmt.Sprintf("q%d", q), Channel: ch,
						Priority: rapid.IntRange(1, 3).Draw(t, "prio"), DelaySeconds: delay})
				}
			}
		}
		sc.RoutingProfiles = append(sc.RoutingProfiles, pc)
	}
	ng := rapid.IntRange(1, 3).Draw(t, "groups")
	for g := range ng {
		ag := sim.AgentGroup{ID: fmt.Sprintf("g%d", g), Count: rapid.IntRange(0, 4).Draw(t, "count"),
			RoutingProfileID: fmt.Sprintf("p%d", rapid.IntRange(0, np-1).Draw(t, "profile"))}
		if g == 0 {
			ag.RoutingProfileID = "p0"
		}
		switch rapid.IntRange(0, 2).Draw(t, "schedule") {
		case 1:
			start := dur("shiftStart", 0, 3599)
			ag.Shifts = []sim.Shift{{Start: start, End: start + dur("shiftLen", 1, 3600)}}
		case 2:
			for range 4 {
				ag.Staffing = append(ag.Staffing, rapid.IntRange(0, ag.Count).Draw(t, "staffing"))
			}
		}
		if rapid.Bool().Draw(t, "hasACW") {
			d := dist("acw")
			ag.AfterContactWork = &d
		}
		sc.AgentGroups = append(sc.AgentGroups, ag)
	}
	one, four := int64(1), int64(4)
	age := sim.Duration(90 * time.Second)
	sc.Classes = []sim.Class{
		{ID: "a", Priority: 3, Rules: []sim.Rule{{After: dur("after0", 0, 60), SetPriority: &one}}},
		{ID: "b", AgeAdjustment: dur("adj", 0, 300), Rules: []sim.Rule{{After: dur("after1", 0, 60), AddAge: &age},
			{After: dur("after2", 0, 120), SetPriority: &four}}},
	}
	// Streams only on lanes that profile p0 (used by group g0) serves.
	for _, e := range sc.RoutingProfiles[0].Queues {
		if !rapid.Bool().Draw(t, "stream") && e.QueueID != "q0" {
			continue
		}
		a := sim.Arrivals{Queue: e.QueueID, Channel: e.Channel, HandleTime: dist("handle"),
			Classes: []sim.ClassWeight{{Class: "a", Weight: 1}, {Class: "b", Weight: 1}, {Class: "default", Weight: 1}}}
		if rapid.Bool().Draw(t, "piecewise") {
			for range 4 {
				a.RatesPerHour = append(a.RatesPerHour, rapid.Float64Range(0, 200).Draw(t, "rate"))
			}
		} else {
			a.RatePerHour = rapid.Float64Range(1, 200).Draw(t, "rate")
		}
		if rapid.Bool().Draw(t, "hasPatience") {
			d := dist("patience")
			a.Patience = &d
		}
		sc.Arrivals = append(sc.Arrivals, a)
	}
	return sc
}

// TestConservationOfContacts: in any small scenario, every contact that arrived is, at the
// horizon, completed, abandoned, waiting or in service, as the routing core's own metrics
// confirm; the routing core's invariants hold after every event; and the contact records
// agree with the totals.
func TestConservationOfContacts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := genScenario(t)
		if err := sc.Validate(); err != nil {
			t.Fatalf("generated an invalid scenario: %v", err)
		}
		var recs []sim.ContactRecord
		rep, in, err := sim.RunVerified(sc, rapid.Uint64().Draw(t, "seed"), 0, sim.Hooks{
			OnContact: func(r sim.ContactRecord) { recs = append(recs, r) }})
		if err != nil {
			t.Fatal(err)
		}
		tot := rep.Totals
		if tot.Arrived != tot.Completed+tot.Abandoned+tot.Waiting+tot.InService {
			t.Fatalf("arrived %d; completed %d + abandoned %d + waiting %d + in service %d = %d", tot.Arrived,
				tot.Completed, tot.Abandoned, tot.Waiting, tot.InService, tot.Completed+tot.Abandoned+tot.Waiting+tot.InService)
		}
		checkCore(t, in, tot)
		checkRecords(t, recs, tot, sc)
		o := rep.Overall
		if o.Offered != o.Handled+o.Abandoned+o.WaitingAtEnd {
			t.Fatalf("offered %v; handled %v + abandoned %v + waiting %v", o.Offered, o.Handled, o.Abandoned, o.WaitingAtEnd)
		}
	})
}

// coreCounts returns the routing core's contacts in queue and with agents.
func coreCounts(t *rapid.T, in *routing.Instance) (waiting, onContact int64) {
	for _, q := range in.QueueIDs() {
		m, err := in.QueueMetrics(q)
		if err != nil {
			t.Fatal(err)
		}
		waiting += int64(m.ContactsInQueue)
	}
	for _, a := range in.AgentIDs() {
		info, err := in.DescribeAgent(a)
		if err != nil {
			t.Fatal(err)
		}
		onContact += int64(len(info.Contacts))
	}
	return waiting, onContact
}

// checkCore compares the totals with the routing core's view at the horizon.
func checkCore(t *rapid.T, in *routing.Instance, tot sim.Totals) {
	waiting, onContact := coreCounts(t, in)
	if waiting != tot.Waiting || onContact != tot.InService {
		t.Fatalf("core: %d waiting, %d with agents; totals: %d waiting, %d in service", waiting, onContact, tot.Waiting, tot.InService)
	}
}

func checkRecords(t *rapid.T, recs []sim.ContactRecord, tot sim.Totals, sc *sim.Scenario) {
	if int64(len(recs)) != tot.Arrived {
		t.Fatalf("%d contact records; %d arrived", len(recs), tot.Arrived)
	}
	seen := make([]bool, len(recs))
	var byReason [4]int64
	for _, r := range recs {
		if r.Seq >= uint64(len(recs)) || seen[r.Seq] {
			t.Fatalf("record seq %d repeated or out of range", r.Seq)
		}
		seen[r.Seq] = true
		byReason[r.Reason]++
		switch {
		case r.Arrival < 0 || r.Arrival >= sc.Horizon:
			t.Fatalf("record %+v arrived outside the horizon", r)
		case r.Routed >= 0 && (r.Routed < r.Arrival || r.Agent == "" || r.AgentIndex < 0):
			t.Fatalf("record %+v routed before arrival or without an agent", r)
		case r.Reason == routing.Completed && (r.Routed < 0 || r.Ended != r.Routed+r.HandleTime):
			t.Fatalf("record %+v completed but not after its handle time", r)
		case r.Reason == routing.Abandoned && (r.Routed >= 0 || r.Ended < r.Arrival):
			t.Fatalf("record %+v abandoned after routing or before arrival", r)
		case r.Warmup != (r.Arrival < sc.Warmup):
			t.Fatalf("record %+v: warm-up flag wrong for warm-up %v", r, sc.Warmup)
		}
	}
	if byReason[routing.Completed] != tot.Completed || byReason[routing.Abandoned] != tot.Abandoned ||
		byReason[routing.NotEnded] != tot.Waiting+tot.InService {
		t.Fatalf("records by reason %v; totals %+v", byReason, tot)
	}
}
