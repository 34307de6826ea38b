// Package queue holds the contacts waiting in one routing queue, in the order Amazon Connect
// routes them: QueuePriority ascending, then routing age descending (oldest first), then
// arrival order.
//
// The queue is an indexed binary min-heap over a typed slice of compact entries. Each entry
// carries the contact's time-invariant key (priority, EnqueuedAt - AgeAdjustment, arrival
// sequence), so comparisons never dereference a contact and the heap never needs re-keying as
// time passes. Heap invariant: for every index i > 0, entry (i-1)/2 is not routed after entry
// i. Beside the heap, a doubly linked list in (EnqueuedAt, arrival) order answers "oldest by
// real time" (OLDEST_CONTACT_AGE) in O(1), untouched by priorities and age adjustments.
//
// A Queue is not safe for concurrent use; routing.Instance guards its queues with its own
// lock. Callers must not edit the ID, Priority, AgeAdjustment or EnqueuedAt of a contact while
// it is queued: use Update, which keeps the heap valid.
package queue
