// Package sim is routesim's discrete-event simulator: it drives the routing core
// (routing.Instance) with a virtual clock. It never re-implements routing: every routing
// decision is the core's, observed through routing.Observer. It holds the engine, the
// scenario, distributions, figures and replications; the programs built on it are packages
// of their own: capacity what-ifs (sim/whatif) and the routing-fairness suite
// (bench/fairness).
//
// # Scenario
//
// A Scenario (JSON, documented field by field with an example in the README, "Scenario files") gives the
// centre (queues, routing profiles as routing.ProfileConfig, agent groups with a count, a
// routing profile, a shift or per-interval staffing schedule and after-contact work), the
// contact classes (initial priority and routing-age adjustment, as the "Set routing priority
// / age" flow block sets them, and timed rules that call UpdateContactRoutingData after a time
// in queue), the demand (Poisson streams per queue and channel with a constant rate or a rate
// per interval of the cycle, a class mix, handle-time and patience distributions; or a CSV
// trace to replay), and the run (horizon, warm-up, interval, cycle, replications, seed).
// For proficiency routing, agent groups carry proficiencies and classes (and timed rules)
// routing criteria, in the API's JSON, over predefined attributes declared or implied by
// use; the routing core applies them, and the figures add, per class with criteria, the
// share of its handled contacts joined at each step (StepFigures).
// Agent groups may override a class's handle time and after-contact work (ClassTimes),
// demand may be uncertain (Scenario.DemandCV: a gamma busyness factor per replication) and
// contacts that abandon may call again (Arrivals.Redial); each draws from streams of its
// own, so with them off every figure is what it was without them.
// Queues may have a capacity (maxContacts) and classes an at-capacity branch, transfer rules
// and queued-callback rules (flows.go: Callback, FlowFigures), through the core's capacity and
// TransferContact; without them nothing of theirs runs.
// Validate names a bad field by its JSON path: "agentGroups[1].count: -3 is negative".
//
// # Engine
//
// One replication is one event loop, with no goroutine per entity. The calendar holds typed
// events in binary heaps keyed by (time, sequence), arrivals apart from the rest, and pops
// them in that order: events at the same instant fire in the order they were scheduled. The
// loop is:
//
//  1. Start: set every agent group to its schedule's staffing at time 0 (agents 1..n of a
//     group go available in order), then schedule each group's next schedule change, the end
//     of the horizon, each arrival stream's first arrival (in scenario order) and the trace's
//     first row.
//  2. Pop the earliest event and move the clock to its time; stop at the horizon's event.
//  3. Dispatch: an arrival starts a contact in the routing core (drawing its class, handle
//     time and patience) and schedules the stream's next arrival; a completion ends a contact
//     with after-contact work drawn for the agent's group; a patience expiry abandons a
//     contact still waiting; a rule updates, transfers or offers a callback to a contact
//     still waiting and schedules its next rule; a callback event queues an accepted
//     callback; a schedule change sets agents available or offline (an agent going offline
//     finishes what it holds); a wake lets the core fire its timers (profile delays, the end
//     of after-contact work). Routing happens inside these calls; the observer records each
//     routed contact's wait and schedules its completion.
//  4. If the core has a timer pending earlier than any wake event scheduled, schedule one
//     at its time.
//  5. Every 4096 events, check the context and report progress; go to 2.
//
// Events for contacts that left the queue (a patience expiry or rule of a routed contact)
// are not removed but skipped when they fire, by the contact slot's generation. The core
// fires its timers due at an instant before any call at that instant, so at equal times a
// profile delay expiring or after-contact work ending comes before the engine's events.
//
// # Randomness
//
// Each replication has its own PCG (math/rand/v2) streams, one per purpose and per stream or
// group: interarrival times, class mix, handle time and patience per arrival stream, and
// after-contact work per agent group. Their seeds derive from (seed, replication index) by
// SplitMix64 (see rng.go), so changing one distribution does not perturb the others, and a
// replication's figures depend on (seed, index) only: the same on 1 or N workers, bit for
// bit. Distributions are gonum's distuv on these sources.
//
// # Figures
//
// Statistics stream: memory grows with agents and waiting contacts, not with the horizon.
// Counts and means are exact (128-bit sums of nanoseconds); percentiles come from a
// log-linear histogram with relative error at most 0.4%. Figures (see Figures) are kept
// overall, per queue, per class and per interval of the cycle, counting the contacts that
// arrived after the warm-up, by arrival; agent groups get occupancy and every agent its busy
// and staffed time (AgentTotals). With RunOptions.IntervalDetail, each queue, class and
// agent group also gets its figures per interval of the cycle (Breakdown), in memory that
// grows with intervals × (queues + classes + groups). Run makes replications in parallel
// and gives each figure as an Estimate: the mean over replications with a Student t
// confidence interval.
// Hooks.OnContact and RunOptions.OnContact hand every contact's record (ContactRecord) to
// the caller, for per-contact metrics the engine does not keep.
//
// # Replications and figures for the programs built on the engine
//
// Replicate is the one worker pool: it runs jobs 0 .. n-1 (replications, what-if tasks,
// fairness cells) on a number of goroutines, each worker with its own state, and returns the
// outcomes in index order, so that a result never depends on the number of workers; the
// first failure cancels the rest. Run, whatif and fairness all use it. Every figure set
// (Figures, GroupFigures, the fairness suite's) enumerates its figures by name and address
// in a fixed order, and Aggregate turns per-replication values into Estimates through that
// enumeration. Layout tells a program how a validated scenario's figures are laid out
// (queues, classes, intervals of the cycle) and how many agents its schedules put on duty.
//
// An engine allocates nothing per contact in steady state: contact slots, their IDs and the
// core's records are recycled (the instance runs with RetainEnded -1), events are values in
// one slice.
package sim
