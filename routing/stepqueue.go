package routing

import (
	"unsafe"

	"github.com/routesim/routesim/internal/prefetch"
)

// Step timers of contacts whose steps have the same shape (the same start and end offsets
// from the activation of their criteria) fall due in the order they are armed, since
// activations never go back in time. Such timers wait in a FIFO per shape, and only the head
// of each FIFO is in the instance's wake heap: arming and firing a step timer costs O(1) plus
// O(log s) for s shapes in use, not O(log w) for w pending timers. The merged order is the
// heap's (time, sequence) order exactly, since each FIFO is sorted by it. A timer armed out
// of order (the clock set back) goes into the heap directly.

// stepQueue is the FIFO of step timers of one shape: a ring of wakes, in arming order. The
// ring's length is 0 or a power of two, so that a position wraps by a mask rather than a
// modulo (an integer division; five per routed contact in BenchmarkRouterCriteria). With
// agent.xs as ids, measured together: 2.104 vs 2.119 us (p=0.88, n=8), no difference.
type stepQueue struct {
	buf    []wake
	head   int
	n      int
	inHeap bool // its head is in the wake heap
}

func (q *stepQueue) front() *wake { return &q.buf[q.head] }

// at returns the i-th wake from the front, i < n.
func (q *stepQueue) at(i int) *wake { return &q.buf[(q.head+i)&(len(q.buf)-1)] }

func (q *stepQueue) back() *wake { return q.at(q.n - 1) }

func (q *stepQueue) pushBack(w wake) {
	if q.n == len(q.buf) {
		buf := make([]wake, max(8, 2*len(q.buf)))
		for i := range q.n {
			buf[i] = *q.at(i)
		}
		q.buf, q.head = buf, 0
	}
	*q.at(q.n) = w
	q.n++
}

func (q *stepQueue) popFront() {
	q.buf[q.head] = wake{}
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
}

// stepQueueFor returns the step queue (1-based) of the shape of steps that start start and
// end end nanoseconds after their criteria's activation, making it on first use. The cost is
// one map lookup; prepare calls it once per expiring step, so that arming a timer needs none.
func (in *Instance) stepQueueFor(start, end int64) int32 {
	key := [2]int64{start, end}
	qi, ok := in.stepQueueOf[key]
	if !ok {
		in.stepQueues = append(in.stepQueues, &stepQueue{})
		qi = int32(len(in.stepQueues))
		if in.stepQueueOf == nil {
			in.stepQueueOf = make(map[[2]int64]int32)
		}
		in.stepQueueOf[key] = qi
	}
	return qi
}

// armStep arms the step timer w in step queue qi (stepQueueFor). The cost is O(1) amortized
// (the ring doubles when full), plus O(log s) for s step shapes when the queue was empty; a
// timer armed out of order goes into the wake heap, O(log w) for w pending wakes.
func (in *Instance) armStep(w wake, qi int32) {
	q := in.stepQueues[qi-1]
	if q.n > 0 && q.back().at > w.at {
		in.wakes.push(w) // out of arming order: w.ch stays 0
		return
	}
	w.ch = qi
	q.pushBack(w)
	if !q.inHeap {
		in.wakes.push(w)
		q.inHeap = true
	}
}

// popWake pops the wake heap's head; the head of a step queue gives way to the next of its
// queue. The cost is O(log w) for w wakes in the heap (at most one per step shape for the
// step timers armed in order).
func (in *Instance) popWake() wake {
	w := in.wakes.pop()
	if w.tier != nil || w.ag != nil || w.ch == 0 {
		return w
	}
	q := in.stepQueues[w.ch-1]
	q.popFront()
	if q.n > 0 {
		in.wakes.push(*q.front())
		prefetchSteps(q)
	} else {
		q.inHeap = false
	}
	return w
}

// prefetchSteps starts loading what expiring the next timers of q will read, in a pipeline
// over the next three, each stage reading only lines an earlier call loaded: the record of the
// third; the group of the second, whose record (with its criteria state) the previous call
// loaded.
// A contact's step timer fires long after anything touched its record, so each expiry
// otherwise waits on a chain of cache misses (the record in stale, its group in leave).
// Timers of a shape fire in FIFO order, so the next ones are those that fire next; with
// steady arrivals, one per arrival. A stale timer costs only the loads.
// BenchmarkRouterCriteria (with record.grp out of the then separate critState), 10 alternating runs on a loaded 2-core
// VM: 3.08 to 2.65 us per routed contact. Two more stages, the group's heap header and the
// handle's slot and location in it (through a hook in queue), measured -2% (p=0.79, n=28):
// not kept. The cost is O(1).
func prefetchSteps(q *stepQueue) {
	if q.n > 2 {
		r := q.at(2).r
		prefetchRecord(r)
	}
	if q.n > 1 {
		r := q.at(1).r
		if g := r.grp; g != nil {
			prefetch.Pointer(unsafe.Pointer(g))
			prefetch.Pointer(unsafe.Pointer(&g.all.prio)) // the group's queue spans two lines
		}
	}
}
