package connectapi

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

type getMetricDataV2Output struct {
	MetricResults []metricResultV2 `json:"MetricResults"`
	NextToken     *string          `json:"NextToken,omitempty"`
}

type metricResultV2 struct {
	Dimensions     map[string]string `json:"Dimensions,omitempty"`
	MetricInterval *metricInterval   `json:"MetricInterval,omitempty"`
	Collections    []metricDataV2    `json:"Collections"`
}

type metricInterval struct {
	Interval  string    `json:"Interval"`
	StartTime epochTime `json:"StartTime"`
	EndTime   epochTime `json:"EndTime"`
}

type metricDataV2 struct {
	Metric metricV2 `json:"Metric"`
	Value  *float64 `json:"Value,omitempty"`
}

type metricV2 struct {
	Name      string        `json:"Name"`
	Threshold []thresholdV2 `json:"Threshold,omitempty"`
}

type thresholdV2 struct {
	Comparison     string  `json:"Comparison"`
	ThresholdValue float64 `json:"ThresholdValue"`
}

// v2Group is one result: the values of the groupings and the interval start.
type v2Group struct {
	dims  [4]string // by position in req.groupings
	start time.Time
}

// metricDataV2 reads the history buckets of the request's range and filters, adds them up
// by groupings and interval, and computes each metric. The cost is O(a + i·log i + k·b + r·m)
// for a agents, i intervals kept, k buckets in range with b answer-wait seconds each, r
// results and m metrics.
func (h *Handler) metricDataV2(ctx context.Context, req *v2Request) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, ok := h.svc.Instance(req.inst)
	if !ok {
		return nil, notFound("instance %q not found (ResourceArn %q)", req.inst, req.arn)
	}
	if err := req.checkNow(h.svc.Clock().Now()); err != nil {
		return nil, err
	}
	q := routing.HistoryQuery{From: req.start.Truncate(routing.HistoryInterval), To: req.end,
		QueueIDs: req.filter[dimQueue], ProfileIDs: req.filter[dimProfile], AgentIDs: req.filter[dimAgent]}
	for _, ch := range req.filter[dimChannel] {
		q.Channels = append(q.Channels, contact.Channel(ch))
	}
	wantAgent, wantContact := false, false
	for _, m := range req.metrics {
		wantAgent = wantAgent || m.def.agentTime
		wantContact = wantContact || !m.def.agentTime
	}
	sums := make(map[v2Group]*routing.HistoryStats)
	for _, r := range in.History(q) {
		if (r.AgentTime && !wantAgent) || (!r.AgentTime && !wantContact) {
			continue
		}
		g, ok := req.groupOf(&r)
		if !ok {
			continue
		}
		s := sums[g]
		if s == nil {
			s = new(routing.HistoryStats)
			sums[g] = s
		}
		s.Add(&r.Stats)
	}
	keys := make([]v2Group, 0, len(sums))
	for g := range sums {
		keys = append(keys, g)
	}
	slices.SortFunc(keys, func(a, b v2Group) int {
		for i := range a.dims {
			if c := cmp.Compare(a.dims[i], b.dims[i]); c != 0 {
				return c
			}
		}
		return a.start.Compare(b.start)
	})
	out := getMetricDataV2Output{MetricResults: []metricResultV2{}}
	end := min(req.offset+req.limit, len(keys))
	for _, g := range keys[min(req.offset, len(keys)):end] {
		out.MetricResults = append(out.MetricResults, req.result(g, sums[g]))
	}
	if end < len(keys) {
		tok := strconv.Itoa(end)
		out.NextToken = &tok
	}
	return out, nil
}

// groupOf returns the group of a bucket; false when a grouped dimension has no value in it
// (a contact no agent took, grouped by AGENT).
func (req *v2Request) groupOf(r *routing.HistoryRecord) (v2Group, bool) {
	var g v2Group
	for i, d := range req.groupings {
		switch d {
		case dimQueue:
			g.dims[i] = r.QueueID
		case dimChannel:
			g.dims[i] = string(r.Channel)
		case dimProfile:
			g.dims[i] = r.ProfileID
		case dimAgent:
			g.dims[i] = r.AgentID
		}
		if g.dims[i] == "" {
			return g, false
		}
	}
	g.start = req.intervalStart(r.Start)
	return g, true
}

// intervalStart returns the start of the reporting interval holding bucket start t: the
// request's StartTime for TOTAL, else t floored to the period in the request's time zone
// (weeks start on Monday), never before StartTime.
func (req *v2Request) intervalStart(t time.Time) time.Time {
	lt := t.In(req.loc)
	var s time.Time
	switch req.period {
	case "TOTAL":
		return req.start
	case "FIFTEEN_MIN", "THIRTY_MIN":
		step := map[string]int{"FIFTEEN_MIN": 15, "THIRTY_MIN": 30}[req.period]
		s = time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute()/step*step, 0, 0, req.loc)
	case "HOUR":
		s = time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), 0, 0, 0, req.loc)
	case "DAY":
		s = time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, req.loc)
	case "WEEK":
		back := (int(lt.Weekday()) + 6) % 7 // days since Monday
		s = time.Date(lt.Year(), lt.Month(), lt.Day()-back, 0, 0, 0, 0, req.loc)
	}
	if s.Before(req.start) {
		return req.start
	}
	return s
}

// intervalEnd returns the end of the reporting interval starting at s, never after EndTime.
func (req *v2Request) intervalEnd(s time.Time) time.Time {
	ls := s.In(req.loc)
	var e time.Time
	switch req.period {
	case "TOTAL":
		return req.end
	case "FIFTEEN_MIN", "THIRTY_MIN":
		step := map[string]int{"FIFTEEN_MIN": 15, "THIRTY_MIN": 30}[req.period]
		e = time.Date(ls.Year(), ls.Month(), ls.Day(), ls.Hour(), ls.Minute()/step*step+step, 0, 0, req.loc)
	case "HOUR":
		e = time.Date(ls.Year(), ls.Month(), ls.Day(), ls.Hour()+1, 0, 0, 0, req.loc)
	case "DAY":
		e = time.Date(ls.Year(), ls.Month(), ls.Day()+1, 0, 0, 0, 0, req.loc)
	case "WEEK":
		back := (int(ls.Weekday()) + 6) % 7
		e = time.Date(ls.Year(), ls.Month(), ls.Day()-back+7, 0, 0, 0, 0, req.loc)
	}
	if e.After(req.end) {
		return req.end
	}
	return e
}

// result builds the result of one group.
func (req *v2Request) result(g v2Group, s *routing.HistoryStats) metricResultV2 {
	r := metricResultV2{MetricInterval: &metricInterval{Interval: req.period,
		StartTime: epochTime(g.start), EndTime: epochTime(req.intervalEnd(g.start))}}
	if len(req.groupings) > 0 {
		r.Dimensions = make(map[string]string, len(req.groupings))
		for i, d := range req.groupings {
			r.Dimensions[string(d)] = g.dims[i]
		}
	}
	for _, m := range req.metrics {
		d := metricDataV2{Metric: metricV2{Name: m.name}, Value: m.def.value(s, m.threshold, m.inclusive)}
		if m.def.threshold {
			d.Metric.Threshold = []thresholdV2{{Comparison: m.comparison, ThresholdValue: float64(m.threshold)}}
		}
		r.Collections = append(r.Collections, d)
	}
	return r
}
