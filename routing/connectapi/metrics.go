package connectapi

import (
	"context"
	"slices"
	"strings"

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
	pg, err := newPage(in.MaxResults, in.NextToken, maxListLen)
	req.offset, req.limit = pg.offset, pg.size
	return err
}
