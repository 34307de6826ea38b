package sim_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// addFlows draws flows onto a generated scenario: capacities, at-capacity branches,
// transfer and callback rules.
func addFlows(t *rapid.T, sc *sim.Scenario) {
	for i := range sc.Queues {
		if rapid.Bool().Draw(t, "capped") {
			sc.Queues[i].MaxContacts = ptr(rapid.IntRange(0, 4).Draw(t, "maxContacts"))
		}
	}
	queue := func(label string) string {
		return fmt.Sprintf("q%d", rapid.IntRange(0, len(sc.Queues)-1).Draw(t, label))
	}
	for i := range sc.Classes {
		c := &sc.Classes[i]
		if rapid.Bool().Draw(t, "hasAtCapacity") {
			c.AtCapacity = queue("atCapacity")
		}
		after := func(label string) sim.Duration {
			return sim.Duration(time.Duration(rapid.IntRange(0, 300).Draw(t, label)) * time.Second)
		}
		for range rapid.IntRange(0, 2).Draw(t, "transfers") {
			c.Rules = append(c.Rules, sim.Rule{After: after("transferAfter"), TransferTo: queue("transferTo")})
		}
		if rapid.Bool().Draw(t, "hasCallback") {
			cb := &sim.Callback{Share: rapid.Float64Range(0, 1).Draw(t, "share"),
				InitialCallDelaySeconds:   rapid.IntRange(1, 120).Draw(t, "delay"),
				MaximumConnectionAttempts: rapid.IntRange(1, 3).Draw(t, "attempts"),
				RetryDelaySeconds:         rapid.IntRange(1, 120).Draw(t, "retry"),
				ConnectProbability:        ptr(rapid.Float64Range(0, 1).Draw(t, "connect")),
				DialSeconds:               rapid.IntRange(0, 30).Draw(t, "dial")}
			if rapid.Bool().Draw(t, "otherQueue") {
				cb.Queue = queue("callbackQueue")
			}
			c.Rules = append(c.Rules, sim.Rule{After: after("callbackAfter"), Callback: cb})
		}
	}
}

// TestConservationWithFlows: with random capacities, at-capacity branches, transfers and
// callbacks, every contact that arrived is at the horizon completed, abandoned, blocked,
// failed as a callback, waiting or in service; the routing core's invariants hold after
// every event and agree with the totals; every contact not blocked or failed has one
// record, consistent with its reason.
func TestConservationWithFlows(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := genScenario(t)
		addFlows(t, sc)
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
		if sum := tot.Completed + tot.Abandoned + tot.Waiting + tot.InService + tot.Blocked + tot.CallbacksFailed; tot.Arrived != sum {
			t.Fatalf("arrived %d; the parts sum to %d: %+v", tot.Arrived, sum, tot)
		}
		waiting, onContact := coreCounts(t, in)
		// Callbacks waiting for their delay count as waiting but are not in a queue.
		if waiting > tot.Waiting || onContact != tot.InService {
			t.Fatalf("core: %d waiting, %d with agents; totals %+v", waiting, onContact, tot)
		}
		if want := tot.Arrived - tot.Blocked - tot.CallbacksFailed; int64(len(recs)) != want {
			t.Fatalf("%d records; want %d (%+v)", len(recs), want, tot)
		}
		var byReason [4]int64
		for _, r := range recs {
			byReason[r.Reason]++
			switch {
			case r.Arrival < 0 || r.Arrival >= sc.Horizon:
				t.Fatalf("record %+v arrived outside the horizon", r)
			case r.Routed >= 0 && r.Routed < r.Arrival:
				t.Fatalf("record %+v routed before arrival", r)
			case r.Reason == routing.Completed && (r.Routed < 0 || r.Ended != r.Routed+r.HandleTime):
				t.Fatalf("record %+v completed but not after its handle time", r)
			}
		}
		if byReason[routing.Completed] != tot.Completed || byReason[routing.Abandoned] != tot.Abandoned {
			t.Fatalf("records by reason %v; totals %+v", byReason, tot)
		}
		for _, q := range rep.Queues {
			if q.WaitingAtEnd < 0 {
				t.Fatalf("queue %s: %v waiting at the end", q.Key, q.WaitingAtEnd)
			}
		}
		if rep.Flows == nil {
			return
		}
		f := rep.Flows.Overall
		if open := f.CallbacksAccepted - f.CallbacksConnected - f.CallbacksFailed; open < 0 || open > float64(tot.Waiting+tot.InService) {
			t.Fatalf("callbacks: %+v; totals %+v", f, tot)
		}
	})
}
