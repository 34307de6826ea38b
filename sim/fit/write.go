package fit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/sim"
)

// arnPrefix starts the ARNs of simulated records: a made-up account and instance.
const arnPrefix = "arn:aws:connect:us-east-1:000000000000:instance/routesim/"

// RecordWriter writes simulated contacts (sim.ContactRecord) as Amazon Connect contact
// records, one JSON object a line, so that Load reads them back. Replication rep's time 0
// is the scenario's StartTime + rep × horizon: replications follow one another in time.
// Warm-up contacts are skipped. A contact still waiting or with an agent at the horizon has
// no DisconnectTimestamp (and, waiting, no DequeueTimestamp or Agent); its
// LastUpdateTimestamp is the horizon. ContactIds are unique across the replications of a
// run. A RecordWriter holds one buffer, whatever the number of records; it is not safe
// for concurrent use.
type RecordWriter struct {
	w         *bufio.Writer
	start     time.Time
	horizon   time.Duration
	seed      uint64
	profileOf map[string]string
	n         int64
}

// NewRecordWriter returns a writer of the contacts of runs of sc seeded with seed (the
// seed goes into the ContactIds). sc must be valid.
func NewRecordWriter(w io.Writer, sc *sim.Scenario, seed uint64) (*RecordWriter, error) {
	start, err := sc.StartTime()
	if err != nil {
		return nil, err
	}
	rw := &RecordWriter{w: bufio.NewWriterSize(w, 1<<16), start: start, horizon: sc.Horizon.D(), seed: seed, profileOf: map[string]string{}}
	for _, g := range sc.AgentGroups {
		rw.profileOf[g.ID] = g.RoutingProfileID
	}
	return rw, nil
}

// Written returns the number of records written.
func (rw *RecordWriter) Written() int64 { return rw.n }

// Write writes the record of one contact of replication rep, unless it arrived in the
// warm-up. The cost is O(1), one JSON encoding.
func (rw *RecordWriter) Write(rep int, c *sim.ContactRecord) error {
	if c.Warmup {
		return nil
	}
	b, err := json.Marshal(rw.Record(rep, c))
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if _, err := rw.w.Write(b); err != nil {
		return err
	}
	rw.n++
	return nil
}

// Flush writes out what is buffered.
func (rw *RecordWriter) Flush() error { return rw.w.Flush() }

// Record returns the contact record of one contact of replication rep.
func (rw *RecordWriter) Record(rep int, c *sim.ContactRecord) *ContactRecord {
	base := rw.start.Add(time.Duration(rep) * rw.horizon)
	at := func(d sim.Duration) string { return FormatTime(base.Add(d.D())) }
	arrival := at(c.Arrival)
	method := "INBOUND"
	switch {
	case c.Initiation != "":
		method = c.Initiation
	case c.Channel != contact.Voice:
		method = "API"
	}
	r := &ContactRecord{AWSContactTraceRecordFormatVersion: "2017-03-10",
		ContactID: fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(rep), rw.seed>>48&0xffff, rw.seed>>36&0xfff, rw.seed>>24&0xfff, c.Seq),
		Channel:   string(c.Channel), InitiationMethod: method, InitiationTimestamp: arrival, ConnectedToSystemTimestamp: arrival,
		LastUpdateTimestamp: FormatTime(base.Add(rw.horizon)),
		Queue:               &QueueRecord{ARN: arnPrefix + "queue/" + c.Queue, Name: c.Queue, EnqueueTimestamp: arrival}}
	left := c.Routed
	if left < 0 && c.Reason == routing.Abandoned {
		left = c.Ended
	}
	if left >= 0 {
		r.Queue.DequeueTimestamp = at(left)
		r.Queue.Duration = wholeSeconds(left - c.Arrival)
	}
	if c.Routed >= 0 {
		r.Agent = &AgentRecord{ARN: arnPrefix + "agent/" + c.Agent, Username: c.Agent, ConnectedToAgentTimestamp: at(c.Routed),
			AgentInteractionDuration: wholeSeconds(c.HandleTime), CustomerHoldDuration: new(int64)}
		if p := rw.profileOf[c.Group]; p != "" {
			r.Agent.RoutingProfile = &RoutingProfile{ARN: arnPrefix + "routing-profile/" + p, Name: p}
		}
	}
	switch c.Reason {
	case routing.Completed:
		r.DisconnectTimestamp, r.DisconnectReason = at(c.Ended), "AGENT_DISCONNECT"
		r.Agent.AfterContactWorkStartTimestamp = at(c.Ended)
		r.Agent.AfterContactWorkEndTimestamp = at(c.Ended + c.AfterContactWork)
		r.Agent.AfterContactWorkDuration = wholeSeconds(c.AfterContactWork)
		r.LastUpdateTimestamp = r.Agent.AfterContactWorkEndTimestamp
	case routing.Abandoned:
		r.DisconnectTimestamp, r.DisconnectReason = at(c.Ended), "CUSTOMER_DISCONNECT"
		r.LastUpdateTimestamp = r.DisconnectTimestamp
	}
	return r
}

func wholeSeconds(d sim.Duration) *int64 {
	s := int64(math.Round(d.Seconds()))
	return &s
}
