package fit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"

	"github.com/routesim/routesim/contact"
)

// MaxBadExamples is how many bad records Data names; the others are only counted.
const MaxBadExamples = 10

// Data is a set of contact records read by Load: one per ContactId (the copy with the
// latest LastUpdateTimestamp), in a compact form, with the count of what was read, kept
// and set aside. It is not safe for concurrent use while loading.
type Data struct {
	// Files is the number of files read; Objects the JSON objects (or broken stretches)
	// found in them.
	Files, Objects int
	// Bad counts records that are not valid contact records (invalid JSON, no ContactId, an
	// unreadable timestamp, a queue without an enqueue time, a channel the simulator does
	// not know); BadExamples names the first MaxBadExamples as "file:line: why".
	Bad         int
	BadExamples []string
	// Duplicates counts the copies replaced by (or older than) another copy of the same
	// ContactId.
	Duplicates int
	// NotQueued counts the kept contacts that never entered a queue (outbound calls, or
	// contacts that ended in a flow): they are not arrivals.
	NotQueued int

	rows    []row
	byID    map[[16]byte]int32
	names   map[string]int32
	nameOf  []string
	methods map[string]int
}

// row is one contact, compact. Times are Unix nanoseconds, 0 when absent; durations are
// seconds, -1 when absent; names are indexes into Data.nameOf, -1 when absent.
//
// A row holds no pointer, so that a million of them cost the garbage collector nothing.
type row struct {
	last, enq, deq, conn, disc int64
	handle, acw                int64
	queue, agent, profile      int32
	method, reason             int32
	ch                         uint8 // index in channels
	callback                   bool
}

// channels are the channels a row may have.
var channels = [...]contact.Channel{contact.Voice, contact.Chat, contact.Task, contact.Email}

// channel returns the row's channel.
func (r *row) channel() contact.Channel { return channels[r.ch] }

// NewData returns an empty Data to Read into.
func NewData() *Data {
	return &Data{byID: map[[16]byte]int32{}, names: map[string]int32{}, methods: map[string]int{}}
}

// Load reads every file under paths (see Read for the shapes read; directories are read
// recursively, in lexical order) into a new Data. A bad record is counted and named, never
// dropped silently; only a file that cannot be read (or a corrupt gzip stream) is an
// error, or ctx's when it is cancelled (checked between files). The cost is O(bytes read)
// time and O(contacts) memory.
func Load(ctx context.Context, paths []string) (*Data, error) {
	d := NewData()
	err := walk(paths, func(path string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return d.Read(path, f)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Read reads one file's worth of contact records from r (gunzipped when it starts with
// gzip's magic bytes): JSON lines, a JSON array of records, or records concatenated with no
// separator, in any mix. name labels bad records ("name:line: why"). It returns only read
// errors; bad records are counted.
func (d *Data) Read(name string, r io.Reader) error {
	d.Files++
	var rr raw
	return splitReader(name, r, func(obj []byte, line int) {
		d.Objects++
		if scanRecord(obj, &rr) != nil {
			// Escapes, unexpected types or bad syntax: encoding/json decodes the record or
			// says what is wrong.
			var rec ContactRecord
			if err := json.Unmarshal(obj, &rec); err != nil {
				d.bad(name, line, "invalid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
				return
			}
			rr.fromRecord(&rec)
		}
		if err := d.add(&rr); err != nil {
			d.bad(name, line, err.Error())
		}
	}, func(line int, why string) {
		d.Objects++
		d.bad(name, line, why)
	})
}

func (d *Data) bad(path string, line int, why string) {
	d.Bad++
	if len(d.BadExamples) < MaxBadExamples {
		d.BadExamples = append(d.BadExamples, fmt.Sprintf("%s:%d: %s", path, line, why))
	}
}

// Contacts returns the number of distinct contacts kept (queued or not).
func (d *Data) Contacts() int { return len(d.rows) }

// Methods returns how many kept contacts each InitiationMethod has (queued or not).
func (d *Data) Methods() map[string]int { return d.methods }

func (d *Data) intern(s string) int32 {
	if s == "" {
		return -1
	}
	if i, ok := d.names[s]; ok {
		return i
	}
	i := int32(len(d.nameOf))
	d.names[s] = i
	d.nameOf = append(d.nameOf, s)
	return i
}

// Add adds one record, replacing an older copy of the same ContactId (by
// LastUpdateTimestamp; a tie keeps the later one read). A bad record gives a *RecordError
// naming the field, and then changes nothing. The cost is O(1) expected.
func (d *Data) Add(rec *ContactRecord) error {
	var r raw
	r.fromRecord(rec)
	return d.add(&r)
}

func (d *Data) add(rr *raw) error {
	r, err := d.compact(rr)
	if err != nil {
		return err
	}
	h := fnv.New128a()
	h.Write(rr.contactID)
	var key [16]byte
	h.Sum(key[:0])
	if i, ok := d.byID[key]; ok {
		d.Duplicates++
		if r.last >= d.rows[i].last {
			d.count(&d.rows[i], -1)
			d.rows[i] = r
			d.count(&r, 1)
		}
		return nil
	}
	d.byID[key] = int32(len(d.rows))
	d.rows = append(d.rows, r)
	d.count(&r, 1)
	return nil
}

func (d *Data) count(r *row, n int) {
	d.methods[d.nameOf[r.method]] += n
	if r.queue < 0 {
		d.NotQueued += n
	}
}

// internBytes returns the index of name b, adding a copy of it when new; an empty b gives
// -1. A lookup does not allocate.
func (d *Data) internBytes(b []byte) int32 {
	if len(b) == 0 {
		return -1
	}
	if i, ok := d.names[string(b)]; ok {
		return i
	}
	return d.intern(string(b))
}

// lastSegment returns what follows the last '/' of an ARN.
func lastSegment(arn []byte) []byte { return arn[bytes.LastIndexByte(arn, '/')+1:] }

// compact checks a record and turns it into a row.
func (d *Data) compact(rec *raw) (row, error) {
	r := row{handle: -1, acw: -1, queue: -1, agent: -1, profile: -1}
	if len(rec.contactID) == 0 {
		return r, badField("ContactId", "missing")
	}
	var err error
	if r.last, _, err = parseTimeBytes("LastUpdateTimestamp", rec.last); err != nil {
		return r, err
	}
	if r.disc, _, err = parseTimeBytes("DisconnectTimestamp", rec.disc); err != nil {
		return r, err
	}
	ch, known := uint8(0), true
	if len(rec.channel) > 0 {
		ch, known = channelOf(rec.channel)
	}
	r.ch = ch
	method := rec.method
	if len(method) == 0 {
		method = []byte("(none)")
	}
	r.callback = string(method) == "CALLBACK"
	if rec.hasQueue && (len(rec.enq) > 0 || len(rec.queueName) > 0 || len(rec.queueARN) > 0) {
		if !known {
			return r, badField("Channel", "%q is not VOICE, CHAT, TASK or EMAIL", rec.channel)
		}
		if err := d.compactQueue(&r, rec); err != nil {
			return r, err
		}
	}
	if rec.hasAgent && r.queue >= 0 {
		if err := d.compactAgent(&r, rec); err != nil {
			return r, err
		}
	}
	r.method = d.internBytes(method)
	r.reason = d.internBytes(rec.reason)
	return r, nil
}

// channelOf returns the index in channels of the channel named b, and false for an
// unknown one.
func channelOf(b []byte) (uint8, bool) {
	for i, c := range channels {
		if string(b) == string(c) {
			return uint8(i), true
		}
	}
	return 0, false
}

func (d *Data) compactQueue(r *row, q *raw) error {
	var ok bool
	var err error
	if r.enq, ok, err = parseTimeBytes("Queue.EnqueueTimestamp", q.enq); err != nil {
		return err
	} else if !ok {
		return badField("Queue.EnqueueTimestamp", "missing in a queued contact")
	}
	if r.deq, ok, err = parseTimeBytes("Queue.DequeueTimestamp", q.deq); err != nil {
		return err
	} else if ok && r.deq < r.enq {
		return badField("Queue.DequeueTimestamp", "%s is before EnqueueTimestamp %s", q.deq, q.enq)
	}
	name := q.queueName
	if len(name) == 0 {
		name = lastSegment(q.queueARN)
	}
	if len(name) == 0 {
		return badField("Queue", "neither Name nor ARN")
	}
	r.queue = d.internBytes(name)
	return nil
}

func (d *Data) compactAgent(r *row, a *raw) error {
	var ok bool
	var err error
	if r.conn, ok, err = parseTimeBytes("Agent.ConnectedToAgentTimestamp", a.conn); err != nil {
		return err
	} else if !ok {
		return nil // an agent who never connected (a missed offer) did not take the contact
	}
	if r.conn < r.enq {
		return badField("Agent.ConnectedToAgentTimestamp", "%s is before Queue.EnqueueTimestamp", a.conn)
	}
	for _, v := range []struct {
		name string
		v    optInt
	}{{"Agent.AgentInteractionDuration", a.aid}, {"Agent.CustomerHoldDuration", a.hold}, {"Agent.AfterContactWorkDuration", a.acw}} {
		if v.v.ok && v.v.v < 0 {
			return badField(v.name, "%d is negative", v.v.v)
		}
	}
	if a.aid.ok {
		r.handle = a.aid.v
		if a.hold.ok {
			r.handle += a.hold.v
		}
	}
	if a.acw.ok {
		r.acw = a.acw.v
	}
	id := a.agentARN
	if len(id) == 0 {
		id = a.username
	}
	r.agent = d.internBytes(id)
	name := a.profileName
	if len(name) == 0 {
		name = lastSegment(a.profileARN)
	}
	r.profile = d.internBytes(name)
	return nil
}

// RecordError says which field of a contact record is bad, and why.
type RecordError struct {
	Field, Reason string
}

// Error implements error: "Field: reason".
func (e *RecordError) Error() string { return e.Field + ": " + e.Reason }

func badField(field, format string, args ...any) error {
	return &RecordError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
