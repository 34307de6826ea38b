package connectapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

const agent3 = "agent-3"

// twoProfiles is testConfig plus profile p2 serving q2 on TASK, with agent-3.
func twoProfiles() connectapi.Config {
	cfg := testConfig()
	ic := &cfg.Instances[0]
	ic.RoutingProfiles = append(ic.RoutingProfiles, routing.ProfileConfig{ID: "p2",
		Queues: []routing.ProfileQueueConfig{{QueueID: q2, Channel: contact.Task, Priority: 1}}})
	ic.Agents = append(ic.Agents, routing.AgentConfig{ID: agent3, RoutingProfileID: "p2"})
	return cfg
}

type rpKey struct{ queue, profile string }

// current calls GetCurrentMetricData and returns values by (queue, profile) dimensions.
func current(t *testing.T, c *connect.Client, f *types.Filters, groupings []string, names ...string) map[rpKey]map[string]*float64 {
	t.Helper()
	in := &connect.GetCurrentMetricDataInput{InstanceId: aws.String(inst), Filters: f}
	for _, g := range groupings {
		in.Groupings = append(in.Groupings, types.Grouping(g))
	}
	for _, n := range names {
		in.CurrentMetrics = append(in.CurrentMetrics, types.CurrentMetric{Name: types.CurrentMetricName(n)})
	}
	out, err := c.GetCurrentMetricData(ctx, in)
	require.NoError(t, err, "GetCurrentMetricData")
	res := map[rpKey]map[string]*float64{}
	for _, r := range out.MetricResults {
		var k rpKey
		if d := r.Dimensions; d != nil {
			if d.Queue != nil {
				k.queue = aws.ToString(d.Queue.Id)
			}
			if d.RoutingProfile != nil {
				k.profile = aws.ToString(d.RoutingProfile.Id)
				assert.Contains(t, aws.ToString(d.RoutingProfile.Arn), "/routing-profile/"+k.profile, "routing profile Arn")
			}
		}
		m := map[string]*float64{}
		for _, col := range r.Collections {
			m[string(col.Metric.Name)] = col.Value
		}
		res[k] = m
	}
	return res
}

func TestGetCurrentMetricDataAgentsAndSlots(t *testing.T) {
	cfg := twoProfiles()
	cfg.Instances[0].AfterContactWorkSeconds = 30
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	first := e.startTask(c, flowQ1) // agent-1 takes it
	require.NoError(t, e.setStatus(c, agent2, statusAv))
	all := []string{"AGENTS_ONLINE", "AGENTS_STAFFED", "AGENTS_ON_CALL", "AGENTS_ON_CONTACT", "AGENTS_AVAILABLE",
		"AGENTS_AFTER_CONTACT_WORK", "AGENTS_NON_PRODUCTIVE", "AGENTS_ERROR", "SLOTS_ACTIVE", "SLOTS_AVAILABLE", "CONTACTS_SCHEDULED"}
	got := current(t, c, &types.Filters{}, nil, all...)
	// agent-1: one TASK slot active, no CHAT slot free (busy on TASK, not cross-channel);
	// agent-2: CHAT and TASK free; agent-3 offline.
	wantValues(t, got[rpKey{}], map[string]float64{"AGENTS_ONLINE": 2, "AGENTS_STAFFED": 2, "AGENTS_ON_CALL": 1,
		"AGENTS_ON_CONTACT": 1, "AGENTS_AVAILABLE": 1, "AGENTS_AFTER_CONTACT_WORK": 0, "AGENTS_NON_PRODUCTIVE": 0,
		"AGENTS_ERROR": 0, "SLOTS_ACTIVE": 1, "SLOTS_AVAILABLE": 2, "CONTACTS_SCHEDULED": 0})
	task := current(t, c, &types.Filters{Channels: []types.Channel{types.ChannelTask}}, nil, "SLOTS_AVAILABLE", "SLOTS_ACTIVE")
	wantValues(t, task[rpKey{}], map[string]float64{"SLOTS_AVAILABLE": 1, "SLOTS_ACTIVE": 1})

	// Stopped, the task holds agent-1's slot for 30 s of after-contact work.
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(first)})
	require.NoError(t, err)
	acw := current(t, c, &types.Filters{}, nil, "AGENTS_AFTER_CONTACT_WORK", "AGENTS_ON_CONTACT", "AGENTS_STAFFED", "SLOTS_ACTIVE", "SLOTS_AVAILABLE")
	wantValues(t, acw[rpKey{}], map[string]float64{"AGENTS_AFTER_CONTACT_WORK": 1, "AGENTS_ON_CONTACT": 0, "AGENTS_STAFFED": 2,
		"SLOTS_ACTIVE": 1, "SLOTS_AVAILABLE": 2})
	e.clock.Advance(30 * time.Second)
	e.startTask(c, flowQ1) // agent-2, idle longest, takes it

	require.NoError(t, e.setStatus(c, agent3, statusAv))
	e.startTask(c, flowQ2Age) // agent-3 (p2) or agent-2 takes it: either way one more on contact
	byRP := current(t, c, &types.Filters{RoutingProfiles: []string{"p1", "p2"}}, []string{"ROUTING_PROFILE"}, "AGENTS_ONLINE", "CONTACTS_IN_QUEUE")
	require.Len(t, byRP, 2, "results %v; want p1 and p2", byRP)
	wantValues(t, byRP[rpKey{profile: "p1"}], map[string]float64{"AGENTS_ONLINE": 2, "CONTACTS_IN_QUEUE": 0})
	wantValues(t, byRP[rpKey{profile: "p2"}], map[string]float64{"AGENTS_ONLINE": 1})
	onlyP2 := current(t, c, &types.Filters{RoutingProfiles: []string{"arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/routing-profile/p2"}}, nil, "AGENTS_ONLINE")
	wantValues(t, onlyP2[rpKey{}], map[string]float64{"AGENTS_ONLINE": 1})
	pairs := current(t, c, &types.Filters{Queues: []string{q1, q2}}, []string{"QUEUE", "ROUTING_PROFILE"}, "AGENTS_ONLINE")
	assert.Len(t, pairs, 3, "pairs %v; want (q1,p1), (q2,p1), (q2,p2): p2 does not serve q1", pairs)
	wantValues(t, pairs[rpKey{q2, "p2"}], map[string]float64{"AGENTS_ONLINE": 1})
	wantValues(t, pairs[rpKey{q1, "p1"}], map[string]float64{"AGENTS_ONLINE": 2})
}

// TestEstimatedWaitTime: agent-1 answers tasks of q1 at 0, 30 and 60 s; at 90 s the pace is
// (90 - 0)/3 = 30 s per answer, so the second of two waiting tasks waits 2 · 30 = 60 s more
// and a new one 3 · 30 = 90 s.
func TestEstimatedWaitTime(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	for i := range 3 {
		e.clock.Set(t0.Add(time.Duration(30*i) * time.Second))
		id := e.startTask(c, flowQ1)
		if i < 2 {
			e.clock.Set(t0.Add(time.Duration(30*i+30) * time.Second))
			_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
			require.NoError(t, err)
		}
	}
	w1, w2 := e.startTask(c, flowQ1), e.startTask(c, flowQ1)
	e.clock.Set(t0.Add(90 * time.Second))
	ewt := func(id string) *float64 {
		out, err := c.GetContactMetrics(ctx, &connect.GetContactMetricsInput{InstanceId: aws.String(instArn), ContactId: aws.String(id),
			Metrics: []types.ContactMetricInfo{{Name: types.ContactMetricNamePositionInQueue}, {Name: types.ContactMetricNameEstimatedWaitTime}}})
		require.NoError(t, err, "GetContactMetrics(%s)", id)
		require.Len(t, out.MetricResults, 2)
		v, ok := out.MetricResults[1].Value.(*types.ContactMetricValueMemberNumber)
		if !ok {
			return nil
		}
		return &v.Value
	}
	require.NotNil(t, ewt(w2), "no estimate for w2")
	assert.Equal(t, 60.0, *ewt(w2), "ESTIMATED_WAIT_TIME of the second waiting task")
	assert.Equal(t, 30.0, *ewt(w1), "ESTIMATED_WAIT_TIME of the first waiting task")
	assert.Equal(t, 30.0, *ewt(instArn + "/contact/" + w1), "ESTIMATED_WAIT_TIME of the first waiting task by its ARN")
	got := current(t, c, &types.Filters{Queues: []string{q1, q2}, Channels: []types.Channel{types.ChannelTask}},
		[]string{"QUEUE", "CHANNEL"}, "ESTIMATED_WAIT_TIME")
	wantValues(t, got[rpKey{queue: q1}], map[string]float64{"ESTIMATED_WAIT_TIME": 90})
	wantValues(t, got[rpKey{queue: q2}], map[string]float64{"ESTIMATED_WAIT_TIME": nan()}) // nothing answered: null
	// 17 minutes on, the last answer (60 s) is out of the window: no estimate.
	e.clock.Set(t0.Add(17 * time.Minute))
	assert.Nil(t, ewt(w1), "an estimate with no answer in the last 15 minutes")
}

func TestGetCurrentMetricDataConstraints(t *testing.T) {
	e := newEnv(t, twoProfiles())
	c := e.sdk()
	m := func(names ...string) []types.CurrentMetric {
		var ms []types.CurrentMetric
		for _, n := range names {
			ms = append(ms, types.CurrentMetric{Name: types.CurrentMetricName(n)})
		}
		return ms
	}
	g := func(gs ...types.Grouping) []types.Grouping { return gs }
	tests := []struct {
		name string
		in   connect.GetCurrentMetricDataInput
	}{
		{"queues and profiles", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}, RoutingProfiles: []string{"p1"}}, CurrentMetrics: m("AGENTS_ONLINE")}},
		{"profile grouping without filter", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, Groupings: g(types.GroupingRoutingProfile), CurrentMetrics: m("AGENTS_ONLINE")}},
		{"contacts by profile without a profile filter", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}},
			Groupings: g(types.GroupingRoutingProfile), CurrentMetrics: m("CONTACTS_IN_QUEUE")}},
		{"oldest by profile without a profile filter", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}},
			Groupings: g(types.GroupingRoutingProfile), CurrentMetrics: m("OLDEST_CONTACT_AGE")}},
		{"estimated wait without groupings", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}, Channels: []types.Channel{types.ChannelTask}},
			CurrentMetrics: m("ESTIMATED_WAIT_TIME")}},
		{"agent status filter without queues", connect.GetCurrentMetricDataInput{Filters: &types.Filters{AgentStatuses: []string{statusAv}}, CurrentMetrics: m("AGENTS_ONLINE")}},
		{"step expressions with two queues", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1, q2}, RoutingStepExpressions: []string{"x"}}, CurrentMetrics: m("AGENTS_ONLINE")}},
		{"agent status grouping not under queue", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}}, Groupings: g(types.GroupingAgentStatus), CurrentMetrics: m("AGENTS_ONLINE")}},
		{"three groupings", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}}, Groupings: g("QUEUE", "CHANNEL", "ROUTING_PROFILE"), CurrentMetrics: m("AGENTS_ONLINE")}},
		{"grouping twice", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, Groupings: g("QUEUE", "QUEUE"), CurrentMetrics: m("AGENTS_ONLINE")}},
		{"sort by slots", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, CurrentMetrics: m("SLOTS_ACTIVE"),
			SortCriteria: []types.CurrentMetricSortCriteria{{SortByMetric: "SLOTS_ACTIVE"}}}},
		{"two sort criteria", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, CurrentMetrics: m("AGENTS_ONLINE"),
			SortCriteria: []types.CurrentMetricSortCriteria{{SortByMetric: "AGENTS_ONLINE"}, {SortByMetric: "AGENTS_ONLINE"}}}},
		{"metric id", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, CurrentMetrics: []types.CurrentMetric{{MetricId: aws.String("arn:x")}}}},
		{"metric twice", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, CurrentMetrics: m("AGENTS_ONLINE", "AGENTS_ONLINE")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.InstanceId = aws.String(inst)
			_, err := c.GetCurrentMetricData(ctx, &in)
			wantCode(t, err, "InvalidParameterException")
		})
	}
	_, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: aws.String(inst),
		Filters: &types.Filters{RoutingProfiles: []string{"nope"}}, CurrentMetrics: m("AGENTS_ONLINE")})
	wantCode(t, err, "ResourceNotFoundException")
	// Sorted ascending by a metric.
	require.NoError(t, e.setStatus(c, agent3, statusAv))
	out, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: aws.String(inst),
		Filters: &types.Filters{RoutingProfiles: []string{"p2", "p1"}}, Groupings: g(types.GroupingRoutingProfile), CurrentMetrics: m("AGENTS_ONLINE"),
		SortCriteria: []types.CurrentMetricSortCriteria{{SortByMetric: "AGENTS_ONLINE", SortOrder: types.SortOrderAscending}}})
	require.NoError(t, err)
	require.Len(t, out.MetricResults, 2)
	assert.Equal(t, "p1", aws.ToString(out.MetricResults[0].Dimensions.RoutingProfile.Id), "ascending AGENTS_ONLINE: p1 (0) before p2 (1)")
}
