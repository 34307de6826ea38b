// Package queue holds the contacts waiting in one routing queue, in the order Amazon Connect
// routes them: QueuePriority ascending, then routing age descending (oldest first), then
// arrival order.
//
// Two types share one implementation. Heap is the routing order of a set of contacts,
// addressed by the Handle that Push returns; Queue is a Heap plus an index by contact ID, with
// the methods a caller that knows only IDs needs. Routing uses Heap, because it keeps its own
// index of contacts and holds each contact in several heaps; everything else uses Queue.
//
// The heap is an indexed 4-ary min-heap over a typed slice, one per priority class: the
// contacts of one QueuePriority share a class, and a small heap of the non-empty classes by
// priority says which class routes next. Each entry is 16 bytes and carries the rest of the
// contact's time-invariant key (EnqueuedAt - AgeAdjustment, arrival sequence), so comparisons
// never dereference a contact and the heap never needs re-keying as time passes. Heap
// invariant: within a class, no entry is routed before its parent. Each class's slice starts
// with three unused entries, so that the four children of every node share one aligned 64-byte
// cache line. A pop or a push touches only the class of its priority; an update that changes
// the priority moves the entry from one class to the other, keeping its arrival sequence. Where
// each contact's entry is (class and index) lives in a dense array of its own, written at every
// level of a sift.
//
// Beside its heap, each class keeps a run: a ring of entries in routing order. A contact
// without an age adjustment that arrives after the run's last entry (arrivals in EnqueuedAt
// order, the common case) is appended to it, and the class's front is the better of the run's
// front and the heap's root; so pushing and routing such contacts costs O(1), with no sift.
// Removals from the middle of a run leave tombstones, compacted away in place; an update moves
// the contact out of the run. Along the run, and for the heap's likeliest next root, the slot
// records, contacts and ID bytes of the next fronts are prefetched a few operations ahead.
//
// Beside the classes, a doubly linked list in (EnqueuedAt, arrival) order answers
// "oldest by real time" (OLDEST_CONTACT_AGE) in O(1), untouched by priorities and age
// adjustments.
//
// Queue's ID index is an open-addressing hash table with linear probing and backward-shift
// deletion, whose cells each contact's record points back at: removing the contact routed
// next never reads its ID. Beside each 8-byte cell, a parallel array holds the cell's contact,
// so that a lookup by ID (Get, Update, Remove) reads the contact without first reading its
// record. See index for why this beats a Go map here.
//
// Queue.Update (and Queue.Fix) change the contact at once and defer moving its entry: the
// heap work of an update is done at the start of the second Update after it, or by the next
// method whose result depends on it (Remove, Position, Ordered; Peek and Pop only when the
// update can change the front), and meanwhile the lines it will read are loaded in the
// background. Done at the start of a later Update, that work overlaps the cache misses of
// that Update's own lookup by ID instead of following them. Heap.Fix does its work at once.
//
// Neither type is safe for concurrent use; routing.Instance guards its heaps with its own
// lock. Callers must not edit the ID, Priority, AgeAdjustment or EnqueuedAt of a contact while
// it is queued: use Queue.Update, or change the fields and call Heap.Fix at once.
package queue
