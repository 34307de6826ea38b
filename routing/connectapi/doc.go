// Package connectapi serves the contact-routing part of the Amazon Connect API over HTTP, in
// Connect's REST-JSON wire protocol exactly as the AWS SDK for Go v2 (service/connect) sends
// and parses it, so that code written against the real SDK runs against a local stand-in.
//
// # Invariant
//
// The HTTP layer only translates: every routing decision, every state change and every
// exception of the routing API comes from routing.Service. A request that fails anywhere
// in this package (signature, throttling, injected fault, malformed or oversized body, bad
// types, over-long IDs) fails before the routing core is called, so it changes nothing.
//
// # Operations
//
// StartTaskContact, StartChatContact, UpdateContactRoutingData (with RoutingCriteria),
// DescribeContact (with RoutingCriteria), StopContact, PutUserStatus, GetCurrentMetricData
// (every real-time metric), GetContactMetrics (POSITION_IN_QUEUE, ESTIMATED_WAIT_TIME),
// GetMetricDataV2 (historical metrics from the routing core's history, see
// routing.HistoryConfig; the handler turns the history on for every instance it serves);
// the predefined attributes (CreatePredefinedAttribute, DescribePredefinedAttribute,
// ListPredefinedAttributes, UpdatePredefinedAttribute, DeletePredefinedAttribute) and the
// agents' proficiencies (AssociateUserProficiencies, UpdateUserProficiencies,
// DisassociateUserProficiencies, ListUserProficiencies); the queues (ListQueues,
// DescribeQueue, CreateQueue, UpdateQueueName, UpdateQueueStatus, UpdateQueueMaxContacts)
// and ListHoursOfOperations; TransferContact, UpdateContactAttributes and
// GetContactAttributes. Any other method and path answers 404 UnknownOperationException.
//
// Every InstanceId, in a path or a body, may be the instance's ARN
// (arn:aws:connect:REGION:ACCOUNT:instance/ID, this handler's region and account). IDs the
// emulator creates (queues) are random UUIDs; ARNs are built as Connect builds them.
//
// A start or transfer into a DISABLED queue answers InvalidRequestException, into a full
// one (MaxContacts) ServiceQuotaExceededException: Connect's flow would take its
// at-capacity or error branch, and routesim's flows have no branches (see the routing
// package's "Queue administration and transfers").
//
// A flow of the configuration may set routing criteria (FlowConfig.RoutingCriteria); a
// predefined attribute such criteria name cannot be deleted (ResourceInUseException), nor
// can a value they name be dropped (InvalidParameterException), as for one an agent or a
// waiting contact uses.
//
// # Wire
//
// Every response carries x-amzn-RequestId. Errors carry the HTTP status of their exception,
// the X-Amzn-ErrorType header with its name and a JSON body {"Message": "..."}. Timestamps
// are epoch seconds as JSON numbers.
//
// # Pipeline
//
// A request goes through, in order: request ID, body read (at most 1 MiB), SigV4
// verification (when credentials are configured), routing to an operation, throttling per
// operation, decoding and validation of the input, fault injection, then the routing call.
//
// Member names match exactly, at every depth, as AWS's deserializers match them: a member
// named otherwise ("queuePriority") is unknown and ignored. Error messages quote at most 200
// characters of any input. Authentication failures answer 403 with AWS's codes:
// MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException, InvalidSignatureException (mismatch, expired, not yet
// current); presigned (query-string) signatures are verified like header ones.
//
// # Time
//
// The routing core reads the routing.Service's clock; the emulator command passes WallClock,
// or a manual clock (Emulator). Signature dates and rate limits read the handler's own wall
// clock (WithNow), whatever the core's clock. Timers of the core (profile delays, step
// expiries, after-contact work) fire on every call; RunTimers also fires them when no request
// arrives.
//
// # Test double
//
// Emulator wraps a Handler so that its whole state can be reset, snapshotted (Snapshot, one
// JSON document) and restored atomically, optionally on a manual clock moved through the
// control endpoints under ControlPrefix (state, clock, reset, snapshot).
package connectapi
