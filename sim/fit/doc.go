// Package fit turns Amazon Connect contact records into a simulator scenario (sim.Scenario),
// and writes simulated contacts back as contact records, so that the two can be compared
// and the round trip tested.
//
// # Reading
//
// Load reads files and directories (recursively, in lexical order, as Kinesis Data
// Firehose lays out its yyyy/mm/dd/hh folders; any file name or extension). A file may be
// gzip-compressed (recognised by its first bytes) and hold JSON lines, a JSON array of
// records, or records concatenated with no separator, as Firehose writes them. Connect
// delivers records at least once: Load keeps one per ContactId, the copy with the latest
// LastUpdateTimestamp. A record that is not valid JSON, has no ContactId, an unreadable
// timestamp or a queue without Queue.EnqueueTimestamp is counted as bad and the first
// MaxBadExamples are named (file:line: why); nothing is dropped silently. Memory grows with
// the number of contacts (a compact row each), not with the bytes read.
//
// # Fitting
//
// Fit makes, for every queue and channel (an arrival stream):
//
//   - arrivals: every record with a Queue.EnqueueTimestamp is one arrival into that queue at
//     that time, whatever its InitiationMethod: an inbound contact, a transfer
//     (TRANSFER, QUEUE_TRANSFER: Connect makes a new contact record in the queue it enters)
//     and a queued callback (CALLBACK) each count once, and the report breaks the counts down
//     by method. Rates are per interval of the day on the clock of Options.Location: the
//     arrivals in an interval over the times it was observed, from the first arrival's
//     interval to the last's; when the days from the first to the last span WeeklyDays or
//     more, per interval of the week (the cycle becomes 7 days, starting on Monday). The scenario's Start is the midnight where the cycle starts.
//   - handle time: Agent.AgentInteractionDuration + Agent.CustomerHoldDuration of the
//     answered contacts; after-contact work (Agent.AfterContactWorkDuration) is kept apart,
//     per queue in the report and per agent group in the scenario, as the simulator models
//     it. Each is fitted by maximum likelihood as exponential, gamma and lognormal (FitDist),
//     the lowest AIC chosen, with the Kolmogorov-Smirnov distance as goodness of fit.
//   - patience: the waits of contacts that left the queue without an agent with
//     DisconnectReason CUSTOMER_DISCONNECT (or none) are abandonments; every other wait
//     (answered, transferred out, still waiting at its last update) is censored; callbacks
//     are left out. Kaplan-Meier gives the survival curve and median; exponential and
//     lognormal are fitted by censored maximum likelihood (FitPatience).
//
// Agent groups are the routing profiles of the records' agents (Agent.RoutingProfile), each
// serving the queues and channels its agents answered, at profile priority 1 with no delay.
// Records do not say when agents were on duty, so staffing is estimated: per interval of
// the cycle, the largest number of distinct agents of the group seen busy (on a contact or
// its after-contact work) in that interval on any one day. Idle agents are invisible, so
// this understates staffing where agents waited for contacts; the report flags it. A
// profile's concurrency for chat, task and email is the most contacts of that channel one of
// its agents held at once.
//
// Estimates come with confidence intervals: exact Poisson for rates, Student t for mean
// handle and after-contact work, χ² (exponential) or the delta method (lognormal) for mean
// patience. The report warns on thin data.
//
// # Writing
//
// RecordWriter writes sim.ContactRecords as contact records, one JSON object a line, dated
// from the scenario's StartTime; see its doc for the fields.
package fit
