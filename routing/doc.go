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
// # Routing criteria (proficiency routing)
//
// Predefined attributes are names with values; agents hold proficiencies, a whole level 1..5
// in one value of one attribute (UserProficiency; a float on the wire). A contact may carry
// RoutingCriteria: ordered steps, each an Expression over agents' proficiencies and IDs and
// an optional expiry. Facts from the API model (botocore connect 2017-08-08), the API
// reference (RoutingCriteriaInput, Step, Expiry, AttributeCondition, the UpdateRoutingCriteria
// flow action) and the admin guide ("Set routing criteria" flow block, "Routing using agent
// proficiencies", "Create predefined attributes", service quotas):
//
//   - While a step is ACTIVE, only agents that serve the contact's queue and channel through
//     their profile, with the profile's delay as above, and match the step may take the
//     contact. Among those, the rules above choose (profile priority, QueuePriority, routing
//     age, arrival; the agent idle longest): the admin guide says all available agents that
//     meet the step are considered, and documents no ranking by proficiency.
//   - A step whose DurationInSeconds passes without a join becomes EXPIRED and the next
//     becomes ACTIVE ("for the next 30 seconds": a step's duration counts from the time it
//     became active). When every step has expired, any agent of the queue may take the
//     contact. A step without a duration never expires. A join marks the active step
//     JOINED; later steps stay INACTIVE.
//   - Step expiries are timers like profile delays: they fire in the same instant order
//     (see Time), and a contact whose step expires is offered as a contact whose delay
//     expires is, at the delays it has already reached.
//
// Where Connect is silent, routesim chooses:
//
//   - Agents match: a ProficiencyLevel condition when the agent's level in (Name, Value) is at
//     least the level; a Range condition when it lies within both bounds; an AgentsCriteria
//     condition when the agent is listed; NotAttributeCondition when the condition does not
//     hold, an agent without the proficiency included. And needs every member, Or one.
//   - Validation: ValidateRoutingCriteria's rules. Connect publishes no limit on steps or
//     conditions; routesim caps them at MaxCriteriaSteps, MaxStepConditions and
//     MaxExpressionDepth. A condition naming an attribute, value or agent the instance does
//     not have is invalid. The last step may expire (the API and the flow action allow an
//     expiry on any step; the contact then goes to any agent). DurationInSeconds 0 expires
//     the step at once (at the same instant, before any agent is offered the contact).
//   - UpdateContactRoutingData: the API reference says QueuePriority and
//     QueueTimeAdjustmentSeconds not both and says nothing of RoutingCriteria; routesim
//     accepts RoutingCriteria alone or with one of them, applies both or neither, and
//     refuses a call that sets none of the three.
//   - New criteria replace the old, step 1 active from the time of the call, whatever the
//     old criteria's state; ActivationTimestamp is that time (the contact's enqueue time for
//     criteria given at start), and Index counts the criteria set before (0 for the first).
//   - DescribeContact: ExpiryTimestamp is given for started steps with a duration; INACTIVE
//     steps have none. A contact that ends without an agent keeps its steps' statuses as
//     they were (its active step stays ACTIVE).
//   - Exact ties: contacts of equal QueuePriority and routing age (to the nanosecond) go in
//     arrival order, except that a contact whose active step changed (expired, or new
//     criteria) may rank, among those exact ties, after contacts that arrived later. Connect
//     documents no tie rule finer than arrival.
//   - Proficiency changes apply at once; an agent that starts to match a waiting contact
//     takes it if it has room. AssociateUserProficiencies on a proficiency the agent already
//     holds sets its level; Update and Disassociate refuse one it does not hold.
//   - A predefined attribute can be deleted, or a value dropped by an update, only while no
//     agent's proficiency and no waiting contact's criteria (any step) use it
//     (ResourceInUseException, InvalidParameterException for an update). Attribute names
//     may not start with "aws:" or "connect:" (admin guide); values must be distinct.
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
//
// Routing criteria: contacts whose active step is the same expression (the same canonical
// form, however written) share a queue per queue and channel (and profile delay), and each
// expression keeps the set of agents that match it, recomputed for one agent when its
// proficiencies change. Contacts enter such a queue mostly in routing order; those are kept in
// arrival order, O(1) to add, to take the first and to take one from the middle (worst case
// O(n) when the store grows or a removal uncovers many removed places, amortized O(1)); the
// others (another priority, an age adjustment) O(log n). An agent's choice looks at the head
// of one such queue per (profile entry, active expression it matches): O(e·(1+x)) for e
// entries and x such expressions, whatever the number of waiting contacts. A contact whose
// active step restricts it is offered to the agent idle longest among the ready agents of its
// queue that match the step: O(s + min(r, a/64 + m)) for s profiles serving the queue, r ready
// agents of theirs, a agents and m matching the step (worst case O(s + a/64 + m)). A step
// expiry moves the contact between such queues: O(1) amortized, O(log n) worst case. Contacts
// without criteria pay one flag test per decision. A proficiency change costs O(x·s) for the x
// expressions in use, of s conditions; an expression not in use, O(a·s) to intern. An instance
// keeps an expression, with a bit per agent, while the criteria of a waiting contact name it,
// and for good when criteria from PrepareRoutingCriteria do; freeing one costs O(g·(t+G)) for
// its g groups, of t delay tiers, in lanes of G groups.
package routing
