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
//   - An agent set offline keeps its contacts in progress and takes no new ones; so does an
//     agent in a custom status (AgentCustom), which counts as online.
//   - Cross-channel behaviour is per channel (ProfileConfig.RouteAnyChannel): an agent whose
//     contacts are all of channels that route any channel may be offered other channels.
//   - The availability timer of a profile (ProfileConfig.AgentAvailabilityTimer) decides what
//     the idle order counts from: the last contact or change to available
//     (TIME_SINCE_LAST_ACTIVITY), or the last contact only (TIME_SINCE_LAST_INBOUND).
//
// # Runtime changes
//
// Routing profiles (CreateRoutingProfile, AssociateProfileQueues, DisassociateProfileQueues,
// UpdateProfileQueues, UpdateProfileConcurrency, UpdateProfileAvailabilityTimer) and agents
// (CreateAgent, UpdateAgentRoutingProfile, SetAgentState) change at run time, and routing
// follows at once: after a profile changes, its available agents, in idle order as it stood
// before the change, each take what they may; a moved agent takes by its new profile. A delay
// new to a queue and channel makes the contacts waiting there at least that long eligible at
// once and arms a timer, in arrival order, for the others; a lane keeps the delays it was
// ever given. Contacts in progress stay with their agents, even past a lowered limit (the
// agent takes no more of that channel until below it).
//
// # Queue administration and transfers
//
// Queues can be created, renamed, disabled and limited at run time (CreateQueue,
// UpdateQueueName, UpdateQueueStatus, UpdateQueueMaxContacts); routing profiles serve a
// created queue once they list it. From the admin guide ("Set up a flow to manage contacts
// in a queue", "Transfer to queue" block) and the API reference (TransferContact):
//
//   - A DISABLED queue takes no new contacts or transfers; the contacts already waiting in
//     it stay and are routed as before ("deactivating the queue only prevents new contacts
//     from being added").
//   - A queue's MaxContacts counts the contacts waiting in it, all channels together; a
//     start or transfer into a queue holding that many is refused. Connect's flow then takes
//     the "Transfer to queue" block's at-capacity branch (QueueAtCapacity); routesim has no
//     flow branches, so the call fails: *ServiceQuotaExceededException wrapping
//     ErrQueueAtCapacity (an error StartTaskContact and TransferContact document), and
//     *InvalidRequestException wrapping ErrQueueDisabled for a DISABLED queue. Lowering the
//     limit below the contacts waiting removes none.
//   - TransferContact moves a TASK or EMAIL contact that has not ended, waiting or with an
//     agent, to a queue: a new contact segment with a new ID, linked to the previous one
//     (PreviousContactID, InitialContactID), as a queue-to-queue transfer does; at most
//     MaxTransfers (11) along a chain. The old contact ends (reason Transferred). The new
//     one's enqueue time, hence its real wait, reported wait and the destination's metrics,
//     start at the transfer; its QueuePriority, routing-age adjustment and routing criteria
//     are the transfer flow's (default priority 5, no adjustment, no criteria), not the
//     old contact's: routing age does not carry over. Routing is EndContact then
//     StartContact at the same instant. Name, description and attributes are shared along
//     the chain.
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
// # Snapshots
//
// Instance.Snapshot returns the configuration as currently held (Config: queues with their
// status, limit and members, routing profiles in creation order with their queues, delays,
// concurrency and timer, agents with their current profile, attributes) and the dynamic state
// (InstanceState: contacts with their order among equals, names, attributes and transfer
// links; agents with their idle clocks, custom state and kept slots; timers; counters; every
// lane's delay tiers, a profile change having left some no profile uses; the wait
// estimator's answer times; the history). Instance.Restore installs them into a fresh
// instance, which then answers and routes as the original would. A configuration may hold a
// routing profile without queues, as the API can leave one.
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
// of one such queue per (profile entry, expression it matches that has been active since it
// was interned): O(e·(1+x)) for e entries and x such expressions, whatever the number of
// waiting contacts. A contact whose
// active step restricts it is offered to the agent idle longest among the ready agents of its
// queue that match the step: O(s + min(r, a/64 + m)) for s profiles serving the queue, r ready
// agents of theirs, a agents and m matching the step (worst case O(s + a/64 + m)). A step
// expiry moves the contact between such queues: O(1) amortized, O(log n) worst case. Contacts
// without criteria pay one flag test per decision. A proficiency change costs O(x·s) for the x
// expressions in use, of s conditions; an expression not in use, O(a·s) to intern. An instance
// keeps an expression, with a bit per agent, while the criteria of a waiting contact name it,
// and for good when criteria from PrepareRoutingCriteria do; freeing one costs O(a/64 + m·k +
// g·(t+G)) for the m agents matching it, of k such expressions each, and its g groups, of t
// delay tiers, in lanes of G groups.
//
// # Metrics and history
//
// CurrentMetrics counts what waits and what agents do now (GetCurrentMetricData);
// EstimatedWait estimates a waiting contact's further wait from the recent pace of answers
// in its queue and channel (see EstimatorWindow). With InstanceConfig.History set, an
// instance keeps a history for historical metrics (GetMetricDataV2): finished contacts and
// agent time summed into 15-minute buckets per (queue, channel, routing profile, agent),
// bounded by a retention and a cap (HistoryConfig), never a record per contact. Without it
// (the simulator's case) each routing decision and state change pays one nil test.
package routing
