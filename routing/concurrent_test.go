package routing_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// concurrentConfig has four queues served by three profiles, with delays, chat concurrency 3
// and cross-channel agents, and twelve agents.
func concurrentConfig() routing.InstanceConfig {
	pv := profile("pv", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 1, 5), entry("q3", voiceCh, 2, 0), entry("q4", voiceCh, 3, 10))
	pc := cross(conc(profile("pc", entry("q1", chatCh, 1, 0), entry("q2", chatCh, 2, 0), entry("q4", voiceCh, 1, 5)), 3))
	pm := conc(profile("pm", entry("q3", voiceCh, 1, 0), entry("q3", chatCh, 1, 0), entry("q4", chatCh, 2, 5)), 2)
	var as []string
	for i := range 12 {
		as = append(as, fmt.Sprintf("a%d:%s", i, []string{"pv", "pc", "pm"}[i%3]))
	}
	return instance(queues("q1", "q2", "q3", "q4"), []routing.ProfileConfig{pv, pc, pm}, agents(as...))
}

// registry records the contacts the goroutines started and the age adjustments each call
// applied successfully to them.
type registry struct {
	mu  sync.Mutex
	ids []string
	adj map[string]*atomic.Int64
}

func (r *registry) add(id string, initial time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := new(atomic.Int64)
	v.Store(int64(initial))
	r.ids = append(r.ids, id)
	r.adj[id] = v
}

func (r *registry) pick(rng *rand.Rand) (string, *atomic.Int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.ids) == 0 {
		return "", nil, false
	}
	id := r.ids[rng.IntN(len(r.ids))]
	return id, r.adj[id], true
}

// TestConcurrentService issues mixed calls from many goroutines (run it with -race), then
// checks the invariants: Verify, every contact in exactly one place, concurrency respected,
// no contact routed twice, and each contact's AgeAdjustment exactly the sum of the
// adjustments that succeeded on it.
func TestConcurrentService(t *testing.T) {
	const (
		goroutines = 8
		ops        = 600
	)
	h := newHarness(t, concurrentConfig())
	ctx := context.Background()
	reg := &registry{adj: map[string]*atomic.Int64{}}
	qs := []string{"q1", "q2", "q3", "q4"}
	agentIDs := h.in.AgentIDs()
	var unexpected atomic.Int64
	// allowed fails the test on an error outside the ones the call may return under races.
	allowed := func(op string, err error, codes ...string) {
		if err == nil {
			return
		}
		var api routing.APIError
		if errors.As(err, &api) {
			for _, c := range codes {
				if api.ErrorCode() == c {
					return
				}
			}
		}
		unexpected.Add(1)
		t.Errorf("%s: unexpected error %v", op, err)
	}

	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for i := range ops {
				if unexpected.Load() > 10 {
					return
				}
				switch k := rng.IntN(100); {
				case k < 20: // start
					id := fmt.Sprintf("g%d-%d", g, i)
					ch := []contact.Channel{voiceCh, chatCh}[rng.IntN(2)]
					in := &routing.StartContactInput{InstanceId: h.id(), QueueId: ptr(qs[rng.IntN(len(qs))]), Channel: ch, ContactId: ptr(id)}
					var initial time.Duration
					if rng.IntN(2) == 0 {
						in.QueuePriority = ptr(int64(1 + rng.IntN(9)))
					}
					if rng.IntN(2) == 0 {
						in.QueueTimeAdjustmentSeconds = ptr(int32(rng.IntN(121) - 60))
						initial = time.Duration(*in.QueueTimeAdjustmentSeconds) * time.Second
					}
					// Register first: another goroutine may update the contact at once.
					reg.add(id, initial)
					if _, err := h.svc.StartContact(ctx, in); err != nil {
						t.Errorf("StartContact(%s) = %v", id, err)
					}
				case k < 40: // age update
					id, sum, ok := reg.pick(rng)
					if !ok {
						continue
					}
					s := int32(rng.IntN(201) - 100)
					_, err := h.svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: h.id(),
						ContactId: &id, QueueTimeAdjustmentSeconds: &s})
					if err == nil {
						sum.Add(int64(time.Duration(s) * time.Second))
					}
					allowed("age update", err, "ResourceConflictException", "ResourceNotFoundException")
				case k < 50: // priority update
					id, _, ok := reg.pick(rng)
					if !ok {
						continue
					}
					_, err := h.svc.UpdateContactRoutingData(ctx, &routing.UpdateContactRoutingDataInput{InstanceId: h.id(),
						ContactId: &id, QueuePriority: ptr(int64(1 + rng.IntN(9)))})
					allowed("priority update", err, "ResourceConflictException", "ResourceNotFoundException")
				case k < 60: // agent state
					st := routing.AgentOffline // one time in three
					if rng.IntN(3) > 0 {
						st = routing.AgentAvailable
					}
					_, err := h.svc.SetAgentState(ctx, &routing.SetAgentStateInput{InstanceId: h.id(),
						AgentId: ptr(agentIDs[rng.IntN(len(agentIDs))]), State: st})
					allowed("set agent state", err)
				case k < 75: // end: complete (maybe with after-contact work), or abandon
					// Mostly a contact routed lately, else any.
					id, ok := h.rec.recentRouted(rng, 20)
					if !ok || rng.IntN(4) == 0 {
						id, _, ok = reg.pick(rng)
					}
					if !ok {
						continue
					}
					// Choose a reason that fits the state seen; it may change meanwhile.
					reason := routing.Completed
					if out, err := h.svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: h.id(), ContactId: &id}); err == nil &&
						out.Contact.State == routing.Waiting {
						if rng.IntN(3) > 0 {
							continue
						}
						reason = routing.Abandoned
					}
					if rng.IntN(5) == 0 {
						reason = routing.Stopped
					}
					_, err := h.svc.EndContact(ctx, &routing.EndContactInput{InstanceId: h.id(), ContactId: &id,
						Reason: reason, AfterContactWork: sec(rng.IntN(3) * 2)})
					allowed("end", err, "ResourceConflictException", "InvalidParameterException", "ResourceNotFoundException")
				case k < 82: // describe
					id, _, ok := reg.pick(rng)
					if !ok {
						continue
					}
					_, err := h.svc.DescribeContact(ctx, &routing.DescribeContactInput{InstanceId: h.id(), ContactId: &id})
					allowed("describe", err, "ResourceNotFoundException")
				case k < 87: // position
					id, _, ok := reg.pick(rng)
					if !ok {
						continue
					}
					_, err := h.svc.GetContactPosition(ctx, &routing.GetContactPositionInput{InstanceId: h.id(), ContactId: &id})
					allowed("position", err, "ResourceConflictException", "ResourceNotFoundException")
				case k < 92: // metrics
					_, err := h.svc.GetCurrentMetrics(ctx, &routing.GetCurrentMetricsInput{InstanceId: h.id()})
					allowed("metrics", err)
				default: // the clock moves; the driver fires what is due
					h.clk.Advance(time.Duration(1+rng.IntN(3)) * time.Second)
					h.in.Advance()
					h.in.NextWake()
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	h.verify()
	checkPlaces(t, h, reg)
	h.clk.Advance(time.Hour) // every after-contact work and delay is over
	h.in.Advance()
	h.verify()
	checkPlaces(t, h, reg)
}

// checkPlaces checks that every contact is in exactly one place, that agents respect their
// concurrency, that no contact was routed twice, and the age adjustments.
func checkPlaces(t *testing.T, h *harness, reg *registry) {
	t.Helper()
	cfg := concurrentConfig()
	profiles := map[string]routing.ProfileConfig{}
	for _, p := range cfg.RoutingProfiles {
		profiles[p.ID] = p
	}
	holder := map[contact.ID]string{}
	for _, aid := range h.in.AgentIDs() {
		info, err := h.in.DescribeAgent(aid)
		require.NoError(t, err)
		p := profiles[info.RoutingProfileID]
		perCh := map[contact.Channel]int{}
		for _, cid := range info.Contacts {
			if prev, dup := holder[cid]; dup {
				t.Errorf("contact %s held by agents %s and %s", cid, prev, aid)
			}
			holder[cid] = aid
			perCh[h.describe(string(cid)).Channel]++
		}
		for ch, n := range perCh {
			limit := p.Concurrency[ch]
			if limit == 0 {
				limit = 1
			}
			assert.LessOrEqual(t, n, limit, "agent %s holds %d %s contacts; concurrency %d", aid, n, ch, limit)
		}
		if len(perCh) > 1 && !p.CrossChannel {
			t.Errorf("agent %s of profile %s holds several channels: %v", aid, p.ID, perCh)
		}
	}
	waiting := map[string]int{}
	routed := map[contact.ID]int{}
	routedTo := map[contact.ID]string{}
	for _, r := range h.rec.routes() {
		cid, aid, _ := strings.Cut(r, ">")
		routed[contact.ID(cid)]++
		routedTo[contact.ID(cid)] = aid
	}
	states := map[string]int{}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	for _, id := range reg.ids {
		info := h.describe(id)
		assert.LessOrEqual(t, routed[info.ID], 1, "contact %s routed %d times; want at most once", id, routed[info.ID])
		got, want := info.AgeAdjustment, time.Duration(reg.adj[id].Load())
		assert.Equal(t, want, got, "contact %s AgeAdjustment = %v; want %v, the sum of the adjustments applied", id, got, want)
		_, held := holder[info.ID]
		states[fmt.Sprint(info.State, "/", info.Reason)]++
		if routed[info.ID] > 0 {
			assert.Equal(t, routedTo[info.ID], info.AgentID, "contact %s routed to %s; DescribeContact says %q", id, routedTo[info.ID], info.AgentID)
		}
		_, posErr := h.in.ContactPosition(info.ID)
		switch info.State {
		case routing.Waiting:
			waiting[info.QueueID]++
			if held || posErr != nil || routed[info.ID] != 0 {
				t.Errorf("waiting contact %s: held %v, position error %v, routed %d", id, held, posErr, routed[info.ID])
			}
		case routing.WithAgent:
			if holder[info.ID] != info.AgentID || posErr == nil || routed[info.ID] != 1 {
				t.Errorf("contact %s with %s: held by %q, position error %v, routed %d", id, info.AgentID, holder[info.ID], posErr, routed[info.ID])
			}
		case routing.Ended:
			if held || posErr == nil {
				t.Errorf("ended contact %s: held %v, position error %v", id, held, posErr)
			}
			if (routed[info.ID] == 1) != (info.AgentID != "") {
				t.Errorf("ended contact %s (%s, agent %q) routed %d times", id, info.Reason, info.AgentID, routed[info.ID])
			}
		default:
			t.Errorf("contact %s in state %v", id, info.State)
		}
	}
	for _, q := range h.in.QueueIDs() {
		m, err := h.in.QueueMetrics(q)
		if assert.NoError(t, err, "QueueMetrics(%s)", q) {
			assert.Equal(t, waiting[q], m.ContactsInQueue, "QueueMetrics(%s) = %d contacts; want %d", q, m.ContactsInQueue, waiting[q])
		}
	}
	t.Logf("contacts by state/reason: %v", states)
}

// recentRouted returns one of the last n contacts routed.
func (r *recorder) recentRouted(rng *rand.Rand, n int) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for i := len(r.events) - 1; i >= 0 && len(ids) < n; i-- {
		if r.events[i].Kind == routing.ContactRouted {
			ids = append(ids, string(r.events[i].ContactID))
		}
	}
	if len(ids) == 0 {
		return "", false
	}
	return ids[rng.IntN(len(ids))], true
}
