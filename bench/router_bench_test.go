package bench_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The router benchmark: a contact centre of routerQueues queues and routerAgents voice agents
// in routerProfiles routing profiles, with routerWaiting contacts resident in the queues, all
// agents busy. Profile k serves 10+k queues (k*10 .. k*10+9+k, mod routerQueues); even
// profiles serve all theirs at priority 1, odd ones at priorities 1, 2, 3 in turn. Agent i
// has profile i mod routerProfiles.
//
// One iteration is one routed contact, in steady state: the clock moves 1 ms; the agent whose
// contact was routed longest ago completes it (no after-contact work) and takes the next
// contact of its profile; a new contact arrives in the queue that contact left, so that each
// queue keeps its length. Ended contacts are forgotten (RetainEnded: -1) and the new contact
// takes a pre-built ID freed a while ago, so nothing grows and no string is built. ns/op and
// allocs/op are per routed contact; ns/routed reports the same time, computed from the routes
// the observer counted, which the benchmark checks equal the iterations.
//
// Variants:
//   - delays=none: every profile entry has delay 0.
//   - delays=mixed: a quarter of the entries have a delay of 10 s, a quarter 30 s. Each
//     arrival then sets a timer per distinct delay of its queue, the contact joins a delay
//     tier when it fires, and leaves every tier when routed.
const (
	routerQueues   = 100
	routerProfiles = 10
	routerAgents   = 1_000
	routerWaiting  = 100_000
	routerSpareIDs = 1 << 12 // IDs resting between a contact's end and their reuse
)

// routerFixture is one built contact centre and the driver state that keeps it steady.
type routerFixture struct {
	in  *routing.Instance
	now time.Time // what the instance's clock reads

	// inProgress is a ring of the contacts with agents, oldest routed first; routedQueue
	// is the queue of the contact routed last; routed counts routes.
	inProgress []contact.ID
	head, n    int
	routedQ    string
	routed     int

	// free is a ring of IDs not in use, oldest freed first.
	free      []contact.ID
	freeHead  int
	queueIDs  []string
	queueByID map[string]string // interned queue IDs, so the observer keeps no new strings
}

// Wants implements routing.EventFilter: the fixture needs only the routes, as the simulator
// needs only routes and the ends of after-contact work.
func (f *routerFixture) Wants(k routing.EventKind) bool { return k == routing.ContactRouted }

// Observe keeps the routes: the contact goes to the back of inProgress.
func (f *routerFixture) Observe(e routing.Event) {
	if e.Kind != routing.ContactRouted {
		return
	}
	f.inProgress[(f.head+f.n)%len(f.inProgress)] = e.ContactID
	f.n++
	f.routedQ = e.QueueID
	f.routed++
}

func routerConfig(delays bool) routing.InstanceConfig {
	cfg := routing.InstanceConfig{ID: "bench", RetainEnded: -1}
	for q := range routerQueues {
		cfg.Queues = append(cfg.Queues, routing.QueueConfig{ID: fmt.Sprintf("q%03d", q)})
	}
	for k := range routerProfiles {
		p := routing.ProfileConfig{ID: fmt.Sprint("p", k)}
		for j := range 10 + k {
			e := routing.ProfileQueueConfig{QueueID: cfg.Queues[(k*10+j)%routerQueues].ID, Channel: contact.Voice, Priority: 1}
			if k%2 == 1 {
				e.Priority = 1 + j%3
			}
			if delays {
				e.DelaySeconds = [...]int{0, 10, 0, 30}[j%4]
			}
			p.Queues = append(p.Queues, e)
		}
		cfg.RoutingProfiles = append(cfg.RoutingProfiles, p)
	}
	for i := range routerAgents {
		cfg.Agents = append(cfg.Agents, routing.AgentConfig{ID: fmt.Sprintf("agent%04d", i),
			RoutingProfileID: cfg.RoutingProfiles[i%routerProfiles].ID})
	}
	return cfg
}

// newRouterFixture builds the centre: agents available first, then routerAgents +
// routerWaiting contacts arriving 1 ms apart, round-robin over the queues (the first ones
// go straight to agents), then a minute so that every delay has passed.
func newRouterFixture(tb testing.TB, delays bool) *routerFixture {
	f := &routerFixture{now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), inProgress: make([]contact.ID, routerAgents),
		queueByID: map[string]string{}}
	cfg := routerConfig(delays)
	cfg.Observer = f
	in, err := routing.NewInstance(cfg, routing.ClockFunc(func() time.Time { return f.now }))
	if err != nil {
		tb.Fatal(err)
	}
	f.in = in
	f.fill(tb, cfg, func(spec *routing.ContactSpec) {})
	runtime.GC() // the build's garbage is not the benchmark's
	return f
}

// step routes one contact: the oldest routed contact completes, its agent takes the next,
// and a new contact arrives in the queue that one left.
func (f *routerFixture) step(tb testing.TB) { f.stepWith(tb, nil) }

// stepWith is step with crit, when not nil, as the new contact's criteria.
func (f *routerFixture) stepWith(tb testing.TB, crit *routing.PreparedCriteria) {
	f.now = f.now.Add(time.Millisecond)
	id := f.inProgress[f.head]
	f.head = (f.head + 1) % len(f.inProgress)
	f.n--
	if err := f.in.EndContact(id, routing.Completed, 0); err != nil {
		tb.Fatal(err)
	}
	next := f.free[f.freeHead]
	f.free[f.freeHead] = id
	f.freeHead = (f.freeHead + 1) % len(f.free)
	if _, err := f.in.StartContact(routing.ContactSpec{ID: next, QueueID: f.routedQ, Channel: contact.Voice, Criteria: crit}); err != nil {
		tb.Fatal(err)
	}
}

// check verifies the instance and that the backlog is intact.
func (f *routerFixture) check(tb testing.TB) {
	if err := f.in.Verify(); err != nil {
		tb.Fatal(err)
	}
	waiting := 0
	for _, q := range f.queueIDs {
		m, err := f.in.QueueMetrics(q)
		if err != nil {
			tb.Fatal(err)
		}
		waiting += m.ContactsInQueue
		if m.AgentsOnContact+m.AgentsAvailable == 0 {
			tb.Fatalf("queue %s has no agents", q)
		}
	}
	if waiting != routerWaiting || f.n != routerAgents {
		tb.Fatalf("%d contacts waiting, %d with agents; want %d, %d", waiting, f.n, routerWaiting, routerAgents)
	}
}

// The router benchmarks keep one fixture at a time: building another drops the last, so that
// each benchmark measures its own centre, not the memory, and the collector's work, of the
// fixtures that benchmarks before it in the process left behind. With every fixture kept,
// RouterCriteria in bench/run.sh's one process (after the steady-state benchmarks, with their
// two centres of 100,000 contacts resident) measured 10 to 15% slower than run alone.
var (
	fixtureMu  sync.Mutex
	fixtureKey string
	fixtureVal any
)

// sharedFixture returns the fixture named key, building it with build (after dropping the
// fixture kept before) when it is not the one kept. Every benchmark run leaves a fixture in
// the same steady state, so consecutive runs of one benchmark share it.
func sharedFixture[T any](key string, build func() T) T {
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if fixtureKey != key {
		fixtureKey, fixtureVal = "", nil
		runtime.GC()
		fixtureVal, fixtureKey = build(), key
	}
	return fixtureVal.(T)
}

// sharedRouterFixture is the steady-state fixture with or without delays.
func sharedRouterFixture(tb testing.TB, delays bool) *routerFixture {
	return sharedFixture(fmt.Sprint("steady delays=", delays), func() *routerFixture { return newRouterFixture(tb, delays) })
}

// BenchmarkRouterSteadyState times one routed contact; see the comment on routerQueues.
func BenchmarkRouterSteadyState(b *testing.B) {
	for _, delays := range []bool{false, true} {
		name := "delays=none"
		if delays {
			name = "delays=mixed"
		}
		b.Run(name, func(b *testing.B) {
			f := sharedRouterFixture(b, delays)
			b.ReportAllocs()
			routed0, iters := f.routed, 0
			b.ResetTimer()
			for b.Loop() {
				f.step(b)
				iters++
			}
			b.StopTimer()
			routed := f.routed - routed0
			if routed != iters {
				b.Fatalf("routed %d contacts in %d iterations; want one each", routed, iters)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(routed), "ns/routed")
			f.check(b)
		})
	}
}

// BenchmarkRouterIDFloor times what any router keyed by contact ID pays per cycle of
// BenchmarkRouterSteadyState, whatever its routing: the same IDs in the same pattern (a
// contact routed about routerAgents cycles ago ends; a new one takes an ID freed
// routerSpareIDs cycles ago), a Go map of routerAgents + routerWaiting records, and per cycle
// one lookup and one delete of the ended ID, one lookup and one insert of the new ID, and a
// read of each record. It is the floor under the steady-state figure on this machine: the
// ID bytes, the map's groups and the records are cold by the time a cycle needs them.
func BenchmarkRouterIDFloor(b *testing.B) {
	type rec struct {
		id    contact.ID
		state int
		_     [176]byte // a routing record's size
	}
	total := routerAgents + routerWaiting
	ids := make([]contact.ID, total+routerSpareIDs)
	for i := range ids {
		ids[i] = contact.ID(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i))
	}
	m := make(map[contact.ID]*rec)
	pool := make([]*rec, 0, 1)
	for _, id := range ids[:total] {
		m[id] = &rec{id: id}
	}
	// active holds the IDs in use in the order they will end: the waiting ones after the
	// routed ones, as in the steady state; free holds the spare IDs.
	active := append([]contact.ID(nil), ids[:total]...)
	free := append([]contact.ID(nil), ids[total:]...)
	head, freeHead := 0, 0
	runtime.GC()
	b.ReportAllocs()
	sink := 0
	for b.Loop() {
		id := active[head]
		r := m[id]
		sink += r.state
		delete(m, id)
		pool = append(pool, r)
		next := free[freeHead]
		free[freeHead] = id
		freeHead = (freeHead + 1) % len(free)
		if _, dup := m[next]; dup {
			b.Fatal("duplicate")
		}
		r = pool[len(pool)-1]
		pool = pool[:len(pool)-1]
		r.id, r.state = next, 1
		m[next] = r
		active[head] = next
		head = (head + 1) % len(active)
	}
	if sink < 0 {
		b.Fatal(sink)
	}
}

// The criteria variant: the same centre (delays none) with predefined attributes a0, a1, a2
// of ten values v0..v9 each, every agent proficient in one value of each (agent i: a0 =
// v(i/10 mod 10) at level 1 + i mod 5, a1 = v(i/100), a2 = v((i+i/10) mod 10), at level 3),
// so that a value of an attribute covers about 10% of the agents, spread over the profiles.
// Every contact carries 2-step criteria, one of 100 prepared once: step 1 is a0 = v >= 1
// (about 10% of the agents) for 30 s; step 2, which never expires, is a1 in any of five
// values (about half of them). With 1e5 waiting and a contact routed per ms, every contact
// waits about 100 s: each iteration also expires one contact's first step.
const (
	critAttributes = 3
	critValues     = 10
	critStep1      = 30 // seconds
)

func critConfig() routing.InstanceConfig {
	cfg := routerConfig(false)
	for a := range critAttributes {
		at := routing.AttributeConfig{Name: fmt.Sprint("a", a)}
		for v := range critValues {
			at.Values = append(at.Values, fmt.Sprint("v", v))
		}
		cfg.PredefinedAttributes = append(cfg.PredefinedAttributes, at)
	}
	for i := range cfg.Agents {
		cfg.Agents[i].Proficiencies = []routing.ProficiencyConfig{
			{AttributeName: "a0", AttributeValue: fmt.Sprint("v", i/10%10), Level: float64(1 + i%5)},
			{AttributeName: "a1", AttributeValue: fmt.Sprint("v", i/100%10), Level: 3},
			{AttributeName: "a2", AttributeValue: fmt.Sprint("v", (i+i/10)%10), Level: 3},
		}
	}
	return cfg
}

// critCriteria returns criteria k of the 100: step 1 on a0 = v(k mod 10), step 2 on a1 in
// v(k/10) .. v(k/10+4).
func critCriteria(k int) *routing.RoutingCriteriaInput {
	level, dur := 1.0, int32(critStep1)
	var or []routing.Expression
	for j := range 5 {
		or = append(or, routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: "a1",
			Value: fmt.Sprint("v", (k/10+j)%critValues), ProficiencyLevel: &level, ComparisonOperator: routing.OpGreaterOrEqual}})
	}
	return &routing.RoutingCriteriaInput{Steps: []routing.RoutingCriteriaInputStep{
		{Expression: &routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: "a0",
			Value: fmt.Sprint("v", k%critValues), ProficiencyLevel: &level, ComparisonOperator: routing.OpGreaterOrEqual}},
			Expiry: &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: &dur}},
		{Expression: &routing.Expression{OrExpression: or}},
	}}
}

// critFixture is a routerFixture whose contacts carry criteria.
type critFixture struct {
	*routerFixture
	crit []*routing.PreparedCriteria
	k    int // contacts started
}

// nextCriteria returns the criteria of the next contact, cycling through the 100 with a
// stride, so that neighbours in a queue differ.
func (f *critFixture) nextCriteria() *routing.PreparedCriteria {
	f.k++
	return f.crit[f.k*37%len(f.crit)]
}

func newCritFixture(tb testing.TB) *critFixture {
	f := &critFixture{routerFixture: &routerFixture{now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
		inProgress: make([]contact.ID, routerAgents), queueByID: map[string]string{}}}
	cfg := critConfig()
	cfg.Observer = f.routerFixture
	in, err := routing.NewInstance(cfg, routing.ClockFunc(func() time.Time { return f.now }))
	if err != nil {
		tb.Fatal(err)
	}
	f.in = in
	for k := range 100 {
		p, err := in.PrepareRoutingCriteria(critCriteria(k))
		if err != nil {
			tb.Fatal(err)
		}
		f.crit = append(f.crit, p)
	}
	f.fill(tb, cfg, func(spec *routing.ContactSpec) { spec.Criteria = f.nextCriteria() })
	runtime.GC()
	return f
}

// step is routerFixture.step with criteria on the new contact.
func (f *critFixture) step(tb testing.TB) { f.stepWith(tb, f.nextCriteria()) }

// BenchmarkRouterCriteria times one routed contact in the criteria variant (see critConfig):
// each iteration ends a contact, starts one with criteria, routes one, and expires about one
// first step. ns/op and allocs/op are per routed contact.
func BenchmarkRouterCriteria(b *testing.B) {
	f := sharedFixture("criteria", func() *critFixture { return newCritFixture(b) })
	b.ReportAllocs()
	routed0, iters := f.routed, 0
	b.ResetTimer()
	for b.Loop() {
		f.step(b)
		iters++
	}
	b.StopTimer()
	routed := f.routed - routed0
	if routed != iters {
		b.Fatalf("routed %d contacts in %d iterations; want one each", routed, iters)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(routed), "ns/routed")
	f.check(b)
}

// fill makes every agent available and starts the fixture's contacts, routerAgents of them
// routed and routerWaiting waiting, a millisecond apart over cfg's queues in turn, each spec
// finished by set; it keeps routerSpareIDs more IDs for the benchmark to start, then moves the
// clock past the first timers and checks the fixture.
func (f *routerFixture) fill(tb testing.TB, cfg routing.InstanceConfig, set func(*routing.ContactSpec)) {
	for _, q := range cfg.Queues {
		f.queueIDs = append(f.queueIDs, q.ID)
	}
	for _, a := range f.in.AgentIDs() {
		if err := f.in.SetAgentState(a, routing.AgentAvailable); err != nil {
			tb.Fatal(err)
		}
	}
	total := routerAgents + routerWaiting
	for i := range total + routerSpareIDs {
		id := contact.ID(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i))
		if i >= total {
			f.free = append(f.free, id)
			continue
		}
		f.now = f.now.Add(time.Millisecond)
		spec := routing.ContactSpec{ID: id, QueueID: f.queueIDs[i%routerQueues], Channel: contact.Voice}
		set(&spec)
		if _, err := f.in.StartContact(spec); err != nil {
			tb.Fatal(err)
		}
	}
	// Past the first steps of the build: the steady state's mix of steps.
	f.now = f.now.Add(time.Minute)
	f.in.Advance()
	if f.n != routerAgents {
		tb.Fatalf("fixture: %d contacts with agents; want %d", f.n, routerAgents)
	}
	f.check(tb)
}
