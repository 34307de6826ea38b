package connectapi

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// GetMetricDataV2 (POST /metrics/data) answers from the routing core's history (see
// routing.HistoryConfig): buckets of 15 minutes, so a bucket counts in a request's range
// when it overlaps it. The request is validated as the API reference states; this file holds
// the request, metrics_v2_eval.go the computation.

// v2Dim is a filter key or grouping routesim serves.
type v2Dim string

const (
	dimQueue   v2Dim = "QUEUE"
	dimChannel v2Dim = "CHANNEL"
	dimProfile v2Dim = "ROUTING_PROFILE"
	dimAgent   v2Dim = "AGENT"
)

// v2Metric is a historical metric served: the groupings and filters the API reference
// allows it, whether it takes a threshold, whether it reads agent time, and its value from
// a group's sums (nil: no value, as for a division by zero).
type v2Metric struct {
	dims      []v2Dim
	threshold bool
	agentTime bool
	value     func(s *routing.HistoryStats, th int, inclusive bool) *float64
}

var (
	allDims   = []v2Dim{dimQueue, dimChannel, dimProfile, dimAgent}
	queueDims = []v2Dim{dimQueue, dimChannel, dimProfile}
	agentDims = []v2Dim{dimProfile, dimAgent}
)

func num(v float64) *float64 { return &v }

func secs(d time.Duration) float64 { return d.Seconds() }

// ratio returns 100·a/b, or nil when b is 0.
func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	return num(100 * a / b)
}

// avg returns sum/n in seconds, or nil when n is 0.
func avg(sum time.Duration, n int64) *float64 {
	if n == 0 {
		return nil
	}
	return num(secs(sum) / float64(n))
}

// v2Metrics lists the GetMetricDataV2 metrics routesim computes. Every other metric of the
// API reference is refused with InvalidParameterException naming it.
var v2Metrics = map[string]v2Metric{
	"CONTACTS_QUEUED":    {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(float64(s.Queued)) }},
	"CONTACTS_HANDLED":   {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(float64(s.Handled)) }},
	"CONTACTS_ABANDONED": {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(float64(s.Abandoned)) }},
	"ABANDONMENT_RATE": {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 {
		return ratio(float64(s.Abandoned), float64(s.Queued))
	}},
	"AVG_QUEUE_ANSWER_TIME": {dims: queueDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return avg(s.AnswerWait, s.Handled) }},
	"AVG_ABANDON_TIME":      {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return avg(s.AbandonWait, s.Abandoned) }},
	"MAX_QUEUED_TIME": {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 {
		if s.Queued == 0 {
			return nil
		}
		return num(secs(s.MaxQueued))
	}},
	"AVG_HANDLE_TIME":             {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return avg(s.Handle, s.Handled) }},
	"SUM_HANDLE_TIME":             {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(secs(s.Handle)) }},
	"AVG_AFTER_CONTACT_WORK_TIME": {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return avg(s.AfterContactWork, s.Handled) }},
	"SUM_AFTER_CONTACT_WORK_TIME": {dims: allDims, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(secs(s.AfterContactWork)) }},
	"SERVICE_LEVEL": {dims: queueDims, threshold: true, value: func(s *routing.HistoryStats, th int, incl bool) *float64 {
		return ratio(float64(s.AnsweredWithin(th, incl)), float64(s.Queued))
	}},
	"SUM_CONTACTS_ANSWERED_IN_X": {dims: queueDims, threshold: true, value: func(s *routing.HistoryStats, th int, incl bool) *float64 {
		return num(float64(s.AnsweredWithin(th, incl)))
	}},
	"AGENT_OCCUPANCY": {dims: agentDims, agentTime: true, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 {
		return ratio(secs(s.OnContact), secs(s.OnContact+s.Idle))
	}},
	"SUM_CONTACT_TIME_AGENT": {dims: agentDims, agentTime: true, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(secs(s.OnContact)) }},
	"SUM_IDLE_TIME_AGENT":    {dims: agentDims, agentTime: true, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 { return num(secs(s.Idle)) }},
	"SUM_NON_PRODUCTIVE_TIME_AGENT": {dims: agentDims, agentTime: true, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 {
		return num(secs(s.NonProductive))
	}},
	"SUM_ONLINE_TIME_AGENT": {dims: agentDims, agentTime: true, value: func(s *routing.HistoryStats, _ int, _ bool) *float64 {
		return num(secs(s.OnContact + s.Idle + s.NonProductive))
	}},
}

// Limits of GetMetricDataV2 from the API reference.
const (
	maxV2FilterKeys     = 5
	maxV2FilterValues   = 100 // across keys, CHANNEL values not counted
	maxV2Groupings      = 4
	maxServiceLevels    = 20
	maxThreshold        = 604800
	maxV2NextToken      = 2500
	maxResourceArnOrID  = 250
	shortRangeLimit     = 3 * 24 * time.Hour  // FIFTEEN_MIN, THIRTY_MIN, HOUR
	longRangeLimit      = 35 * 24 * time.Hour // DAY, WEEK, TOTAL
	historicalRetention = 3                   // months
)

// resourceKeys are the filter keys that name resources; a request needs one of them.
var resourceKeys = []string{"QUEUE", "ROUTING_PROFILE", "AGENT", "AGENT_HIERARCHY_LEVEL_ONE", "AGENT_HIERARCHY_LEVEL_TWO",
	"AGENT_HIERARCHY_LEVEL_THREE", "AGENT_HIERARCHY_LEVEL_FOUR", "AGENT_HIERARCHY_LEVEL_FIVE", "CAMPAIGN",
	"EVALUATION_FORM", "EVALUATOR_ID"}

type getMetricDataV2Input struct {
	ResourceArn *string
	StartTime   *float64
	EndTime     *float64
	Interval    *struct {
		TimeZone       *string
		IntervalPeriod *string
	}
	Filters []struct {
		FilterKey       *string
		FilterValues    []string
		StringCondition json.RawMessage
	}
	Groupings []string
	Metrics   []struct {
		Name      *string
		MetricId  *string
		Threshold []struct {
			Comparison     *string
			ThresholdValue *float64
		}
		MetricFilters json.RawMessage
	}
	NextToken  *string
	MaxResults *int32
}

// v2Request is a validated GetMetricDataV2 request.
type v2Request struct {
	inst          string
	arn           string
	start, end    time.Time
	period        string
	loc           *time.Location
	filter        map[v2Dim][]string
	groupings     []v2Dim
	metrics       []v2Asked
	offset, limit int
}

// v2Asked is one requested metric.
type v2Asked struct {
	name       string
	def        v2Metric
	threshold  int  // seconds, for metrics with a threshold
	inclusive  bool // LTE rather than LT
	comparison string
}

func decodeGetMetricDataV2(h *Handler, _ params, body []byte) (call, error) {
	var in getMetricDataV2Input
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	req := v2Request{limit: maxListLen, filter: map[v2Dim][]string{}}
	if err := firstErr(req.resource(&in), req.times(&in), req.filters(&in), req.groupingList(in.Groupings),
		req.metricList(&in)); err != nil {
		return nil, err
	}
	if in.NextToken != nil && len(*in.NextToken) > maxV2NextToken {
		return nil, invalidParam("NextToken is %d characters long; the limit is %d", len(*in.NextToken), maxV2NextToken)
	}
	pg, err := newPage(in.MaxResults, in.NextToken, maxListLen)
	req.offset, req.limit = pg.offset, pg.size
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) { return h.metricDataV2(ctx, &req) }, nil
}

func (req *v2Request) resource(in *getMetricDataV2Input) error {
	if in.ResourceArn == nil || *in.ResourceArn == "" {
		return invalidParam("ResourceArn is required")
	}
	arn := *in.ResourceArn
	id := instanceIDOf(arn)
	if !strings.HasPrefix(arn, "arn:") || id == arn || id == "" {
		return invalidParam("ResourceArn %q is not the ARN of an instance (arn:aws:connect:REGION:ACCOUNT:instance/ID)", arn)
	}
	req.inst, req.arn = id, arn
	return nil
}

func (req *v2Request) times(in *getMetricDataV2Input) error {
	if in.StartTime == nil {
		return invalidParam("StartTime is required")
	}
	if in.EndTime == nil {
		return invalidParam("EndTime is required")
	}
	req.start, req.end = epochToTime(*in.StartTime), epochToTime(*in.EndTime)
	if !req.start.Before(req.end) {
		return invalidParam("StartTime %s must be before EndTime %s", req.start.Format(time.RFC3339), req.end.Format(time.RFC3339))
	}
	req.period, req.loc = "TOTAL", time.UTC
	if iv := in.Interval; iv != nil {
		if iv.IntervalPeriod != nil {
			req.period = *iv.IntervalPeriod
		}
		if iv.TimeZone != nil {
			loc, err := time.LoadLocation(*iv.TimeZone)
			if err != nil || *iv.TimeZone == "" || *iv.TimeZone == "Local" {
				return invalidParam("Interval.TimeZone %q is not a time zone name such as UTC or America/New_York", *iv.TimeZone)
			}
			req.loc = loc
		}
	}
	limit := longRangeLimit
	switch req.period {
	case "FIFTEEN_MIN", "THIRTY_MIN", "HOUR":
		limit = shortRangeLimit
	case "DAY", "WEEK", "TOTAL":
	default:
		return invalidParam("Interval.IntervalPeriod %q is not FIFTEEN_MIN, THIRTY_MIN, HOUR, DAY, WEEK or TOTAL", req.period)
	}
	if d := req.end.Sub(req.start); d >= limit {
		return invalidParam("EndTime - StartTime is %v; with IntervalPeriod %s it must be less than %v", d, req.period, limit)
	}
	return nil
}

// epochToTime converts epoch seconds, with a fraction, to a time.
func epochToTime(s float64) time.Time {
	sec, frac := math.Modf(s)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC()
}

// checkNow checks what depends on the service's clock: EndTime not in the future, StartTime
// within the 3 months of history.
func (req *v2Request) checkNow(now time.Time) error {
	if req.end.After(now) {
		return invalidParam("EndTime %s is later than the current time %s", req.end.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if oldest := now.AddDate(0, -historicalRetention, 0); req.start.Before(oldest) {
		return invalidParam("StartTime %s is more than %d months ago: historical metrics are kept %d months",
			req.start.Format(time.RFC3339), historicalRetention, historicalRetention)
	}
	return nil
}

func (req *v2Request) filters(in *getMetricDataV2Input) error {
	if len(in.Filters) == 0 {
		return invalidParam("Filters is required: give at least one of QUEUE, ROUTING_PROFILE or AGENT")
	}
	if len(in.Filters) > maxV2FilterKeys {
		return invalidParam("Filters has %d filter keys; the limit is %d", len(in.Filters), maxV2FilterKeys)
	}
	values, resource := 0, false
	for i, f := range in.Filters {
		if f.FilterKey == nil || *f.FilterKey == "" {
			return invalidParam("Filters[%d].FilterKey is required", i)
		}
		key := *f.FilterKey
		if len(f.FilterValues) == 0 || len(f.FilterValues) > maxV2FilterValues {
			return invalidParam("Filters[%d].FilterValues has %d values; it must have 1..%d", i, len(f.FilterValues), maxV2FilterValues)
		}
		if isSet(f.StringCondition) {
			return invalidParam("Filters[%d].StringCondition is not supported by routesim", i)
		}
		resource = resource || slices.Contains(resourceKeys, key)
		dim := v2Dim(key)
		if !slices.Contains(allDims, dim) {
			return invalidParam("Filters[%d].FilterKey %q is not supported by routesim; use QUEUE, ROUTING_PROFILE, AGENT and CHANNEL", i, key)
		}
		if _, dup := req.filter[dim]; dup {
			return invalidParam("Filters lists the filter key %s twice", key)
		}
		ids, err := req.filterValues(i, dim, f.FilterValues)
		if err != nil {
			return err
		}
		if dim != dimChannel {
			values += len(f.FilterValues)
		}
		req.filter[dim] = ids
	}
	if values > maxV2FilterValues {
		return invalidParam("Filters have %d values across filter keys; the limit is %d (CHANNEL values not counted)", values, maxV2FilterValues)
	}
	if !resource {
		return invalidParam("Filters needs a resource filter: QUEUE, ROUTING_PROFILE, AGENT, an AGENT_HIERARCHY_LEVEL, CAMPAIGN, EVALUATION_FORM or EVALUATOR_ID")
	}
	return nil
}

func (req *v2Request) filterValues(i int, dim v2Dim, vs []string) ([]string, error) {
	kind := map[v2Dim]string{dimQueue: "queue", dimProfile: "routing-profile", dimAgent: "agent"}[dim]
	var ids []string
	for j, v := range vs {
		if v == "" || len(v) > maxResourceArnOrID {
			return nil, invalidParam("Filters[%d].FilterValues[%d] is %d characters long; it must be 1..%d", i, j, len(v), maxResourceArnOrID)
		}
		id := v
		if dim == dimChannel {
			ch, err := contact.ParseChannel(v)
			if err != nil {
				return nil, invalidParam("Filters[%d].FilterValues[%d]: %q is not VOICE, CHAT, TASK or EMAIL", i, j, v)
			}
			id = string(ch)
		} else {
			id = resourceIDOf(v, kind)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (req *v2Request) groupingList(gs []string) error {
	if len(gs) > maxV2Groupings {
		return invalidParam("Groupings has %d entries; the limit is %d", len(gs), maxV2Groupings)
	}
	for _, g := range gs {
		d := v2Dim(g)
		switch {
		case !slices.Contains(allDims, d):
			return invalidParam("Groupings: %q is not supported by routesim; use QUEUE, CHANNEL, ROUTING_PROFILE and AGENT", g)
		case slices.Contains(req.groupings, d):
			return invalidParam("Groupings lists %s twice", g)
		}
		req.groupings = append(req.groupings, d)
	}
	return nil
}

func (req *v2Request) metricList(in *getMetricDataV2Input) error {
	if len(in.Metrics) == 0 {
		return invalidParam("Metrics is required")
	}
	levels := 0
	for i, m := range in.Metrics {
		if m.MetricId != nil {
			return invalidParam("Metrics[%d].MetricId %q: routesim has no custom metrics; name the metric with Name", i, *m.MetricId)
		}
		if m.Name == nil || *m.Name == "" {
			return invalidParam("Metrics[%d].Name is required", i)
		}
		def, ok := v2Metrics[*m.Name]
		if !ok {
			return invalidParam("Metrics[%d].Name: %s is not computed by routesim (see docs/emulator.md for the metrics it computes)", i, *m.Name)
		}
		if isSet(m.MetricFilters) {
			return invalidParam("Metrics[%d].MetricFilters is not supported by routesim", i)
		}
		a := v2Asked{name: *m.Name, def: def}
		if err := a.checkThreshold(i, len(m.Threshold), func() (*string, *float64) {
			return m.Threshold[0].Comparison, m.Threshold[0].ThresholdValue
		}); err != nil {
			return err
		}
		if a.name == "SERVICE_LEVEL" {
			if levels++; levels > maxServiceLevels {
				return invalidParam("Metrics has more than %d SERVICE_LEVEL metrics", maxServiceLevels)
			}
		}
		for _, d := range req.groupings {
			if !slices.Contains(def.dims, d) {
				return invalidParam("Metrics[%d]: %s cannot be grouped by %s", i, a.name, d)
			}
		}
		for _, d := range allDims {
			if _, ok := req.filter[d]; ok && !slices.Contains(def.dims, d) {
				return invalidParam("Metrics[%d]: %s cannot be filtered by %s", i, a.name, d)
			}
		}
		req.metrics = append(req.metrics, a)
	}
	return nil
}

// checkThreshold checks a metric's Threshold list of n entries, the first read by first.
func (a *v2Asked) checkThreshold(i, n int, first func() (*string, *float64)) error {
	switch {
	case !a.def.threshold && n > 0:
		return invalidParam("Metrics[%d].Threshold: %s takes no threshold", i, a.name)
	case !a.def.threshold:
		return nil
	case n != 1:
		return invalidParam("Metrics[%d].Threshold: %s needs exactly one threshold; got %d", i, a.name, n)
	}
	cmp, v := first()
	switch {
	case cmp == nil || (*cmp != "LT" && *cmp != "LTE"):
		return invalidParam("Metrics[%d].Threshold[0].Comparison must be LT or LTE for %s", i, a.name)
	case v == nil || *v != math.Trunc(*v) || *v < 1 || *v > maxThreshold:
		return invalidParam("Metrics[%d].Threshold[0].ThresholdValue must be a whole number of seconds 1..%d for %s", i, maxThreshold, a.name)
	}
	a.threshold, a.inclusive, a.comparison = int(*v), *cmp == "LTE", *cmp
	return nil
}
