package fit

import (
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
type row struct {
	last, enq, deq, conn, disc int64
	handle, acw                int64
	queue, agent, profile      int32
	method, reason             int32
	channel                    contact.Channel
	callback                   bool
}

// NewData returns an empty Data to Read into.
func NewData() *Data {
	return &Data{byID: map[[16]byte]int32{}, names: map[string]int32{}, methods: map[string]int{}}
}

// Load reads every file under paths (see Read for the shapes read; directories are read
// recursively, in lexical order) into a new Data. A bad record is counted and named, never
// dropped silently; only a file that cannot be read (or a corrupt gzip stream) is an
// error. The cost is O(bytes read) time and O(contacts) memory.
func Load(paths []string) (*Data, error) {
	d := NewData()
	err := walk(paths, func(path string) error {
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
	var rec ContactRecord
	return splitReader(name, r, func(obj []byte, line int) {
		d.Objects++
		rec = ContactRecord{}
		if err := json.Unmarshal(obj, &rec); err != nil {
			d.bad(name, line, "invalid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
			return
		}
		if err := d.Add(&rec); err != nil {
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
// LastUpdateTimestamp; a tie keeps the later one read). It returns an error naming the bad
// field, and then changes nothing. The cost is O(1) expected.
func (d *Data) Add(rec *ContactRecord) error {
	r, err := d.compact(rec)
	if err != nil {
		return err
	}
	h := fnv.New128a()
	h.Write([]byte(rec.ContactID))
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

// compact checks a record and turns it into a row.
func (d *Data) compact(rec *ContactRecord) (row, error) {
	r := row{handle: -1, acw: -1, queue: -1, agent: -1, profile: -1}
	if rec.ContactID == "" {
		return r, fmt.Errorf("ContactId: missing")
	}
	var err error
	if r.last, _, err = parseTime("LastUpdateTimestamp", rec.LastUpdateTimestamp); err != nil {
		return r, err
	}
	if r.disc, _, err = parseTime("DisconnectTimestamp", rec.DisconnectTimestamp); err != nil {
		return r, err
	}
	r.channel = contact.Channel(rec.Channel)
	if r.channel == "" {
		r.channel = contact.Voice
	}
	method := rec.InitiationMethod
	if method == "" {
		method = "(none)"
	}
	r.callback = method == "CALLBACK"
	if q := rec.Queue; q != nil && (q.EnqueueTimestamp != "" || q.Name != "" || q.ARN != "") {
		if !r.channel.Valid() {
			return r, fmt.Errorf("Channel: %q is not VOICE, CHAT, TASK or EMAIL", rec.Channel)
		}
		if err := d.compactQueue(&r, q); err != nil {
			return r, err
		}
	}
	if a := rec.Agent; a != nil && r.queue >= 0 {
		if err := d.compactAgent(&r, a); err != nil {
			return r, err
		}
	}
	r.method = d.intern(method)
	r.reason = d.intern(rec.DisconnectReason)
	return r, nil
}

func (d *Data) compactQueue(r *row, q *QueueRecord) error {
	var ok bool
	var err error
	if r.enq, ok, err = parseTime("Queue.EnqueueTimestamp", q.EnqueueTimestamp); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("Queue.EnqueueTimestamp: missing in a queued contact")
	}
	if r.deq, ok, err = parseTime("Queue.DequeueTimestamp", q.DequeueTimestamp); err != nil {
		return err
	} else if ok && r.deq < r.enq {
		return fmt.Errorf("Queue.DequeueTimestamp: %s is before EnqueueTimestamp %s", q.DequeueTimestamp, q.EnqueueTimestamp)
	}
	name := q.Name
	if name == "" {
		name = q.ARN[strings.LastIndexByte(q.ARN, '/')+1:]
	}
	if name == "" {
		return fmt.Errorf("Queue: neither Name nor ARN")
	}
	r.queue = d.intern(name)
	return nil
}

func (d *Data) compactAgent(r *row, a *AgentRecord) error {
	var ok bool
	var err error
	if r.conn, ok, err = parseTime("Agent.ConnectedToAgentTimestamp", a.ConnectedToAgentTimestamp); err != nil {
		return err
	} else if !ok {
		return nil // an agent who never connected (a missed offer) did not take the contact
	}
	if r.conn < r.enq {
		return fmt.Errorf("Agent.ConnectedToAgentTimestamp: %s is before Queue.EnqueueTimestamp", a.ConnectedToAgentTimestamp)
	}
	for _, v := range []struct {
		name string
		p    *int64
	}{{"Agent.AgentInteractionDuration", a.AgentInteractionDuration}, {"Agent.CustomerHoldDuration", a.CustomerHoldDuration},
		{"Agent.AfterContactWorkDuration", a.AfterContactWorkDuration}} {
		if v.p != nil && *v.p < 0 {
			return fmt.Errorf("%s: %d is negative", v.name, *v.p)
		}
	}
	if a.AgentInteractionDuration != nil {
		r.handle = *a.AgentInteractionDuration
		if a.CustomerHoldDuration != nil {
			r.handle += *a.CustomerHoldDuration
		}
	}
	if a.AfterContactWorkDuration != nil {
		r.acw = *a.AfterContactWorkDuration
	}
	id := a.ARN
	if id == "" {
		id = a.Username
	}
	r.agent = d.intern(id)
	if p := a.RoutingProfile; p != nil {
		name := p.Name
		if name == "" {
			name = p.ARN[strings.LastIndexByte(p.ARN, '/')+1:]
		}
		r.profile = d.intern(name)
	}
	return nil
}
