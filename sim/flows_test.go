package sim_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// TestFlowsOffIsBitForBit: the example scenario with every flow present but neutral
// (queues of capacity 1,000,000, an at-capacity branch, transfers after the horizon, a
// callback offered and never accepted, connecting at probability 1 without retries) gives
// the figures of the scenario without them, bit for bit, but for the added flow figures;
// and each flow on changes them, the same on 1 and 2 workers. An accepted callback always
// changes the figures (the contact leaves its queue), so neutrality is a share of 0.
func TestFlowsOffIsBitForBit(t *testing.T) {
	base := load(t, "testdata/example.json")
	want := fingerprint(t, figuresOnly(runWorkers(t, base, 2)))
	off := load(t, "testdata/example.json")
	for i := range off.Queues {
		off.Queues[i].MaxContacts = ptr(1_000_000)
	}
	off.Classes[0].AtCapacity = "support"
	cb := &sim.Callback{Share: 0, InitialCallDelaySeconds: 1, MaximumConnectionAttempts: 1, ConnectProbability: ptr(1.0)}
	off.Classes[1].Rules = append(off.Classes[1].Rules,
		sim.Rule{After: sim.Duration(1000 * time.Hour), TransferTo: "sales"},
		sim.Rule{After: sim.Duration(time.Minute), Callback: cb})
	res := runWorkers(t, off, 2)
	require.NotNil(t, res.Flows, "flows reported")
	assert.Positive(t, res.Flows.Overall.CallbacksOffered.Mean, "callbacks offered (and refused)")
	assert.Zero(t, res.Flows.Overall.Blocked.Mean)
	if got := fingerprint(t, figuresOnly(res)); got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("flows neutral: the figures differ from byte %d: got %.200s; want %.200s", i, got[max(i-100, 0):], want[max(i-100, 0):])
	}
	for name, on := range map[string]func(sc *sim.Scenario){
		"capacity": func(sc *sim.Scenario) { sc.Queues[0].MaxContacts = ptr(1) },
		"transfer": func(sc *sim.Scenario) {
			sc.Classes[1].Rules = append(sc.Classes[1].Rules, sim.Rule{After: sim.Duration(time.Minute), TransferTo: "sales"})
		},
		"callback": func(sc *sim.Scenario) {
			sc.Classes[1].Rules = append(sc.Classes[1].Rules, sim.Rule{After: sim.Duration(time.Minute),
				Callback: &sim.Callback{Share: 0.5, InitialCallDelaySeconds: 60, MaximumConnectionAttempts: 3, RetryDelaySeconds: 120,
					ConnectProbability: ptr(0.7), DialSeconds: 20}})
		},
	} {
		sc := load(t, "testdata/example.json")
		on(sc)
		a, b := runWorkers(t, sc, 1), runWorkers(t, sc, 2)
		assert.Equal(t, fingerprint(t, a), fingerprint(t, b), "%s: the same on 1 and 2 workers", name)
		assert.NotEqual(t, want, fingerprint(t, figuresOnly(a)), "%s on changes the figures", name)
		for _, r := range a.Reps {
			tot := r.Totals
			assert.Equal(t, tot.Arrived, tot.Completed+tot.Abandoned+tot.Waiting+tot.InService+tot.Blocked+tot.CallbacksFailed,
				"%s: totals add up: %+v", name, tot)
		}
	}
}

// figuresOnly drops from res what is not a figure of the centre: the flow figures and the
// count of engine events (a rule schedules events whether or not it changes anything).
func figuresOnly(res *sim.Result) *sim.Result {
	res.Flows, res.Events = nil, 0
	for _, r := range res.Reps {
		r.Flows, r.Events = nil, 0
	}
	return res
}

func TestFlowFieldErrors(t *testing.T) {
	cb := func(f func(cb *sim.Callback)) func(sc *sim.Scenario) {
		return func(sc *sim.Scenario) {
			c := sim.Callback{Share: 0.5, InitialCallDelaySeconds: 10, MaximumConnectionAttempts: 1}
			f(&c)
			sc.Classes[1].Rules = append(sc.Classes[1].Rules, sim.Rule{After: 1, Callback: &c})
		}
	}
	for _, tc := range []struct {
		name   string
		break_ func(sc *sim.Scenario)
		want   string
	}{
		{"max contacts", func(sc *sim.Scenario) { sc.Queues[1].MaxContacts = ptr(-1) }, "queues[1].maxContacts"},
		{"at capacity", func(sc *sim.Scenario) { sc.Classes[0].AtCapacity = "x" }, `classes[0].atCapacity: unknown queue "x"`},
		{"transfer queue", func(sc *sim.Scenario) {
			sc.Classes[1].Rules = append(sc.Classes[1].Rules, sim.Rule{After: 1, TransferTo: "x"})
		}, `classes[1].rules[2].transferTo: unknown queue "x"`},
		{"transfer and more", func(sc *sim.Scenario) {
			sc.Classes[1].Rules = append(sc.Classes[1].Rules, sim.Rule{After: 1, TransferTo: "sales", SetPriority: ptr(int64(2))})
		}, "classes[1].rules[2]: a rule with transferTo or callback sets nothing else"},
		{"too many transfers", func(sc *sim.Scenario) {
			for range routing.MaxTransfers + 1 {
				sc.Classes[0].Rules = append(sc.Classes[0].Rules, sim.Rule{After: 1, TransferTo: "sales"})
			}
		}, "classes[0].rules[11].transferTo: more than 11 transfer rules"},
		{"share", cb(func(c *sim.Callback) { c.Share = 2 }), "classes[1].rules[2].callback.share: 2 is not in [0, 1]"},
		{"callback queue", cb(func(c *sim.Callback) { c.Queue = "x" }), `classes[1].rules[2].callback.queue: unknown queue "x"`},
		{"priority", cb(func(c *sim.Callback) { c.Priority = -1 }), "classes[1].rules[2].callback.priority: -1 is out of range"},
		{"initial delay", cb(func(c *sim.Callback) { c.InitialCallDelaySeconds = 0 }),
			"classes[1].rules[2].callback.initialCallDelaySeconds: 0 is out of range 1..259200"},
		{"initial delay big", cb(func(c *sim.Callback) { c.InitialCallDelaySeconds = 259201 }),
			"classes[1].rules[2].callback.initialCallDelaySeconds: 259201 is out of range"},
		{"attempts", cb(func(c *sim.Callback) { c.MaximumConnectionAttempts = 0 }),
			"classes[1].rules[2].callback.maximumConnectionAttempts: 0 is below 1"},
		{"retry delay", cb(func(c *sim.Callback) { c.MaximumConnectionAttempts = 2 }),
			"classes[1].rules[2].callback.retryDelaySeconds: 0 is out of range 1..259200"},
		{"connect", cb(func(c *sim.Callback) { c.ConnectProbability = ptr(-0.1) }),
			"classes[1].rules[2].callback.connectProbability: -0.1 is not in [0, 1]"},
		{"dial", cb(func(c *sim.Callback) { c.DialSeconds = -1 }), "classes[1].rules[2].callback.dialSeconds: -1 is out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := load(t, "testdata/example.json")
			tc.break_(sc)
			err := sc.Validate()
			var se *sim.ScenarioError
			require.True(t, errors.As(err, &se), "got %v; want a *ScenarioError", err)
			assert.True(t, strings.Contains(err.Error(), tc.want), "got %q; want it to contain %q", err, tc.want)
		})
	}
}

// flowCentre is two voice-and-task queues, q served by one agent of group a and q2 by
// one of group b, replaying trace rows (arrival,queue,channel,handle,class; times in
// seconds) for 1000 s.
func flowCentre(t *testing.T, rows ...string) *sim.Scenario {
	dir := t.TempDir()
	csv := "arrival,queue,channel,handle,class\n" + strings.Join(rows, "\n") + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t.csv"), []byte(csv), 0o600))
	h := sim.Duration(1000 * time.Second)
	serve := func(id, q string) routing.ProfileConfig {
		return routing.ProfileConfig{ID: id, Queues: []routing.ProfileQueueConfig{
			{QueueID: q, Channel: contact.Voice, Priority: 1}, {QueueID: q, Channel: contact.Task, Priority: 1}}}
	}
	sc := &sim.Scenario{Horizon: h, Interval: h, Cycle: h,
		Queues:          []routing.QueueConfig{{ID: "q"}, {ID: "q2"}},
		RoutingProfiles: []routing.ProfileConfig{serve("p", "q"), serve("p2", "q2")},
		AgentGroups: []sim.AgentGroup{{ID: "a", Count: 1, RoutingProfileID: "p"},
			{ID: "b", Count: 1, RoutingProfileID: "p2"}},
		Classes: []sim.Class{{ID: "default"}},
		Trace:   &sim.Trace{File: "t.csv"},
	}
	sc.SetDir(dir)
	return sc
}

func runByHand(t *testing.T, sc *sim.Scenario) (*sim.Replication, map[uint64]sim.ContactRecord) {
	t.Helper()
	recs := map[uint64]sim.ContactRecord{}
	rep, err := sim.RunReplication(context.Background(), sc, 1, 0, sim.Hooks{OnContact: func(r sim.ContactRecord) { recs[r.Seq] = r }})
	require.NoError(t, err)
	require.NotNil(t, rep.Flows)
	return rep, recs
}

func secs(x float64) sim.Duration { return sim.Duration(x * float64(time.Second)) }

// TestCapacityByHand: queue q holds one waiting contact. Contacts arrive at 0, 1 and 2 s
// (handle 10 s): the first goes to a's agent, the second waits, the third finds q full:
// blocked, or, with the class's at-capacity branch q2, answered at once by b's agent.
func TestCapacityByHand(t *testing.T) {
	rows := []string{"0,q,VOICE,10,", "1,q,VOICE,10,", "2,q,VOICE,10,"}
	sc := flowCentre(t, rows...)
	sc.Queues[0].MaxContacts = ptr(1)
	rep, recs := runByHand(t, sc)
	q := rep.Flows.Queues[0]
	assert.Equal(t, []float64{3, 1, 0, 1.0 / 3}, []float64{q.Attempts, q.Blocked, q.Overflowed, q.BlockRate}, "q: attempts, blocked, overflowed, block rate")
	assert.Equal(t, sim.Totals{Arrived: 3, Completed: 2, Blocked: 1}, rep.Totals)
	assert.Equal(t, 2.0, rep.Overall.Offered, "a blocked contact is offered to no queue")
	assert.Equal(t, 0.0, rep.Overall.Abandoned, "a blocked contact is not abandoned")
	assert.Len(t, recs, 2, "blocked contacts are not reported")

	sc = flowCentre(t, rows...)
	sc.Queues[0].MaxContacts = ptr(1)
	sc.Classes[0].AtCapacity = "q2"
	rep, recs = runByHand(t, sc)
	q = rep.Flows.Queues[0]
	assert.Equal(t, []float64{3, 0, 1}, []float64{q.Attempts, q.Blocked, q.Overflowed}, "q: attempts, blocked, overflowed")
	assert.Equal(t, sim.Totals{Arrived: 3, Completed: 3}, rep.Totals)
	assert.Equal(t, []float64{2, 1}, []float64{rep.Queues[0].Offered, rep.Queues[1].Offered}, "offered in q, q2")
	assert.Equal(t, "q2", recs[2].Queue)
	assert.Equal(t, secs(2), recs[2].Routed, "the overflowed contact is answered at once in q2")

	sc.Queues[1].MaxContacts = ptr(0)
	sc.AgentGroups[1].Count = 0
	rep, _ = runByHand(t, sc)
	assert.Equal(t, 1.0, rep.Flows.Queues[0].Blocked, "both queues full: blocked, counted where first refused")
	assert.Equal(t, 0.0, rep.Flows.Queues[1].Blocked)
}

// TestTransferByHand: after 30 s in q (whose agent is busy until 100 s), a voice contact
// and a task are transferred to q2, the voice contact at 31 s (answered at once by b's
// agent, busy until 41 s), the task at 35 s (answered at 41 s): their waits in q2 start
// at the transfer, as Connect reports a transferred contact's queue time.
func TestTransferByHand(t *testing.T) {
	sc := flowCentre(t, "0,q,VOICE,100,", "1,q,VOICE,10,", "5,q,TASK,10,")
	sc.Classes[0].Rules = []sim.Rule{{After: secs(30), TransferTo: "q2"}}
	rep, recs := runByHand(t, sc)
	assert.Equal(t, []float64{0, 2}, []float64{rep.Flows.Queues[0].TransfersIn, rep.Flows.Queues[1].TransfersIn}, "transfers in")
	assert.Equal(t, []float64{2, 0}, []float64{rep.Flows.Queues[0].TransfersOut, rep.Flows.Queues[1].TransfersOut}, "transfers out")
	q, q2 := rep.Queues[0], rep.Queues[1]
	assert.Equal(t, []float64{3, 1, 0}, []float64{q.Offered, q.Handled, q.WaitingAtEnd}, "q: offered, handled, waiting at end")
	assert.Equal(t, []float64{2, 2, 0}, []float64{q2.Offered, q2.Handled, q2.WaitingAtEnd}, "q2: offered, handled, waiting at end")
	assert.InDelta(t, (0+6)/2.0, q2.ASA, 1e-9, "q2's ASA counts from the transfers")
	for seq, want := range []struct {
		queue           string
		arrival, routed sim.Duration
	}{{"q", 0, 0}, {"q2", secs(31), secs(31)}, {"q2", secs(35), secs(41)}} {
		r := recs[uint64(seq)]
		assert.Equal(t, []any{want.queue, want.arrival, want.routed}, []any{r.Queue, r.Arrival, r.Routed}, "contact %d: queue, arrival, routed", seq)
	}
	assert.Equal(t, sim.Totals{Arrived: 3, Completed: 3}, rep.Totals)
}

// TestCallbackByHand: a's agent is busy until 100 s. The contact arriving at 1 s is
// offered a callback at 11 s and accepts; its callback enters q at 16 s and is taken at
// 100 s. Connecting, it is handled until 110 s (callback wait 99 s). Never connecting
// (two attempts, 3 s of dialling, 20 s apart) it fails at 126 s.
func TestCallbackByHand(t *testing.T) {
	cb := sim.Callback{Share: 1, InitialCallDelaySeconds: 5, MaximumConnectionAttempts: 2, RetryDelaySeconds: 20, DialSeconds: 3}
	sc := flowCentre(t, "0,q,VOICE,100,", "1,q,VOICE,10,")
	sc.Classes[0].Rules = []sim.Rule{{After: secs(10), Callback: &cb}}
	rep, recs := runByHand(t, sc)
	f := rep.Flows.Queues[0]
	assert.Equal(t, []float64{1, 1, 1, 0, 99}, []float64{f.CallbacksOffered, f.CallbacksAccepted, f.CallbacksConnected,
		f.CallbacksFailed, f.CallbackWait}, "offered, accepted, connected, failed, wait")
	assert.Equal(t, sim.Totals{Arrived: 2, Completed: 2}, rep.Totals)
	assert.Equal(t, []float64{3, 2, 0, 0}, []float64{rep.Overall.Offered, rep.Overall.Handled, rep.Overall.Abandoned,
		rep.Overall.WaitingAtEnd}, "segments: offered, handled, abandoned, waiting at end")
	assert.Equal(t, []sim.Duration{secs(16), secs(100), secs(110)}, []sim.Duration{recs[1].Arrival, recs[1].Routed, recs[1].Ended},
		"the callback: queued, routed, ended")

	cb.ConnectProbability = ptr(0.0)
	rep, recs = runByHand(t, sc)
	f = rep.Flows.Queues[0]
	assert.Equal(t, []float64{1, 1, 0, 1}, []float64{f.CallbacksOffered, f.CallbacksAccepted, f.CallbacksConnected,
		f.CallbacksFailed}, "offered, accepted, connected, failed")
	assert.Equal(t, sim.Totals{Arrived: 2, Completed: 1, CallbacksFailed: 1}, rep.Totals)
	assert.Len(t, recs, 1, "a failed callback is not reported")
	assert.InDelta(t, (100+3+3)/3600.0, rep.Groups[0].BusyHours, 1e-12, "a's agent: 100 s handling, two 3 s dials")
}

// busyFlowsScenario is a busy centre with every flow: a full queue overflowing, voice and
// task transfers, callbacks with retries.
func busyFlowsScenario() *sim.Scenario {
	sc := mmc(3, 60.0/3600, 1.0/200, 3, 2, sim.ClassWeight{Class: "c", Weight: 1})
	sc.Queues = append(sc.Queues, routing.QueueConfig{ID: "q2", MaxContacts: ptr(2)})
	sc.Queues[0].MaxContacts = ptr(4)
	sc.RoutingProfiles[0].Queues = append(sc.RoutingProfiles[0].Queues,
		routing.ProfileQueueConfig{QueueID: "q", Channel: contact.Task, Priority: 1},
		routing.ProfileQueueConfig{QueueID: "q2", Channel: contact.Voice, Priority: 2},
		routing.ProfileQueueConfig{QueueID: "q2", Channel: contact.Task, Priority: 2})
	task := sc.Arrivals[0]
	task.Channel = contact.Task
	sc.Arrivals = append(sc.Arrivals, task)
	patience := sim.Exp(sim.Duration(5 * time.Minute))
	sc.Arrivals[0].Patience = &patience
	sc.Classes = []sim.Class{{ID: "c", AtCapacity: "q2", Rules: []sim.Rule{
		{After: secs(30), TransferTo: "q2"},
		{After: secs(90), TransferTo: "q"},
		{After: secs(120), Callback: &sim.Callback{Share: 0.6, InitialCallDelaySeconds: 30, MaximumConnectionAttempts: 3,
			RetryDelaySeconds: 60, ConnectProbability: ptr(0.5), DialSeconds: 15}},
	}}}
	return sc
}

// TestFlowsVerified runs a busy centre with every flow (a full queue overflowing, voice and
// task transfers, callbacks with retries) checking the routing core's invariants after
// every event; the totals add up and the figures appear in the table and CSV.
func TestFlowsVerified(t *testing.T) {
	sc := busyFlowsScenario()
	var tot sim.Totals
	for rep := range 2 {
		r, _, err := sim.RunVerified(sc, 3, rep, sim.Hooks{})
		require.NoError(t, err)
		tot = r.Totals
		assert.Equal(t, tot.Arrived, tot.Completed+tot.Abandoned+tot.Waiting+tot.InService+tot.Blocked+tot.CallbacksFailed,
			"totals add up: %+v", tot)
		f := r.Flows.Overall
		for name, v := range map[string]float64{"blocked": f.Blocked, "overflowed": f.Overflowed, "transfersIn": f.TransfersIn,
			"callbacksConnected": f.CallbacksConnected, "callbacksFailed": f.CallbacksFailed} {
			assert.Positive(t, v, "%s in replication %d", name, rep)
		}
		assert.Equal(t, f.TransfersIn, f.TransfersOut)
		open := f.CallbacksAccepted - f.CallbacksConnected - f.CallbacksFailed
		assert.True(t, open >= 0 && open <= float64(tot.Waiting+tot.InService),
			"accepted callbacks connect, fail or are still open at the horizon: %v open, %+v", open, tot)
	}
	res := runWorkers(t, sc, 2)
	var table, csv strings.Builder
	require.NoError(t, res.WriteTable(&table))
	require.NoError(t, res.WriteCSV(&csv))
	assert.Contains(t, table.String(), "callbacksConnected")
	assert.Contains(t, csv.String(), "flows,q2,transfersIn,")
}

// TestCallbackShares: in an overloaded centre, offers are accepted at the callback's share
// and, of the callbacks that end, the share that fails is (1 - p)^n for connect probability
// p and n attempts, each within a 99.9% binomial band.
func TestCallbackShares(t *testing.T) {
	sc := mmc(3, 1.1*3/180, 1.0/180, 8, 4)
	const share, p, n = 0.4, 0.5, 3
	sc.Classes = []sim.Class{{ID: "default", Rules: []sim.Rule{{After: secs(30), Callback: &sim.Callback{Share: share,
		InitialCallDelaySeconds: 10, MaximumConnectionAttempts: n, RetryDelaySeconds: 30, ConnectProbability: ptr(p), DialSeconds: 10}}}}}
	res := runWorkers(t, sc, 2)
	var offered, accepted, connected, failed float64
	for _, r := range res.Reps {
		f := r.Flows.Overall
		offered, accepted = offered+f.CallbacksOffered, accepted+f.CallbacksAccepted
		connected, failed = connected+f.CallbacksConnected, failed+f.CallbacksFailed
	}
	require.Greater(t, offered, 1000.0)
	band := func(m, q float64) float64 { return 3.3*math.Sqrt(m*q*(1-q)) + 1 } // 99.9% normal band
	assert.InDelta(t, share*offered, accepted, band(offered, share), "accepted of %v offers", offered)
	pf := math.Pow(1-p, n)
	ended := connected + failed
	assert.InDelta(t, pf*ended, failed, band(ended, pf), "failed of %v ended callbacks", ended)
	assert.Positive(t, res.Flows.Overall.CallbackWait.Mean)
}

// TestFlowRecords: the records of a transferred contact and of a callback carry Connect's
// InitiationMethod for their last segment.
func TestFlowRecords(t *testing.T) {
	sc := flowCentre(t, "0,q,VOICE,100,", "1,q,VOICE,10,", "2,q,TASK,10,")
	sc.Classes = []sim.Class{{ID: "default", Rules: []sim.Rule{{After: secs(30), TransferTo: "q"}}}}
	_, recs := runByHand(t, sc)
	assert.Equal(t, []string{"", "QUEUE_TRANSFER", "QUEUE_TRANSFER"}, []string{recs[0].Initiation, recs[1].Initiation, recs[2].Initiation})
	sc = flowCentre(t, "0,q,VOICE,100,", "1,q,VOICE,10,cb")
	sc.Classes = append(sc.Classes, sim.Class{ID: "cb", Rules: []sim.Rule{{After: secs(10),
		Callback: &sim.Callback{Share: 1, InitialCallDelaySeconds: 1, MaximumConnectionAttempts: 1}}}})
	_, recs = runByHand(t, sc)
	assert.Equal(t, []string{"", "CALLBACK"}, []string{recs[0].Initiation, recs[1].Initiation})
}

// TestFlowsDoc: the flows example of docs/scenario.md decodes, validates and runs with
// every flow at work, and the section documents every field of Callback.
func TestFlowsDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "scenario.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## Flows: queue capacity, transfers and callbacks\n")
	require.True(t, ok, "docs/scenario.md has a Flows section")
	section, _, _ = strings.Cut(section, "\n## ")
	_, rest, ok := strings.Cut(section, "```json\n")
	require.True(t, ok, "the Flows section has a json example")
	block, _, _ := strings.Cut(rest, "```")
	sc, err := sim.DecodeScenario(strings.NewReader(block))
	require.NoError(t, err)
	res := runWorkers(t, sc, 2)
	f := res.Flows.Overall
	for name, v := range map[string]float64{"overflowed": f.Overflowed.Mean, "transfersIn": f.TransfersIn.Mean,
		"callbacksConnected": f.CallbacksConnected.Mean} {
		assert.Positive(t, v, name)
	}
	for _, field := range reflect.VisibleFields(reflect.TypeFor[sim.Callback]()) {
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		assert.True(t, strings.Contains(section, "| `"+name+"` |"), "the Flows section documents callback.%s", name)
	}
	for _, name := range []string{"maxContacts", "atCapacity", "transferTo", "callback"} {
		assert.True(t, strings.Contains(string(doc), "`"+name+"`"), "docs/scenario.md documents %s", name)
	}
}
