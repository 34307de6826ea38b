// Package queue holds the contacts waiting in one routing queue, in the order Amazon Connect
// routes them: QueuePriority ascending, then routing age descending (oldest first), then
// arrival order. Because every contact ages at the same rate, that order is the order of the
// time-invariant key (Priority, EnqueuedAt - AgeAdjustment, arrival), so nothing is re-keyed
// as time passes. Beside it, each queue knows the contact with the earliest real EnqueuedAt
// (OLDEST_CONTACT_AGE), which priorities and age adjustments never change.
//
// Two types share one implementation. Heap is the routing order of a set of contacts,
// addressed by the Handle that Push returns; Queue is a Heap plus a map from contact ID to
// handle, with the methods a caller that knows only IDs needs. Routing uses Heap, because it
// keeps its own index of contacts and holds each contact in several heaps; everything else
// uses Queue.
//
// Costs, for n contacts, whatever the order of their EnqueuedAt:
//
//   - Push, Pop, Remove, Update and Fix: O(log n); Queue adds one map operation.
//   - Peek, PeekKey, Oldest, Len, Contact and Get: O(1).
//   - Position: O(k + p) for k priorities in use and a result p, O(n) at worst.
//   - Ordered: O(n log n); Each: O(n).
//
// The O(log n) bounds hold for every call except for storage that grows (doubling, as append
// does) and for the room left by contacts removed from the middle of the queue, reclaimed in
// passes whose cost is O(1) per earlier call amortized. No operation allocates once the queue
// has held as many contacts, of as many priorities, before.
//
// Neither type is safe for concurrent use with writers (Push, Pop, Remove, Update, Fix). The
// read-only methods write nothing, so any number of goroutines may call them at once while no
// writer runs; routing.Instance guards its heaps with its own lock. Callers must not edit the
// ID, Priority, AgeAdjustment or EnqueuedAt of a contact while it is queued: use Queue.Update,
// or change the fields and call Heap.Fix at once.
package queue
