package connectapi

import (
	"context"
	"net/url"
	"strings"
)

// call performs a decoded, validated operation against the routing core and returns the
// response body.
type call func(ctx context.Context) (any, error)

// operation is one API operation: its HTTP binding and its decoder. decode validates
// everything it can without the routing core and returns the call to make, or a 400 error.
type operation struct {
	name   string
	method string
	path   []string // literal segments, and "{Name}" for path parameters
	decode func(h *Handler, p params, body []byte) (call, error)
}

// params holds the path parameters of a request, unescaped, and its query parameters.
type params struct {
	path  map[string]string
	query url.Values
}

// operations lists every operation served, with the binding the AWS SDK for Go v2
// (service/connect serializers.go) uses.
var operations = []operation{
	{"StartTaskContact", "PUT", split("/contact/task"), decodeStartTaskContact},
	{"StartChatContact", "PUT", split("/contact/chat"), decodeStartChatContact},
	{"StopContact", "POST", split("/contact/stop"), decodeStopContact},
	{"DescribeContact", "GET", split("/contacts/{InstanceId}/{ContactId}"), decodeDescribeContact},
	{"UpdateContactRoutingData", "POST", split("/contacts/{InstanceId}/{ContactId}/routing-data"), decodeUpdateContactRoutingData},
	{"PutUserStatus", "PUT", split("/users/{InstanceId}/{UserId}/status"), decodePutUserStatus},
	{"GetCurrentMetricData", "POST", split("/metrics/current/{InstanceId}"), decodeGetCurrentMetricData},
	{"GetContactMetrics", "POST", split("/metrics/contact"), decodeGetContactMetrics},
	{"GetMetricDataV2", "POST", split("/metrics/data"), decodeGetMetricDataV2},
	{"CreatePredefinedAttribute", "PUT", split("/predefined-attributes/{InstanceId}"), decodeCreatePredefinedAttribute},
	{"ListPredefinedAttributes", "GET", split("/predefined-attributes/{InstanceId}"), decodeListPredefinedAttributes},
	{"DescribePredefinedAttribute", "GET", split("/predefined-attributes/{InstanceId}/{Name}"), decodeDescribePredefinedAttribute},
	{"UpdatePredefinedAttribute", "POST", split("/predefined-attributes/{InstanceId}/{Name}"), decodeUpdatePredefinedAttribute},
	{"DeletePredefinedAttribute", "DELETE", split("/predefined-attributes/{InstanceId}/{Name}"), decodeDeletePredefinedAttribute},
	{"AssociateUserProficiencies", "POST", split("/users/{InstanceId}/{UserId}/associate-proficiencies"), decodeAssociateUserProficiencies},
	{"DisassociateUserProficiencies", "POST", split("/users/{InstanceId}/{UserId}/disassociate-proficiencies"), decodeDisassociateUserProficiencies},
	{"UpdateUserProficiencies", "POST", split("/users/{InstanceId}/{UserId}/proficiencies"), decodeUpdateUserProficiencies},
	{"ListUserProficiencies", "GET", split("/users/{InstanceId}/{UserId}/proficiencies"), decodeListUserProficiencies},
	// Queues, hours of operation and contacts of issue 19 (queues.go, hours.go, contacts.go).
	{"ListQueues", "GET", split("/queues-summary/{InstanceId}"), decodeListQueues},
	{"DescribeQueue", "GET", split("/queues/{InstanceId}/{QueueId}"), decodeDescribeQueue},
	{"CreateQueue", "PUT", split("/queues/{InstanceId}"), decodeCreateQueue},
	{"UpdateQueueName", "POST", split("/queues/{InstanceId}/{QueueId}/name"), decodeUpdateQueueName},
	{"UpdateQueueStatus", "POST", split("/queues/{InstanceId}/{QueueId}/status"), decodeUpdateQueueStatus},
	{"UpdateQueueMaxContacts", "POST", split("/queues/{InstanceId}/{QueueId}/max-contacts"), decodeUpdateQueueMaxContacts},
	{"ListHoursOfOperations", "GET", split("/hours-of-operations-summary/{InstanceId}"), decodeListHoursOfOperations},
	{"ListContactFlows", "GET", split("/contact-flows-summary/{InstanceId}"), decodeListContactFlows},
	{"TransferContact", "POST", split("/contact/transfer"), decodeTransferContact},
	{"UpdateContactAttributes", "POST", split("/contact/attributes"), decodeUpdateContactAttributes},
	{"GetContactAttributes", "GET", split("/contact/attributes/{InstanceId}/{InitialContactId}"), decodeGetContactAttributes},
	// Routing profiles, users and agent statuses (profiles.go, users.go, statuses.go, userdata.go).
	{"ListRoutingProfiles", "GET", split("/routing-profiles-summary/{InstanceId}"), decodeListRoutingProfiles},
	{"CreateRoutingProfile", "PUT", split("/routing-profiles/{InstanceId}"), decodeCreateRoutingProfile},
	{"DescribeRoutingProfile", "GET", split("/routing-profiles/{InstanceId}/{RoutingProfileId}"), decodeDescribeRoutingProfile},
	{"ListRoutingProfileQueues", "GET", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/queues"), decodeListRoutingProfileQueues},
	{"UpdateRoutingProfileQueues", "POST", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/queues"), decodeUpdateRoutingProfileQueues},
	{"AssociateRoutingProfileQueues", "POST", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/associate-queues"), decodeAssociateRoutingProfileQueues},
	{"DisassociateRoutingProfileQueues", "POST", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/disassociate-queues"), decodeDisassociateRoutingProfileQueues},
	{"UpdateRoutingProfileConcurrency", "POST", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/concurrency"), decodeUpdateRoutingProfileConcurrency},
	{"UpdateRoutingProfileAgentAvailabilityTimer", "POST", split("/routing-profiles/{InstanceId}/{RoutingProfileId}/agent-availability-timer"), decodeUpdateRoutingProfileAgentAvailabilityTimer},
	{"ListUsers", "GET", split("/users-summary/{InstanceId}"), decodeListUsers},
	{"CreateUser", "PUT", split("/users/{InstanceId}"), decodeCreateUser},
	{"DescribeUser", "GET", split("/users/{InstanceId}/{UserId}"), decodeDescribeUser},
	{"UpdateUserRoutingProfile", "POST", split("/users/{InstanceId}/{UserId}/routing-profile"), decodeUpdateUserRoutingProfile},
	{"ListSecurityProfiles", "GET", split("/security-profiles-summary/{InstanceId}"), decodeListSecurityProfiles},
	{"ListAgentStatuses", "GET", split("/agent-status/{InstanceId}"), decodeListAgentStatuses},
	{"CreateAgentStatus", "PUT", split("/agent-status/{InstanceId}"), decodeCreateAgentStatus},
	{"DescribeAgentStatus", "GET", split("/agent-status/{InstanceId}/{AgentStatusId}"), decodeDescribeAgentStatus},
	{"GetCurrentUserData", "POST", split("/metrics/userdata/{InstanceId}"), decodeGetCurrentUserData},
}

// operationNames holds the names of operations, for configuration checks.
var operationNames = func() map[string]struct{} {
	m := make(map[string]struct{}, len(operations))
	for _, op := range operations {
		m[op.name] = struct{}{}
	}
	return m
}()

func split(path string) []string { return strings.Split(strings.TrimPrefix(path, "/"), "/") }

// match finds the operation for a method and an escaped path, and its path parameters.
// A parameter segment that does not unescape matches nothing. The cost is O(ops·segments).
func match(method, escapedPath string) (*operation, map[string]string, bool) {
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, nil, false
	}
	segs := split(escapedPath)
	for i := range operations {
		op := &operations[i]
		if op.method != method || len(op.path) != len(segs) {
			continue
		}
		if p, ok := bind(op.path, segs); ok {
			return op, p, true
		}
	}
	return nil, nil, false
}

func bind(pattern, segs []string) (map[string]string, bool) {
	var p map[string]string
	for i, s := range pattern {
		if !strings.HasPrefix(s, "{") {
			if segs[i] != s {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		if p == nil {
			p = make(map[string]string, 2)
		}
		p[s[1:len(s)-1]] = v
	}
	return p, true
}
