// Package contact models a contact waiting to be routed to an agent, in the style of Amazon
// Connect: a QueuePriority (default 5, lower is routed first) and a routing age that
// UpdateContactRoutingData can push forward or back without touching the real wait time that
// metrics report.
//
// Invariant: the routing age of a contact is its real time in queue plus the sum of all age
// adjustments applied to it; QueueWait, what metrics report, never sees an adjustment. Because
// every waiting contact ages at the same rate, routing order can be decided by the
// time-invariant key returned by RoutingKey, which needs no re-keying as time passes.
//
// The package depends on the standard library only.
package contact
