package connectapi

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// currentMetric is one GetCurrentMetricData metric served: its unit and how to read it.
type currentMetric struct {
	unit  string
	value func(m *routing.CurrentMetrics) float64
}

func count(f func(m *routing.CurrentMetrics) int) currentMetric {
	return currentMetric{"COUNT", func(m *routing.CurrentMetrics) float64 { return float64(f(m)) }}
}

// currentMetrics lists the GetCurrentMetricData metrics served: every one of the model's
// CurrentMetricName. OLDEST_CONTACT_AGE and ESTIMATED_WAIT_TIME are read elsewhere (see
// groupValue).
var currentMetrics = map[string]currentMetric{
	"CONTACTS_IN_QUEUE":         count(func(m *routing.CurrentMetrics) int { return m.ContactsInQueue }),
	"OLDEST_CONTACT_AGE":        {unit: "SECONDS"},
	"ESTIMATED_WAIT_TIME":       {unit: "SECONDS"},
	"AGENTS_AVAILABLE":          count(func(m *routing.CurrentMetrics) int { return m.AgentsAvailable }),
	"AGENTS_ONLINE":             count(func(m *routing.CurrentMetrics) int { return m.AgentsOnline }),
	"AGENTS_ON_CONTACT":         count(func(m *routing.CurrentMetrics) int { return m.AgentsOnContact }),
	"AGENTS_ON_CALL":            count(func(m *routing.CurrentMetrics) int { return m.AgentsOnContact }),
	"AGENTS_AFTER_CONTACT_WORK": count(func(m *routing.CurrentMetrics) int { return m.AgentsAfterContactWork }),
	"AGENTS_STAFFED":            count(func(m *routing.CurrentMetrics) int { return m.AgentsStaffed }),
	"AGENTS_NON_PRODUCTIVE":     count(func(m *routing.CurrentMetrics) int { return m.AgentsNonProductive }),
	"AGENTS_ERROR":              count(func(m *routing.CurrentMetrics) int { return m.AgentsError }),
	"SLOTS_ACTIVE":              count(func(m *routing.CurrentMetrics) int { return m.SlotsActive }),
	"SLOTS_AVAILABLE":           count(func(m *routing.CurrentMetrics) int { return m.SlotsAvailable }),
	// routesim starts every task at once (StartTaskContact refuses ScheduledTime), so none
	// is ever scheduled.
	"CONTACTS_SCHEDULED": count(func(*routing.CurrentMetrics) int { return 0 }),
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
	SortCriteria []struct {
		SortByMetric *string
		SortOrder    *string
	}
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
	Queue          *resourceRef `json:"Queue,omitempty"`
	Channel        string       `json:"Channel,omitempty"`
	RoutingProfile *resourceRef `json:"RoutingProfile,omitempty"`
}

type resourceRef struct {
	Id  string `json:"Id"`
	Arn string `json:"Arn"`
}

// metricData is one value; a nil Value is Connect's null ("the calculation cannot be
// performed": no estimate).
type metricData struct {
	Metric metricName `json:"Metric"`
	Value  *float64   `json:"Value,omitempty"`
}

type metricName struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// metricsRequest is a validated GetCurrentMetricData request.
type metricsRequest struct {
	inst      string
	queues    []string // empty: no queue filter
	profiles  []string // empty: no routing-profile filter
	channels  []contact.Channel
	groupings []string // QUEUE, CHANNEL, ROUTING_PROFILE, in the order asked
	metrics   []metricName
	sortBy    string
	sortAsc   bool
	offset    int
	limit     int
}

func (req *metricsRequest) groupedBy(g string) bool { return slices.Contains(req.groupings, g) }

func decodeGetCurrentMetricData(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in getCurrentMetricDataInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	req := metricsRequest{inst: instanceIDOf(inst), limit: maxListLen, sortBy: "AGENTS_ONLINE"}
	if err := firstErr(req.filters(&in), req.groupingList(in.Groupings), req.currentMetrics(&in),
		req.constraints(&in), req.sort(&in), req.page(&in)); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) { return h.currentMetricData(ctx, &req) }, nil
}

// instanceIDOf returns the instance ID of an InstanceIdOrArn: an ID, or an instance ARN.
func instanceIDOf(s string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndex(s, ":instance/"); i >= 0 && !strings.Contains(s[i+len(":instance/"):], "/") {
			return s[i+len(":instance/"):]
		}
	}
	return s
}

// resourceIDOf returns the ID of a filter value: an ID, or the ARN of a resource of kind
// ("queue", "routing-profile", "agent").
func resourceIDOf(s, kind string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndex(s, "/"+kind+"/"); i >= 0 {
			return s[i+len(kind)+2:]
		}
	}
	return s
}

// queueIDOf returns the queue ID of a Filters.Queues entry: an ID, or a queue ARN.
func queueIDOf(s string) string { return resourceIDOf(s, "queue") }

func (req *metricsRequest) filters(in *getCurrentMetricDataInput) error {
	f := in.Filters
	if f == nil {
		return invalidParam("Filters is required")
	}
	if len(f.Queues) > 0 && len(f.RoutingProfiles) > 0 {
		return invalidParam("Filters: Queues and RoutingProfiles may not be combined; filter by one of them")
	}
	for name, l := range map[string][]string{"AgentStatuses": f.AgentStatuses, "Subtypes": f.Subtypes,
		"ValidationTestTypes": f.ValidationTestTypes} {
		if len(l) > 0 && len(f.Queues) == 0 {
			return invalidParam("Filters.%s needs Filters.Queues as the primary filter", name)
		}
	}
	if len(f.RoutingStepExpressions) > 0 && len(f.Queues) != 1 {
		return invalidParam("Filters.RoutingStepExpressions needs exactly one queue in Filters.Queues; got %d", len(f.Queues))
	}
	for name, l := range map[string][]string{"RoutingStepExpressions": f.RoutingStepExpressions,
		"AgentStatuses": f.AgentStatuses, "Subtypes": f.Subtypes, "ValidationTestTypes": f.ValidationTestTypes} {
		if len(l) > 0 {
			return invalidParam("Filters.%s is not supported by routesim; filter by Queues or RoutingProfiles and Channels", name)
		}
	}
	var err error
	if req.queues, err = idList("Filters.Queues", f.Queues, "queue"); err != nil {
		return err
	}
	if req.profiles, err = idList("Filters.RoutingProfiles", f.RoutingProfiles, "routing-profile"); err != nil {
		return err
	}
	if req.channels, err = channelList("Filters.Channels", f.Channels); err != nil {
		return err
	}
	return nil
}

// idList checks a filter's list of resource IDs or ARNs and returns the IDs, without repeats.
func idList(field string, l []string, kind string) ([]string, error) {
	if len(l) > maxListLen {
		return nil, invalidParam("%s has %d entries; the limit is %d", field, len(l), maxListLen)
	}
	var ids []string
	for i, v := range l {
		id := resourceIDOf(v, kind)
		if id == "" {
			return nil, invalidParam("%s[%d] is empty", field, i)
		}
		if err := checkLen(field+" entry", v, maxFlowID); err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// channelList parses a list of channels, without repeats; all four when empty.
func channelList(field string, l []string) ([]contact.Channel, error) {
	if len(l) > len(contact.Channels) {
		return nil, invalidParam("%s has %d entries; there are %d channels", field, len(l), len(contact.Channels))
	}
	var chs []contact.Channel
	for _, s := range l {
		ch, err := contact.ParseChannel(s)
		if err != nil {
			return nil, invalidParam("%s: %q is not VOICE, CHAT, TASK or EMAIL", field, s)
		}
		if !slices.Contains(chs, ch) {
			chs = append(chs, ch)
		}
	}
	if len(chs) == 0 {
		chs = contact.Channels[:]
	}
	return chs, nil
}

func (req *metricsRequest) groupingList(gs []string) error {
	if len(gs) > 2 {
		return invalidParam("Groupings has %d entries; the limit is 2", len(gs))
	}
	for i, g := range gs {
		switch g {
		case "QUEUE", "CHANNEL", "ROUTING_PROFILE":
		case "AGENT_STATUS", "SUBTYPE", "VALIDATION_TEST_TYPE":
			if i == 0 || gs[0] != "QUEUE" {
				return invalidParam("Groupings: %s needs QUEUE as the primary grouping and a Queues filter", g)
			}
			return invalidParam("Groupings: %s is not supported by routesim; use QUEUE, CHANNEL and ROUTING_PROFILE", g)
		case "ROUTING_STEP_EXPRESSION":
			return invalidParam("Groupings: %s is not supported by routesim (it needs a RoutingStepExpressions filter, which routesim does not serve)", g)
		default:
			return invalidParam("Groupings: %q is not QUEUE, CHANNEL, ROUTING_PROFILE, ROUTING_STEP_EXPRESSION, AGENT_STATUS, SUBTYPE or VALIDATION_TEST_TYPE", g)
		}
		if slices.Contains(req.groupings, g) {
			return invalidParam("Groupings lists %s twice", g)
		}
		req.groupings = append(req.groupings, g)
	}
	return nil
}

func (req *metricsRequest) currentMetrics(in *getCurrentMetricDataInput) error {
	if len(in.CurrentMetrics) == 0 {
		return invalidParam("CurrentMetrics is required")
	}
	if len(in.CurrentMetrics) > len(currentMetrics) {
		return invalidParam("CurrentMetrics has %d entries; there are %d real-time metrics", len(in.CurrentMetrics), len(currentMetrics))
	}
	for i, m := range in.CurrentMetrics {
		if m.MetricId != nil {
			return invalidParam("CurrentMetrics[%d].MetricId %q: routesim has no custom metrics; name the metric with Name", i, *m.MetricId)
		}
		if m.Name == nil {
			return invalidParam("CurrentMetrics[%d].Name is required", i)
		}
		def, ok := currentMetrics[*m.Name]
		if !ok {
			return invalidParam("CurrentMetrics[%d].Name: %q is not a real-time metric of GetCurrentMetricData", i, *m.Name)
		}
		if m.Unit != nil && *m.Unit != def.unit {
			return invalidParam("CurrentMetrics[%d].Unit: %s is measured in %s, not %q", i, *m.Name, def.unit, *m.Unit)
		}
		if slices.ContainsFunc(req.metrics, func(n metricName) bool { return n.Name == *m.Name }) {
			return invalidParam("CurrentMetrics lists %s twice", *m.Name)
		}
		req.metrics = append(req.metrics, metricName{Name: *m.Name, Unit: def.unit})
	}
	return nil
}

// constraints checks what the API reference requires of filters, groupings and metrics
// together.
func (req *metricsRequest) constraints(in *getCurrentMetricDataInput) error {
	if req.groupedBy("ROUTING_PROFILE") {
		if len(req.queues) == 0 && len(req.profiles) == 0 {
			return invalidParam("Groupings: ROUTING_PROFILE needs a Queues or RoutingProfiles filter")
		}
		for _, m := range req.metrics {
			if len(req.profiles) == 0 && (m.Name == "CONTACTS_SCHEDULED" || m.Name == "CONTACTS_IN_QUEUE" || m.Name == "OLDEST_CONTACT_AGE") {
				return invalidParam("CurrentMetrics: %s grouped by ROUTING_PROFILE needs a RoutingProfiles filter", m.Name)
			}
		}
	}
	for _, m := range req.metrics {
		if m.Name != "ESTIMATED_WAIT_TIME" {
			continue
		}
		if len(req.queues) == 0 || len(in.Filters.Channels) == 0 || !slices.Equal(req.groupings, []string{"QUEUE", "CHANNEL"}) {
			return invalidParam("CurrentMetrics: ESTIMATED_WAIT_TIME needs Queues and Channels filters and Groupings [QUEUE, CHANNEL]")
		}
	}
	return nil
}

func (req *metricsRequest) sort(in *getCurrentMetricDataInput) error {
	if len(in.SortCriteria) > 1 {
		return invalidParam("SortCriteria has %d entries; the limit is 1", len(in.SortCriteria))
	}
	for _, s := range in.SortCriteria {
		if s.SortByMetric != nil {
			if _, ok := currentMetrics[*s.SortByMetric]; !ok {
				return invalidParam("SortCriteria.SortByMetric: %q is not a real-time metric", *s.SortByMetric)
			}
			if *s.SortByMetric == "SLOTS_ACTIVE" || *s.SortByMetric == "SLOTS_AVAILABLE" {
				return invalidParam("SortCriteria.SortByMetric: sorting on %s is not supported", *s.SortByMetric)
			}
			req.sortBy = *s.SortByMetric
		}
		if s.SortOrder != nil {
			switch *s.SortOrder {
			case "ASCENDING":
				req.sortAsc = true
			case "DESCENDING":
			default:
				return invalidParam("SortCriteria.SortOrder: %q is not ASCENDING or DESCENDING", *s.SortOrder)
			}
		}
	}
	return nil
}

func (req *metricsRequest) page(in *getCurrentMetricDataInput) error {
	var err error
	req.limit, req.offset, err = pageOf(in.MaxResults, in.NextToken, maxListLen)
	return err
}

// pageOf checks MaxResults (1..max, default max) and a NextToken this service returned (an
// offset).
func pageOf(maxResults *int32, next *string, maxN int) (limit, offset int, err error) {
	limit = maxN
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > maxN {
			return 0, 0, invalidParam("MaxResults %d is out of range 1..%d", *maxResults, maxN)
		}
		limit = int(*maxResults)
	}
	if next != nil {
		n, err := strconv.Atoi(*next)
		if err != nil || n < 0 {
			return 0, 0, invalidParam("NextToken %q is not one this service returned", *next)
		}
		offset = n
	}
	return limit, offset, nil
}

// group is one result of GetCurrentMetricData: a queue, channel and profile selection.
type group struct {
	queue, profile string               // "" when not grouped by it
	channel        contact.Channel      // "" when not grouped by channel
	q              routing.MetricsQuery // what to count
	rank           map[string]int       // place in each grouping's list
}

// currentMetricData computes the groups of a request from the routing core. The cost is
// O(g·m) for g groups of cost m each (see routing.Instance.CurrentMetrics).
func (h *Handler) currentMetricData(ctx context.Context, req *metricsRequest) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, ok := h.svc.Instance(req.inst)
	if !ok {
		return nil, notFound("instance %q not found", req.inst)
	}
	groups, err := req.groups(in)
	if err != nil {
		return nil, err
	}
	results := make([]metricResult, 0, len(groups))
	sortKey := make([]float64, 0, len(groups))
	for i := range groups {
		g := &groups[i]
		m, err := in.CurrentMetrics(g.q)
		if err != nil {
			return nil, err
		}
		r, key, err := h.metricResult(in, req, g, &m)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
		sortKey = append(sortKey, key)
	}
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if req.sortAsc {
			return cmpFloat(sortKey[a], sortKey[b])
		}
		return cmpFloat(sortKey[b], sortKey[a])
	})
	sorted := make([]metricResult, len(results))
	for i, j := range order {
		sorted[i] = results[j]
	}
	out := getCurrentMetricDataOutput{ApproximateTotalCount: int64(len(sorted)),
		DataSnapshotTime: epochPtr(h.svc.Clock().Now()), MetricResults: []metricResult{}}
	if req.offset < len(sorted) {
		end := min(req.offset+req.limit, len(sorted))
		out.MetricResults = sorted[req.offset:end]
		if end < len(sorted) {
			tok := strconv.Itoa(end)
			out.NextToken = &tok
		}
	}
	return out, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// groups lists the results a request asks for, in grouping order: one per queue (the
// filter's, those its profiles serve, or every queue), per profile (the filter's, or those
// serving the filter's queues) and per channel grouped by; one in all without groupings.
// A (queue, profile) pair appears only when the profile serves the queue.
func (req *metricsRequest) groups(in *routing.Instance) ([]group, error) {
	base := routing.MetricsQuery{QueueIDs: req.queues, ProfileIDs: req.profiles, Channels: req.channels}
	queues := []string{""}
	if req.groupedBy("QUEUE") {
		var err error
		if queues, err = in.ServedQueues(req.queues, req.profiles, req.channels); err != nil {
			return nil, err
		}
	}
	profiles := []string{""}
	if req.groupedBy("ROUTING_PROFILE") {
		var err error
		if profiles, err = in.ServingProfiles(req.queues, req.profiles, req.channels); err != nil {
			return nil, err
		}
	}
	channels := []contact.Channel{""}
	if req.groupedBy("CHANNEL") {
		channels = req.channels
	}
	var gs []group
	for qi, q := range queues {
		for pi, p := range profiles {
			for ci, ch := range channels {
				g := group{queue: q, profile: p, channel: ch, q: base,
					rank: map[string]int{"QUEUE": qi, "ROUTING_PROFILE": pi, "CHANNEL": ci}}
				if q != "" {
					g.q.QueueIDs = []string{q}
				}
				if p != "" {
					g.q.ProfileIDs = []string{p}
				}
				if ch != "" {
					g.q.Channels = []contact.Channel{ch}
				}
				gs = append(gs, g)
			}
		}
	}
	if req.groupedBy("QUEUE") && req.groupedBy("ROUTING_PROFILE") {
		gs = slices.DeleteFunc(gs, func(g group) bool {
			qs, _ := in.ServedQueues(nil, []string{g.profile}, req.channels)
			return !slices.Contains(qs, g.queue)
		})
	}
	// Order by the groupings, the primary first.
	slices.SortStableFunc(gs, func(a, b group) int {
		for _, dim := range req.groupings {
			if c := a.rank[dim] - b.rank[dim]; c != 0 {
				return c
			}
		}
		return 0
	})
	return gs, nil
}

// metricResult builds one result and returns the value it sorts by.
func (h *Handler) metricResult(in *routing.Instance, req *metricsRequest, g *group, m *routing.CurrentMetrics) (metricResult, float64, error) {
	r := metricResult{Collections: make([]metricData, 0, len(req.metrics))}
	if len(req.groupings) > 0 {
		r.Dimensions = &dimensions{Channel: string(g.channel)}
		if g.queue != "" {
			r.Dimensions.Queue = &resourceRef{Id: g.queue, Arn: h.arn(req.inst, "queue", g.queue)}
		}
		if g.profile != "" {
			r.Dimensions.RoutingProfile = &resourceRef{Id: g.profile, Arn: h.arn(req.inst, "routing-profile", g.profile)}
		}
	}
	var key float64
	if req.sortBy == "AGENTS_ONLINE" {
		key = float64(m.AgentsOnline)
	}
	for _, mn := range req.metrics {
		v, err := groupValue(in, req, g, m, mn.Name)
		if err != nil {
			return metricResult{}, 0, err
		}
		if mn.Name == req.sortBy && v != nil {
			key = *v
		}
		r.Collections = append(r.Collections, metricData{Metric: mn, Value: v})
	}
	return r, key, nil
}

// groupValue returns one metric of a group; nil when there is no value (no estimate).
func groupValue(in *routing.Instance, req *metricsRequest, g *group, m *routing.CurrentMetrics, name string) (*float64, error) {
	var v float64
	switch name {
	case "OLDEST_CONTACT_AGE":
		// Connect's documented quirk: without groupings the value is in milliseconds, though
		// the unit says SECONDS; with groupings it is in whole seconds. Either way it is the
		// real wait, never moved by routing-age adjustments.
		if len(req.groupings) == 0 {
			v = float64(m.OldestContactAge / time.Millisecond)
		} else {
			v = float64(m.OldestContactAge / time.Second)
		}
	case "ESTIMATED_WAIT_TIME":
		w, ok, err := in.LaneEstimatedWait(g.queue, g.channel)
		if err != nil || !ok {
			return nil, err
		}
		v = float64(w / time.Second)
	default:
		v = currentMetrics[name].value(m)
	}
	return &v, nil
}
