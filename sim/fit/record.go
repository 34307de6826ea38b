package fit

import (
	"fmt"
	"time"
)

// ContactRecord is an Amazon Connect contact record (the data model of the admin guide's
// "Data model for contact records"), reduced to the fields fit reads and
// sim's runs write. Timestamps are strings as Connect writes them, RFC 3339 in UTC with whole
// seconds ("2024-01-01T08:00:05Z"); durations are whole seconds. Fields Connect writes that
// are not listed here are ignored when reading. The zero value is an empty record.
type ContactRecord struct {
	AWSContactTraceRecordFormatVersion string `json:"AWSContactTraceRecordFormatVersion,omitempty"`
	ContactID                          string `json:"ContactId"`
	// Channel is VOICE, CHAT, TASK or EMAIL.
	Channel string `json:"Channel,omitempty"`
	// InitiationMethod is how the contact started: INBOUND, TRANSFER, QUEUE_TRANSFER,
	// CALLBACK, API, OUTBOUND, ...
	InitiationMethod           string       `json:"InitiationMethod,omitempty"`
	InitiationTimestamp        string       `json:"InitiationTimestamp,omitempty"`
	ConnectedToSystemTimestamp string       `json:"ConnectedToSystemTimestamp,omitempty"`
	DisconnectTimestamp        string       `json:"DisconnectTimestamp,omitempty"`
	DisconnectReason           string       `json:"DisconnectReason,omitempty"`
	LastUpdateTimestamp        string       `json:"LastUpdateTimestamp,omitempty"`
	Queue                      *QueueRecord `json:"Queue,omitempty"`
	Agent                      *AgentRecord `json:"Agent,omitempty"`
}

// QueueRecord is a contact record's Queue: the queue the contact waited in, when it
// entered and left it, and the whole seconds between (Duration).
type QueueRecord struct {
	ARN              string `json:"ARN,omitempty"`
	Name             string `json:"Name,omitempty"`
	EnqueueTimestamp string `json:"EnqueueTimestamp,omitempty"`
	DequeueTimestamp string `json:"DequeueTimestamp,omitempty"`
	Duration         *int64 `json:"Duration,omitempty"`
}

// AgentRecord is a contact record's Agent: who took the contact, when, and for how long.
// Handle time, as the simulator models it, is AgentInteractionDuration +
// CustomerHoldDuration; after-contact work is AfterContactWorkDuration.
type AgentRecord struct {
	ARN                            string          `json:"ARN,omitempty"`
	Username                       string          `json:"Username,omitempty"`
	RoutingProfile                 *RoutingProfile `json:"RoutingProfile,omitempty"`
	ConnectedToAgentTimestamp      string          `json:"ConnectedToAgentTimestamp,omitempty"`
	AgentInteractionDuration       *int64          `json:"AgentInteractionDuration,omitempty"`
	CustomerHoldDuration           *int64          `json:"CustomerHoldDuration,omitempty"`
	AfterContactWorkStartTimestamp string          `json:"AfterContactWorkStartTimestamp,omitempty"`
	AfterContactWorkEndTimestamp   string          `json:"AfterContactWorkEndTimestamp,omitempty"`
	AfterContactWorkDuration       *int64          `json:"AfterContactWorkDuration,omitempty"`
}

// RoutingProfile names an agent's routing profile in a contact record.
type RoutingProfile struct {
	ARN  string `json:"ARN,omitempty"`
	Name string `json:"Name,omitempty"`
}

// TimeFormat is the layout of a contact record's timestamps as Connect writes them.
const TimeFormat = "2006-01-02T15:04:05Z"

// FormatTime formats t as Connect writes a contact record's timestamps: UTC, whole seconds
// (truncated).
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// parseTime reads an RFC 3339 timestamp (with or without fractional seconds, any offset)
// into Unix nanoseconds; an empty string gives ok false.
func parseTime(field, s string) (ns int64, ok bool, err error) {
	if s == "" {
		return 0, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %q is not an RFC 3339 timestamp", field, s)
	}
	return t.UnixNano(), true, nil
}
