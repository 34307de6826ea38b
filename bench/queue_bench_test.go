package bench

import (
	"flag"
	"math/rand/v2"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// The queue benchmarks. Each is named Benchmark<Op>/impl=<impl>/n=<size>, so that
//
//	benchstat -col /impl bench.txt
//
// sets the implementations side by side. Every sub-benchmark reports allocations, runs on a
// fixture of n resident contacts built once per (impl, n) and shared by all benchmarks (see
// queueFixture), and checks afterwards that the queue still holds its n contacts and that its
// head is the best of them.
//
// What each one times, per operation:
//
//   - Hold: Pop, then Push of the popped contact as a new arrival (next clock tick, same
//     priority and age adjustment): the classic hold model, at a constant n.
//   - Push: Push of a new arrival into a queue of n-batch..n-1 contacts. Untimed, in batches,
//     the benchmark pops the batch's contacts first and stamps them as new arrivals; so each
//     push is of a contact of the best priority class, newest in its class.
//   - Pop: Pop from a queue of n-batch+1..n contacts; untimed, in batches, the popped contacts
//     are pushed back as new arrivals.
//   - Update: Update of a uniformly random queued contact, half the time to a new priority
//     in 1..9, half the time by an age adjustment in ±10 min (both drawn ahead into a table).
//   - UpdatePeek: Update as above, then Peek: the cost of an update whose effect on the order
//     is read straight away. The baselines do the same two calls.
//   - Remove: Remove of a uniformly random queued contact, from n-batch+1..n; untimed, in
//     batches, the removed contacts are pushed back as new arrivals.
//   - Paired: Hold and Update as above, on routesim and containerheap at once, alternating
//     in blocks of pairedBlock operations; see BenchmarkPaired.
//   - PushAll (its own fixture, see BenchmarkPushAll): Push of 1e6 contacts into an empty
//     queue, in EnqueuedAt order or in a random order; one op is all 1e6 pushes.
//
// batch is min(1024, n/10). Update and Remove time the draw of the random contact too (a
// few ns, the same for every impl). Each op goes through the contactQueue interface, one
// dynamic call, the same for every impl.

type queueImpl struct {
	name string
	new  func() contactQueue
}

var queueImpls = []queueImpl{
	{"routesim", func() contactQueue { return queue.New() }},
	{"containerheap", newContainerHeap},
	{"godsbinaryheap", newGodsBinaryHeap},
	{"godsrbtree", newGodsRBTree},
}

type queueSize struct {
	name string
	n    int
}

var queueSizes = []queueSize{{"1e3", 1_000}, {"1e5", 100_000}, {"1e6", 1_000_000}}

const (
	queueMaxBatch  = 1024             // contacts out of the queue at once, at most
	queueMaxAdjust = 10 * time.Minute // age adjustments are drawn in ±queueMaxAdjust
	queueUpdates   = 4096             // updates drawn ahead; a power of two
	queueEpoch     = 1_767_225_600    // 2026-01-01T00:00:00Z, in Unix seconds
	queueSeed      = 20260101
)

// queueFixture is n contacts resident in one queue. Between operations, the queue holds
// exactly the contacts of in; whatever a benchmark takes out, it pushes back as new arrivals.
//
// The contacts: priorities uniform in 1..9; EnqueuedAt increasing by 0..2 s per arrival from
// a clock of the fixture's own; one contact in four with an age adjustment uniform in
// ±10 min. All randomness comes from a PCG source seeded with (queueSeed, n), so every impl
// gets the same contacts in the same order.
type queueFixture struct {
	q     contactQueue
	in    []*contact.Contact      // the resident contacts, in no particular order
	out   []*contact.Contact      // room for a batch taken out, capacity queueMaxBatch
	ups   []contact.RoutingUpdate // drawn ahead for Update
	rng   *rand.Rand
	now   int64 // the fixture's clock, in ns since the Unix epoch
	batch int
	upd   int // the next of ups for BenchmarkPaired
}

// queueFixtures holds a fixture per impl and size, built on first use and kept for the whole
// run (about 1 GB in all), so that each is built once however many benchmarks and -count runs
// use it. Benchmarks run one at a time, so it needs no lock.
var queueFixtures = map[string]*queueFixture{}

func queueFixtureFor(b *testing.B, im queueImpl, sz queueSize) *queueFixture {
	k := im.name + "/" + sz.name
	if f := queueFixtures[k]; f != nil {
		return f
	}
	f := newQueueFixture(b, im.new(), sz.n)
	queueFixtures[k] = f
	return f
}

func newQueueFixture(b *testing.B, q contactQueue, n int) *queueFixture {
	// Garbage collection is off while the fixture is built: one cycle afterwards instead of
	// one per doubling of the heap. The contacts, and their IDs, each take one allocation.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	f := &queueFixture{
		q:     q,
		in:    make([]*contact.Contact, n),
		out:   make([]*contact.Contact, 0, queueMaxBatch),
		ups:   make([]contact.RoutingUpdate, queueUpdates),
		rng:   rand.New(rand.NewPCG(queueSeed, uint64(n))),
		now:   queueEpoch * int64(time.Second),
		batch: min(queueMaxBatch, n/10),
	}
	cs := make([]contact.Contact, n)
	ids := queueContactIDs(n)
	for i := range cs {
		c := &cs[i]
		*c = contact.Contact{ID: ids[i], QueueID: "q", Channel: contact.Voice, Priority: 1 + f.rng.Int64N(9)}
		if f.rng.IntN(4) == 0 {
			c.AgeAdjustment = f.adjustment()
		}
		c.EnqueuedAt = f.tick()
		if err := q.Push(c); err != nil {
			b.Fatal(err)
		}
		f.in[i] = c
	}
	for i := range f.ups {
		if f.rng.IntN(2) == 0 {
			f.ups[i] = contact.SetPriority(1 + f.rng.Int64N(9))
		} else {
			f.ups[i] = contact.AdjustAge(f.adjustment())
		}
	}
	return f
}

// queueContactIDs returns the IDs c0, c1, ..., c<n-1>, all slices of one string.
func queueContactIDs(n int) []contact.ID {
	var buf []byte
	ends := make([]int, n)
	for i := range ends {
		buf = strconv.AppendInt(append(buf, 'c'), int64(i), 10)
		ends[i] = len(buf)
	}
	all := contact.ID(buf)
	ids := make([]contact.ID, n)
	start := 0
	for i, end := range ends {
		ids[i], start = all[start:end], end
	}
	return ids
}

// tick advances the fixture's clock by 0..2 s and returns the new time.
func (f *queueFixture) tick() time.Time {
	f.now += f.rng.Int64N(2 * int64(time.Second))
	return time.Unix(0, f.now)
}

// adjustment draws an age adjustment uniformly in ±queueMaxAdjust.
func (f *queueFixture) adjustment() time.Duration {
	return time.Duration(f.rng.Int64N(2*int64(queueMaxAdjust)+1)) - queueMaxAdjust
}

// pushBack pushes cs, which are out of the queue, back as new arrivals in order.
func (f *queueFixture) pushBack(b *testing.B, cs []*contact.Contact) {
	for _, c := range cs {
		c.EnqueuedAt = f.tick()
		if err := f.q.Push(c); err != nil {
			b.Fatal(err)
		}
	}
}

// popBatch pops a batch into f.out and stamps the popped contacts as new arrivals, ready to
// be pushed in order.
func (f *queueFixture) popBatch(b *testing.B) []*contact.Contact {
	out := f.out[:0]
	for range f.batch {
		c, ok := f.q.Pop()
		if !ok {
			b.Fatal("Pop() on a fixture found it empty")
		}
		out = append(out, c)
	}
	for _, c := range out {
		c.EnqueuedAt = f.tick()
	}
	return out
}

// check fails b unless the queue holds len(f.in) contacts and its head has the least
// (Priority, RoutingKey) among them. It costs O(n) and runs after the timer has stopped.
func (f *queueFixture) check(b *testing.B) {
	if got, want := f.q.Len(), len(f.in); got != want {
		b.Fatalf("Len() = %d after the benchmark; want %d", got, want)
	}
	best := f.in[0]
	for _, c := range f.in[1:] {
		if c.Priority < best.Priority || c.Priority == best.Priority && c.RoutingKey() < best.RoutingKey() {
			best = c
		}
	}
	top, ok := f.q.Peek()
	if !ok || top.Priority != best.Priority || top.RoutingKey() != best.RoutingKey() {
		b.Fatalf("Peek() = %+v, %t after the benchmark; want a contact with priority %d and routing key %d",
			top, ok, best.Priority, best.RoutingKey())
	}
}

// runQueueBench runs op as Benchmark<Op>/impl=<impl>/n=<size> for every impl and size.
func runQueueBench(b *testing.B, op func(*testing.B, *queueFixture)) {
	for _, im := range queueImpls {
		b.Run("impl="+im.name, func(b *testing.B) {
			for _, sz := range queueSizes {
				b.Run("n="+sz.name, func(b *testing.B) {
					f := queueFixtureFor(b, im, sz)
					b.ReportAllocs()
					op(b, f)
					f.check(b)
				})
			}
		})
	}
	releaseQueueFixtures(b.Name())
}

func BenchmarkHold(b *testing.B)   { runQueueBench(b, benchHold) }
func BenchmarkPush(b *testing.B)   { runQueueBench(b, benchPush) }
func BenchmarkPop(b *testing.B)    { runQueueBench(b, benchPop) }
func BenchmarkUpdate(b *testing.B) { runQueueBench(b, benchUpdate) }
func BenchmarkUpdatePeek(b *testing.B) {
	runQueueBench(b, benchUpdatePeek)
}
func BenchmarkRemove(b *testing.B) { runQueueBench(b, benchRemove) }

// queueBenchNames lists the queue benchmarks in the order they run: the order of this file.
var queueBenchNames = []string{"BenchmarkHold", "BenchmarkPush", "BenchmarkPop", "BenchmarkUpdate", "BenchmarkUpdatePeek", "BenchmarkRemove", "BenchmarkPaired"}

// releaseQueueFixtures drops the fixtures, and collects them, after the last queue benchmark
// that -test.bench selects, so that the benchmarks of other files in this package do not run
// beside about 1 GB of live fixtures. name is the benchmark that just ended. It matches only
// the pattern's first element (up to the first '/'), as testing matches a top-level name; when
// in doubt, it drops the fixtures: the cost is a rebuild, never a wrong figure.
func releaseQueueFixtures(name string) {
	i := slices.Index(queueBenchNames, name)
	if f := flag.Lookup("test.bench"); f != nil && i >= 0 {
		first, _, _ := strings.Cut(f.Value.String(), "/")
		if re, err := regexp.Compile(first); err == nil {
			for _, later := range queueBenchNames[i+1:] {
				if re.MatchString(later) {
					return
				}
			}
		}
	}
	clear(queueFixtures)
	runtime.GC()
}

func benchHold(b *testing.B, f *queueFixture) {
	q := f.q
	for b.Loop() {
		c, ok := q.Pop()
		if !ok {
			b.Fatal("Pop() found the queue empty")
		}
		c.EnqueuedAt = f.tick()
		if err := q.Push(c); err != nil {
			b.Fatal(err)
		}
	}
}

func benchPush(b *testing.B, f *queueFixture) {
	q := f.q
	out := f.popBatch(b)
	k := 0
	for b.Loop() {
		if err := q.Push(out[k]); err != nil {
			b.Fatal(err)
		}
		if k++; k == len(out) {
			b.StopTimer()
			out, k = f.popBatch(b), 0
			b.StartTimer()
		}
	}
	for _, c := range out[k:] { // already stamped, in order
		if err := q.Push(c); err != nil {
			b.Fatal(err)
		}
	}
}

func benchPop(b *testing.B, f *queueFixture) {
	q := f.q
	out := f.out[:0]
	for b.Loop() {
		c, ok := q.Pop()
		if !ok {
			b.Fatal("Pop() found the queue empty")
		}
		if out = append(out, c); len(out) == f.batch {
			b.StopTimer()
			f.pushBack(b, out)
			out = out[:0]
			b.StartTimer()
		}
	}
	f.pushBack(b, out)
}

func benchUpdate(b *testing.B, f *queueFixture) {
	q, in, ups := f.q, f.in, f.ups
	i := 0
	for b.Loop() {
		c := in[f.rng.IntN(len(in))]
		if err := q.Update(c.ID, ups[i&(queueUpdates-1)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func benchUpdatePeek(b *testing.B, f *queueFixture) {
	q, in, ups := f.q, f.in, f.ups
	i := 0
	for b.Loop() {
		c := in[f.rng.IntN(len(in))]
		if err := q.Update(c.ID, ups[i&(queueUpdates-1)]); err != nil {
			b.Fatal(err)
		}
		if _, ok := q.Peek(); !ok {
			b.Fatal("Peek() found the queue empty")
		}
		i++
	}
}

func benchRemove(b *testing.B, f *queueFixture) {
	q, in := f.q, f.in
	k := 0 // in[:k] are out of the queue
	for b.Loop() {
		j := k + f.rng.IntN(len(in)-k)
		in[k], in[j] = in[j], in[k]
		if _, ok := q.Remove(in[k].ID); !ok {
			b.Fatalf("Remove(%q) found no contact", in[k].ID)
		}
		if k++; k == f.batch {
			b.StopTimer()
			f.pushBack(b, in[:k])
			k = 0
			b.StartTimer()
		}
	}
	f.pushBack(b, in[:k])
}

// pushAllN is the number of contacts BenchmarkPushAll pushes per op.
const pushAllN = 1_000_000

// BenchmarkPushAll pushes pushAllN contacts into an empty queue, one op being all of them:
// order=inorder in EnqueuedAt order, as arrivals come; order=random the same contacts in a
// random order of EnqueuedAt (a replay of records, a merge of queues), which must cost at
// most twice as much. The contacts are the fixture's kind (priorities 1..9, one in four
// adjusted, EnqueuedAt 0..2 s apart), drawn once. In both orders the contacts, and their IDs,
// lie in memory in the order they are pushed, as a program that makes them as it pushes them
// has them: only the order of EnqueuedAt differs. The queue is new for every op, so its
// growth is timed too. impl=routesimheap pushes into a queue.Heap, what routing runs. It
// reports ns/push.
func BenchmarkPushAll(b *testing.B) {
	inorder := pushAllContacts(pushAllN)
	random := shuffledCopy(inorder)
	impls := []struct {
		name string
		push func(b *testing.B, cs []*contact.Contact) (n int, front *contact.Contact)
	}{
		{"routesim", func(b *testing.B, cs []*contact.Contact) (int, *contact.Contact) {
			return pushAllInto(b, queue.New(), cs)
		}},
		{"routesimheap", func(b *testing.B, cs []*contact.Contact) (int, *contact.Contact) {
			q := queue.NewHeap()
			for _, c := range cs {
				if _, err := q.Push(c); err != nil {
					b.Fatal(err)
				}
			}
			c, _ := q.Peek()
			return q.Len(), c
		}},
		{"containerheap", func(b *testing.B, cs []*contact.Contact) (int, *contact.Contact) {
			return pushAllInto(b, newContainerHeap(), cs)
		}},
	}
	for _, im := range impls {
		b.Run("impl="+im.name, func(b *testing.B) {
			for _, order := range []struct {
				name string
				cs   []*contact.Contact
			}{{"inorder", inorder}, {"random", random}} {
				b.Run("order="+order.name, func(b *testing.B) {
					b.ReportAllocs()
					var n int
					var front *contact.Contact
					for b.Loop() {
						n, front = im.push(b, order.cs)
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/pushAllN, "ns/push")
					checkPushAll(b, order.cs, n, front)
				})
			}
		})
	}
}

// pushAllContacts draws n contacts as newQueueFixture does, in EnqueuedAt order.
func pushAllContacts(n int) []*contact.Contact {
	f := &queueFixture{rng: rand.New(rand.NewPCG(queueSeed, uint64(n))), now: queueEpoch * int64(time.Second)}
	cs := make([]contact.Contact, n)
	out := make([]*contact.Contact, n)
	ids := queueContactIDs(n)
	for i := range cs {
		c := &cs[i]
		*c = contact.Contact{ID: ids[i], QueueID: "q", Channel: contact.Voice, Priority: 1 + f.rng.Int64N(9)}
		if f.rng.IntN(4) == 0 {
			c.AgeAdjustment = f.adjustment()
		}
		c.EnqueuedAt = f.tick()
		out[i] = c
	}
	return out
}

// shuffledCopy returns copies of cs in a random order, laid out in memory in that order, with
// the IDs of cs in their order (so that IDs, too, lie in push order).
func shuffledCopy(cs []*contact.Contact) []*contact.Contact {
	perm := rand.New(rand.NewPCG(queueSeed, 1)).Perm(len(cs))
	vals := make([]contact.Contact, len(cs))
	out := make([]*contact.Contact, len(cs))
	for i, j := range perm {
		vals[i] = *cs[j]
		vals[i].ID = cs[i].ID
		out[i] = &vals[i]
	}
	return out
}

func pushAllInto(b *testing.B, q contactQueue, cs []*contact.Contact) (int, *contact.Contact) {
	for _, c := range cs {
		if err := q.Push(c); err != nil {
			b.Fatal(err)
		}
	}
	c, _ := q.Peek()
	return q.Len(), c
}

// checkPushAll fails b unless a queue that took all of cs holds them and has at its head a
// contact with the least (Priority, RoutingKey).
func checkPushAll(b *testing.B, cs []*contact.Contact, n int, front *contact.Contact) {
	if n != len(cs) {
		b.Fatalf("Len() = %d after pushing %d contacts", n, len(cs))
	}
	best := cs[0]
	for _, c := range cs[1:] {
		if c.Priority < best.Priority || c.Priority == best.Priority && c.RoutingKey() < best.RoutingKey() {
			best = c
		}
	}
	if front == nil || front.Priority != best.Priority || front.RoutingKey() != best.RoutingKey() {
		b.Fatalf("Peek() = %+v; want a contact with priority %d and routing key %d", front, best.Priority, best.RoutingKey())
	}
}

// pairedBlock is how many operations BenchmarkPaired runs on one impl before it switches to
// the other: enough that reading the clock costs nothing, few enough that the load of a
// shared machine changes little between two blocks.
const pairedBlock = 512

// BenchmarkPaired runs Hold and Update (as BenchmarkHold and BenchmarkUpdate do, on the same
// fixtures) on routesim and on containerheap in one loop, alternating between them every
// pairedBlock operations, and reports each impl's own ns/op and their ratio. On a machine
// shared with other work, whose load changes from one second to the next, this pairs every
// block of one impl with a block of the other run within microseconds of it, so that the
// ratio holds where separate benchmarks' figures drift by tens of percent. ns/op is the mean
// over both impls.
func BenchmarkPaired(b *testing.B) {
	ops := []struct {
		name string
		op   func(*testing.B, *queueFixture)
	}{{"Hold", holdOnce}, {"Update", updateOnce}}
	for _, op := range ops {
		b.Run("op="+op.name, func(b *testing.B) {
			for _, sz := range []queueSize{queueSizes[0], queueSizes[2]} {
				b.Run("n="+sz.name, func(b *testing.B) {
					fs := [2]*queueFixture{queueFixtureFor(b, queueImpls[0], sz), queueFixtureFor(b, queueImpls[1], sz)}
					b.ReportAllocs()
					var ns [2]time.Duration
					var count [2]int
					k, start := 0, time.Now()
					for b.Loop() {
						w := (k / pairedBlock) & 1
						op.op(b, fs[w])
						count[w]++
						if k++; k%pairedBlock == 0 {
							now := time.Now()
							ns[w] += now.Sub(start)
							start = now
						}
					}
					if k%pairedBlock != 0 {
						ns[(k/pairedBlock)&1] += time.Since(start)
					}
					if count[0] > 0 && count[1] > 0 {
						a := float64(ns[0].Nanoseconds()) / float64(count[0])
						c := float64(ns[1].Nanoseconds()) / float64(count[1])
						b.ReportMetric(a, queueImpls[0].name+"-ns/op")
						b.ReportMetric(c, queueImpls[1].name+"-ns/op")
						b.ReportMetric(a/c, "ratio")
					}
					fs[0].check(b)
					fs[1].check(b)
				})
			}
		})
	}
	releaseQueueFixtures(b.Name())
}

// holdOnce is one operation of benchHold.
func holdOnce(b *testing.B, f *queueFixture) {
	c, ok := f.q.Pop()
	if !ok {
		b.Fatal("Pop() found the queue empty")
	}
	c.EnqueuedAt = f.tick()
	if err := f.q.Push(c); err != nil {
		b.Fatal(err)
	}
}

// updateOnce is one operation of benchUpdate.
func updateOnce(b *testing.B, f *queueFixture) {
	c := f.in[f.rng.IntN(len(f.in))]
	if err := f.q.Update(c.ID, f.ups[f.upd&(queueUpdates-1)]); err != nil {
		b.Fatal(err)
	}
	f.upd++
}
