package fit

import "time"

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

// parseTimeBytes is parseTime on bytes: the forms Connect writes
// ("2024-01-01T08:00:05Z", with optional fractional seconds or a numeric offset) are read
// without allocating; anything else goes to time.Parse.
func parseTimeBytes(field string, b []byte) (ns int64, ok bool, err error) {
	if len(b) == 0 {
		return 0, false, nil
	}
	if ns, ok := fastTime(b); ok {
		return ns, true, nil
	}
	return parseTime(field, string(b))
}

// fastTime reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm) with day <= 28 (later days go to
// time.Parse, which knows the months' lengths).
func fastTime(b []byte) (int64, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	num := func(i, n int) int64 {
		v := int64(0)
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int64(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, s := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 28 || h > 23 || mi > 59 || s > 59 {
		return 0, false
	}
	i, frac, scale := 19, int64(0), int64(1e9)
	if b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if scale > 1 {
				scale /= 10
				frac += int64(b[i]-'0') * scale
			}
			i++
		}
		if i == start {
			return 0, false
		}
	}
	var off int64
	switch {
	case i == len(b)-1 && b[i] == 'Z':
	case i == len(b)-6 && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, om := num(i+1, 2), num(i+4, 2)
		if oh < 0 || om < 0 || oh > 23 || om > 59 {
			return 0, false
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
	default:
		return 0, false
	}
	// Days from 1970-01-01 of the civil date (Howard Hinnant's days_from_civil).
	if mo <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (mo + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe - 719468
	return ((days*86400+h*3600+mi*60+s)-off)*1e9 + frac, true
}

// parseTime reads an RFC 3339 timestamp (with or without fractional seconds, any offset)
// into Unix nanoseconds; an empty string gives ok false.
func parseTime(field, s string) (ns int64, ok bool, err error) {
	if s == "" {
		return 0, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false, badField(field, "%q is not an RFC 3339 timestamp", s)
	}
	return t.UnixNano(), true, nil
}
