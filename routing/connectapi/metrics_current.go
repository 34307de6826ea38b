package connectapi

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// GetCurrentMetricData's computation: the groups a validated request asks for (metrics.go),
// each counted by routing.Instance.CurrentMetrics, sorted and paged.

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
	for _, mn := range req.metrics {
		v, err := groupValue(in, req, g, m, mn.Name)
		if err != nil {
			return metricResult{}, 0, err
		}
		r.Collections = append(r.Collections, metricData{Metric: mn, Value: v})
	}
	// The sort metric need not be one of those asked for (AGENTS_ONLINE by default); a null
	// sorts as 0.
	var key float64
	if v, err := groupValue(in, req, g, m, req.sortBy); err != nil {
		return metricResult{}, 0, err
	} else if v != nil {
		key = *v
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
		if g.queue == "" || g.channel == "" { // only a sort key here: constraints checks requests
			return nil, nil
		}
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
