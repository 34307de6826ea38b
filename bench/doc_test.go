// Package bench holds benchmarks only, in _test.go files: of the queue against baselines,
// of the router, of the fairness suite (bench/fairness), of the simulator and of what-if
// sweeps (sim/whatif). It has no product code and nothing in it is exported or imported:
// the routing-fairness metrics and suite are package bench/fairness.
//
// The queue benchmarks (queue_bench_test.go) time queue.Queue against three baselines that
// order contacts by the same key, (QueuePriority asc, EnqueuedAt - AgeAdjustment asc, arrival
// sequence asc), and that offer the same operations by contact ID (baselines_test.go); the
// baselines exist only for that comparison:
//
//   - impl=containerheap: container/heap over a slice of item pointers, each item keeping its
//     heap index (the shape of container/heap's PriorityQueue example), and a map from ID;
//   - impl=godsbinaryheap: github.com/emirpasic/gods v1 trees/binaryheap, which has neither
//     update nor remove, so both rebuild the heap in O(n);
//   - impl=godsrbtree: github.com/emirpasic/gods v1 trees/redblacktree, where an update is a
//     delete and an insert.
//
// Every baseline caches the routing key in its item, as queue.Queue caches it in its heap
// entries, reuses its items through a free list, and checks pushes and updates the way
// queue.Queue does, so that the comparison is about the data structures.
//
// Invariant of the queue benchmarks' fixtures: between operations, each queue holds exactly
// the n contacts of its fixture; a benchmark that takes contacts out puts the same contacts
// back as new arrivals (a later EnqueuedAt, the same priority and age adjustment), so the
// priority mix, and with it the shape of each queue, stays the same from one benchmark and
// one run to the next. The README's Performance section has the figures and the command that
// produced them.
package bench
