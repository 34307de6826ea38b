package contact

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ID identifies a contact. It is unique within an instance.
type ID string

// Channel is the medium of a contact, as Amazon Connect names it.
type Channel string

// The channels Amazon Connect routes.
const (
	Voice Channel = "VOICE"
	Chat  Channel = "CHAT"
	Task  Channel = "TASK"
	Email Channel = "EMAIL"
)

// Channels lists every valid channel in a fixed order.
var Channels = [...]Channel{Voice, Chat, Task, Email}

// Valid reports whether ch is one of the four channels.
func (ch Channel) Valid() bool {
	return ch.Index() >= 0
}

// Index returns the position of ch in Channels, or -1 when ch is not a valid channel. It lets
// callers keep per-channel state in a fixed-size array. The cost is O(1).
func (ch Channel) Index() int {
	switch ch {
	case Voice:
		return 0
	case Chat:
		return 1
	case Task:
		return 2
	case Email:
		return 3
	}
	return -1
}

// ParseChannel returns the channel named s (exact, upper case), or an error wrapping
// ErrInvalidChannel that names s.
func ParseChannel(s string) (Channel, error) {
	ch := Channel(s)
	if !ch.Valid() {
		return "", fmt.Errorf("%w: %q (want VOICE, CHAT, TASK or EMAIL)", ErrInvalidChannel, s)
	}
	return ch, nil
}

// Priority limits, as Amazon Connect's QueuePriority defines them. A lower number is routed
// first: 1 is the highest priority.
const (
	DefaultPriority int64 = 5
	MinPriority     int64 = 1
	MaxPriority     int64 = math.MaxInt64
)

// Errors reported by this package. Match them with errors.Is.
var (
	// ErrInvalidUpdate is wrapped by every error RoutingUpdate.Validate returns.
	ErrInvalidUpdate = errors.New("contact: invalid routing update")
	// ErrInvalidChannel is wrapped by ParseChannel's error.
	ErrInvalidChannel = errors.New("contact: invalid channel")
	// ErrAdjustmentOverflow is returned, wrapped with ErrInvalidUpdate, when an age
	// adjustment would overflow the time arithmetic of a contact's routing key.
	ErrAdjustmentOverflow = errors.New("contact: age adjustment overflows")
)

// Contact is a contact waiting in (or routed from) a queue.
//
// While a contact is held by a queue.Queue, callers must not edit its Priority, AgeAdjustment,
// EnqueuedAt or ID directly: the queue orders contacts by these fields, and only the queue's
// Update keeps that order valid.
//
// The zero value is a VOICE-less contact with no ID; it is not useful until ID, QueueID and
// EnqueuedAt are set. A Contact is not safe for concurrent use.
type Contact struct {
	// ID identifies the contact.
	ID ID
	// QueueID names the queue the contact waits in.
	QueueID string
	// Channel is the contact's medium.
	Channel Channel
	// EnqueuedAt is the real time the contact entered its queue. Metrics measure wait from it.
	EnqueuedAt time.Time
	// Priority is the QueuePriority: lower is routed first; 0 means "not set" and a queue
	// replaces it with DefaultPriority on Push.
	Priority int64
	// AgeAdjustment is the cumulative routing-age adjustment: positive values make the contact
	// older for routing (routed sooner), negative younger. Metrics never see it.
	AgeAdjustment time.Duration
}

// QueueWait returns the real time the contact has waited at now: what queue wait, service
// level and OLDEST_CONTACT_AGE report. Age adjustments do not change it. The cost is O(1).
func (c *Contact) QueueWait(now time.Time) time.Duration {
	return now.Sub(c.EnqueuedAt)
}

// RoutingAge returns the age by which the contact is routed at now: real wait plus
// AgeAdjustment. The cost is O(1).
func (c *Contact) RoutingAge(now time.Time) time.Duration {
	return c.QueueWait(now) + c.AgeAdjustment
}

// RoutingKey returns the time-invariant routing-age key: EnqueuedAt - AgeAdjustment in
// nanoseconds since the Unix epoch. A smaller key means an older routing age, and the
// difference between two contacts' keys never changes as time passes. The cost is O(1).
func (c *Contact) RoutingKey() int64 {
	return c.EnqueuedAt.UnixNano() - int64(c.AgeAdjustment)
}

// MaxWait is the longest real wait for which RoutingAge is guaranteed not to overflow: 100
// years of 365.25 days.
const MaxWait = time.Duration(100 * 365.25 * 24 * float64(time.Hour))

// MaxAgeAdjustment bounds the cumulative AgeAdjustment in both directions: with
// |AgeAdjustment| <= MaxAgeAdjustment, RoutingAge(now) = wait + AgeAdjustment cannot overflow
// for any wait in [-MaxWait, MaxWait]. It is about 192 years, far outside what the Connect API
// can reach (QueueTimeAdjustmentSeconds is an int32 of seconds, about 68 years per call).
const MaxAgeAdjustment = time.Duration(math.MaxInt64) - MaxWait

// CheckAdjustment reports whether adding d to the contact's AgeAdjustment keeps the
// cumulative adjustment within ±MaxAgeAdjustment (so RoutingAge cannot overflow for any wait
// up to MaxWait) and the routing key within int64 nanoseconds. It returns an error wrapping
// ErrInvalidUpdate and ErrAdjustmentOverflow otherwise. The cost is O(1).
func (c *Contact) CheckAdjustment(d time.Duration) error {
	sum, ok := addInt64(int64(c.AgeAdjustment), int64(d))
	if ok {
		ok = -int64(MaxAgeAdjustment) <= sum && sum <= int64(MaxAgeAdjustment)
	}
	if ok {
		_, ok = subInt64(c.EnqueuedAt.UnixNano(), sum)
	}
	if !ok {
		return fmt.Errorf("%w: %w: adding %v to %v for contact %q",
			ErrInvalidUpdate, ErrAdjustmentOverflow, d, c.AgeAdjustment, c.ID)
	}
	return nil
}

// Less reports whether a is routed before b at any instant: priority ascending, then routing
// age descending (smaller RoutingKey), then the tie-breaker seq ascending (arrival order). The
// cost is O(1).
func Less(a *Contact, aSeq uint64, b *Contact, bSeq uint64) bool {
	if a.Priority != b.Priority {
		return a.Priority < b.Priority
	}
	if ka, kb := a.RoutingKey(), b.RoutingKey(); ka != kb {
		return ka < kb
	}
	return aSeq < bSeq
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) == (b > 0)
}

func subInt64(a, b int64) (int64, bool) {
	d := a - b
	return d, (d < a) == (b > 0)
}
