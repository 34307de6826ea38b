// Package routing is routesim's one routing core: queues, routing profiles, agents and the
// router that matches waiting contacts to agents the way Amazon Connect does, behind a
// Connect-style API (Service, Instance) with Connect's exception types.
//
// # Invariant
//
// After every call returns, no agent that may take a contact has an eligible contact waiting:
// every routable match has been made. Every contact is in exactly one place (waiting in one
// queue, with one agent, or ended) and no agent holds more contacts of a channel than its
// profile's concurrency.
//
// # Semantics
//
//   - Order in a queue: QueuePriority ascending (1 first, default 5), then routing age
//     descending, then arrival. Routing age is real wait plus the sum of all age adjustments;
//     metrics (OLDEST_CONTACT_AGE, wait times) use the real wait only.
//   - A routing profile lists (queue, channel, priority 1..99, delay 0..9999 s). A contact is
//     eligible for a profile once its real wait reaches that profile's delay for its queue,
//     judged per contact: an eligible contact is offered even while a better-ranked one in the
//     same queue is still inside its delay.
//   - An agent with free capacity takes, over its profile's entries for channels it may accept
//     now, the lowest profile priority that has an eligible contact; within it, the best
//     contact across those queues by (QueuePriority, routing age, arrival).
//   - A contact that arrives, or whose delay expires, goes to the eligible agent idle longest.
//     Agents are ordered by (contacts held, time last freed, configuration order): going
//     available or finishing a contact (after its after-contact work) sends an agent to the
//     back. For voice-only agents this is exactly longest-idle-first; for agents that hold
//     several chats at once, Connect documents no idle time, and we prefer the agent holding
//     fewer contacts.
//   - Concurrency per channel: VOICE 1, CHAT/TASK/EMAIL 1..10. By default an agent busy on one
//     channel is offered only that channel; ProfileConfig.CrossChannel lifts that.
//   - After-contact work holds the agent's slot for the given duration after the contact ends.
//   - Position in queue (POSITION_IN_QUEUE) counts the contacts of the same queue and channel,
//     the ones competing for the same agents.
//   - An agent set offline keeps its contacts in progress and takes no new ones.
//
// # Time
//
// The core never reads the wall clock: an Instance reads an injected Clock. Delays and
// after-contact work that expire later are timers; NextWake tells the driver when to call
// Advance (the simulator schedules an event, the emulator arms a timer). Every method first
// fires the timers due at its time, an instant at a time in time order, so the same calls at
// the same times give the same routing, and a late Advance routes as stepping would. The
// timers of one instant settle together (expired delays make contacts eligible, ended
// after-contact work frees slots); then each newly eligible contact, in timer creation order,
// is offered to the agent idle longest, who takes its own best contact; last, the agents freed
// at that instant, now at the back of the idle order, take their best of what is left.
//
// # Cost
//
// A routing decision costs O(log n) per heap the contact is in (one per distinct profile delay
// of its queue) plus O(log a) per ready-agent heap touched, with n waiting contacts and a
// agents of a profile; an agent's choice also scans its profile's entries once.
package routing
