package connectapi

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// currentMetrics lists the GetCurrentMetricData metrics served, with their unit and how to
// read them from routing.QueueMetrics.
var currentMetrics = map[string]struct {
	unit  string
	value func(m *routing.QueueMetrics) float64
}{
	"CONTACTS_IN_QUEUE": {"COUNT", func(m *routing.QueueMetrics) float64 { return float64(m.ContactsInQueue) }},
	// Whole seconds of real wait, never moved by routing-age adjustments.
	"OLDEST_CONTACT_AGE":        {"SECONDS", func(m *routing.QueueMetrics) float64 { return float64(m.OldestContactAge / time.Second) }},
	"AGENTS_AVAILABLE":          {"COUNT", func(m *routing.QueueMetrics) float64 { return float64(m.AgentsAvailable) }},
	"AGENTS_ONLINE":             {"COUNT", func(m *routing.QueueMetrics) float64 { return float64(m.AgentsOnline) }},
	"AGENTS_ON_CONTACT":         {"COUNT", func(m *routing.QueueMetrics) float64 { return float64(m.AgentsOnContact) }},
	"AGENTS_AFTER_CONTACT_WORK": {"COUNT", func(m *routing.QueueMetrics) float64 { return float64(m.AgentsAfterContactWork) }},
}

// getCurrentMetricDataInput holds GetCurrentMetricData's body.
type getCurrentMetricDataInput struct {
	Filters *struct {
		Queues                 []string
		Channels               []string
		RoutingProfiles        []string
		RoutingStepExpressions []string
		AgentStatuses          []string
		Subtypes               []string
		ValidationTestTypes    []string
	}
	Groupings      []string
	CurrentMetrics []struct {
		Name     *string
		Unit     *string
		MetricId *string
	}
	MaxResults   *int32
	NextToken    *string
	SortCriteria json.RawMessage
}

type getCurrentMetricDataOutput struct {
	MetricResults         []metricResult `json:"MetricResults"`
	NextToken             *string        `json:"NextToken,omitempty"`
	DataSnapshotTime      *epochTime     `json:"DataSnapshotTime,omitempty"`
	ApproximateTotalCount int64          `json:"ApproximateTotalCount"`
}

type metricResult struct {
	Dimensions  *dimensions  `json:"Dimensions,omitempty"`
	Collections []metricData `json:"Collections"`
}

type dimensions struct {
	Queue   *queueRef `json:"Queue,omitempty"`
	Channel string    `json:"Channel,omitempty"`
}

type queueRef struct {
	Id  string `json:"Id"`
	Arn string `json:"Arn"`
}

type metricData struct {
	Metric metricName `json:"Metric"`
	Value  float64    `json:"Value"`
}

type metricName struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// metricsRequest is a validated GetCurrentMetricData request.
type metricsRequest struct {
	inst               string
	queues             []string // empty: all queues of the instance
	channels           []contact.Channel
	byQueue, byChannel bool
	metrics            []metricName
	offset, limit      int
}

func decodeGetCurrentMetricData(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in getCurrentMetricDataInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	req := metricsRequest{inst: inst, limit: maxListLen}
	if err := firstErr(req.filters(&in), req.groupings(in.Groupings), req.currentMetrics(&in), req.page(&in)); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) { return h.currentMetricData(ctx, &req) }, nil
}

func (req *metricsRequest) filters(in *getCurrentMetricDataInput) error {
	f := in.Filters
	if f == nil {
		return invalidParam("Filters is required")
	}
	for name, l := range map[string][]string{"RoutingProfiles": f.RoutingProfiles,
		"RoutingStepExpressions": f.RoutingStepExpressions, "AgentStatuses": f.AgentStatuses,
		"Subtypes": f.Subtypes, "ValidationTestTypes": f.ValidationTestTypes} {
		if len(l) > 0 {
			return invalidParam("Filters.%s is not supported by routesim; filter by Queues and Channels", name)
		}
	}
	if len(f.Queues) > maxListLen {
		return invalidParam("Filters.Queues has %d entries; the limit is %d", len(f.Queues), maxListLen)
	}
	for i, q := range f.Queues {
		id := queueIDOf(q)
		if id == "" {
			return invalidParam("Filters.Queues[%d] is empty", i)
		}
		if err := checkLen("Filters.Queues entry", q, maxFlowID); err != nil {
			return err
		}
		if !slices.Contains(req.queues, id) {
			req.queues = append(req.queues, id)
		}
	}
	if len(f.Channels) > len(contact.Channels) {
		return invalidParam("Filters.Channels has %d entries; there are %d channels", len(f.Channels), len(contact.Channels))
	}
	for _, s := range f.Channels {
		ch, err := contact.ParseChannel(s)
		if err != nil {
			return invalidParam("Filters.Channels: %q is not VOICE, CHAT, TASK or EMAIL", s)
		}
		if !slices.Contains(req.channels, ch) {
			req.channels = append(req.channels, ch)
		}
	}
	if len(req.channels) == 0 {
		req.channels = contact.Channels[:]
	}
	return nil
}

// queueIDOf returns the queue ID of a Filters.Queues entry: an ID, or a queue ARN.
func queueIDOf(s string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndex(s, "/queue/"); i >= 0 {
			return s[i+len("/queue/"):]
		}
	}
	return s
}

func (req *metricsRequest) groupings(gs []string) error {
	if len(gs) > 2 {
		return invalidParam("Groupings has %d entries; routesim groups by QUEUE and CHANNEL", len(gs))
	}
	for _, g := range gs {
		switch {
		case g == "QUEUE" && !req.byQueue:
			req.byQueue = true
		case g == "CHANNEL" && !req.byChannel:
			req.byChannel = true
		case g == "QUEUE" || g == "CHANNEL":
			return invalidParam("Groupings lists %s twice", g)
		default:
			return invalidParam("Groupings: %q is not supported by routesim; use QUEUE and CHANNEL", g)
		}
	}
	return nil
}

func (req *metricsRequest) currentMetrics(in *getCurrentMetricDataInput) error {
	if len(in.CurrentMetrics) == 0 {
		return invalidParam("CurrentMetrics is required")
	}
	if len(in.CurrentMetrics) > len(currentMetrics) {
		return invalidParam("CurrentMetrics has %d entries; routesim serves %d metrics", len(in.CurrentMetrics), len(currentMetrics))
	}
	for i, m := range in.CurrentMetrics {
		if m.Name == nil {
			return invalidParam("CurrentMetrics[%d].Name is required", i)
		}
		def, ok := currentMetrics[*m.Name]
		if !ok {
			return invalidParam("CurrentMetrics[%d].Name: %q is not supported by routesim", i, *m.Name)
		}
		if m.Unit != nil && *m.Unit != def.unit {
			return invalidParam("CurrentMetrics[%d].Unit: %s is measured in %s, not %q", i, *m.Name, def.unit, *m.Unit)
		}
		req.metrics = append(req.metrics, metricName{Name: *m.Name, Unit: def.unit})
	}
	return nil
}

func (req *metricsRequest) page(in *getCurrentMetricDataInput) error {
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > maxListLen {
			return invalidParam("MaxResults %d is out of range 1..%d", *in.MaxResults, maxListLen)
		}
		req.limit = int(*in.MaxResults)
	}
	if in.NextToken != nil {
		n, err := strconv.Atoi(*in.NextToken)
		if err != nil || n < 0 {
			return invalidParam("NextToken %q is not one this service returned", *in.NextToken)
		}
		req.offset = n
	}
	return nil
}

// currentMetricData computes the groups of a request from the routing core.
func (h *Handler) currentMetricData(ctx context.Context, req *metricsRequest) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, ok := h.svc.Instance(req.inst)
	if !ok {
		return nil, notFound("instance %q not found", req.inst)
	}
	queues := req.queues
	if len(queues) == 0 {
		queues = in.QueueIDs()
	}
	qgroups := [][]string{queues}
	if req.byQueue {
		qgroups = qgroups[:0]
		for _, q := range queues {
			qgroups = append(qgroups, []string{q})
		}
	}
	cgroups := [][]contact.Channel{req.channels}
	if req.byChannel {
		cgroups = cgroups[:0]
		for _, ch := range req.channels {
			cgroups = append(cgroups, []contact.Channel{ch})
		}
	}
	var results []metricResult
	for _, qs := range qgroups {
		for _, chs := range cgroups {
			m, err := in.CombinedMetrics(qs, chs...)
			if err != nil {
				return nil, err
			}
			results = append(results, h.metricResult(req, qs, chs, &m))
		}
	}
	out := getCurrentMetricDataOutput{ApproximateTotalCount: int64(len(results)),
		DataSnapshotTime: epochPtr(h.svc.Clock().Now()), MetricResults: []metricResult{}}
	if req.offset < len(results) {
		end := min(req.offset+req.limit, len(results))
		out.MetricResults = results[req.offset:end]
		if end < len(results) {
			tok := strconv.Itoa(end)
			out.NextToken = &tok
		}
	}
	return out, nil
}

func (h *Handler) metricResult(req *metricsRequest, qs []string, chs []contact.Channel, m *routing.QueueMetrics) metricResult {
	r := metricResult{Collections: make([]metricData, 0, len(req.metrics))}
	if req.byQueue || req.byChannel {
		r.Dimensions = &dimensions{}
		if req.byQueue {
			r.Dimensions.Queue = &queueRef{Id: qs[0], Arn: h.arn(req.inst, "queue", qs[0])}
		}
		if req.byChannel {
			r.Dimensions.Channel = string(chs[0])
		}
	}
	for _, mn := range req.metrics {
		r.Collections = append(r.Collections, metricData{Metric: mn, Value: currentMetrics[mn.Name].value(m)})
	}
	return r
}

// getContactMetricsInput holds GetContactMetrics's body.
type getContactMetricsInput struct {
	InstanceId *string
	ContactId  *string
	Metrics    []struct{ Name *string }
}

type getContactMetricsOutput struct {
	Id            string                `json:"Id"`
	Arn           string                `json:"Arn"`
	MetricResults []contactMetricResult `json:"MetricResults"`
}

type contactMetricResult struct {
	Name  string `json:"Name"`
	Value struct {
		Number float64 `json:"Number"`
	} `json:"Value"`
}

func decodeGetContactMetrics(h *Handler, _ params, body []byte) (call, error) {
	var in getContactMetricsInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, err := requireID("InstanceId", in.InstanceId, maxInstanceID)
	if err != nil {
		return nil, err
	}
	id, err := requireID("ContactId", in.ContactId, maxContactID)
	if err != nil {
		return nil, err
	}
	if len(in.Metrics) == 0 {
		return nil, invalidParam("Metrics is required")
	}
	if len(in.Metrics) > maxListLen {
		return nil, invalidParam("Metrics has %d entries; the limit is %d", len(in.Metrics), maxListLen)
	}
	for i, m := range in.Metrics {
		if m.Name == nil || *m.Name != "POSITION_IN_QUEUE" {
			return nil, invalidParam("Metrics[%d].Name must be POSITION_IN_QUEUE, the one contact metric routesim serves", i)
		}
	}
	return func(ctx context.Context) (any, error) {
		out, err := h.svc.GetContactPosition(ctx, &routing.GetContactPositionInput{InstanceId: &inst, ContactId: &id})
		if err != nil {
			return nil, err
		}
		r := contactMetricResult{Name: "POSITION_IN_QUEUE"}
		r.Value.Number = float64(out.Position)
		return getContactMetricsOutput{Id: id, Arn: h.arn(inst, "contact", id),
			MetricResults: []contactMetricResult{r}}, nil
	}, nil
}
