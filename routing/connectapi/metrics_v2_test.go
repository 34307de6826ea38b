package connectapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const instArn = "arn:aws:connect:us-east-1:123456789012:instance/" + inst

// v2Scenario drives the hand-computed scenario of the historical-metrics tests, with 10 s of
// after-contact work, on the manual clock from t0 (seconds after t0):
//
//	0    tasks A, B into q1; C into q2 with a routing-age adjustment of +60 s
//	10   agent-1 available: takes A (wait 10)
//	30   StopContact(A): talk 20 + ACW 10, handle 30
//	35   StopContact(C), still waiting: abandoned after 35 s (its age +60 never counts)
//	40   agent-1's ACW ends: takes B (wait 40)
//	100  StopContact(B): talk 60 + ACW 10, handle 70
//	200  agent-1 offline: online 190 s, on contact 10..110 = 100 s, idle 110..200 = 90 s
//	960  (16 min) task E into q1; 1020 StopContact(E): abandoned after 60 s
//
// and leaves the clock at t0 + 20 min.
func v2Scenario(t *testing.T) (*env, *connect.Client) {
	cfg := testConfig()
	cfg.Instances[0].AfterContactWorkSeconds = 10
	e := newEnv(t, cfg)
	c := e.sdk()
	at := func(s int) { e.clock.Set(t0.Add(time.Duration(s) * time.Second)) }
	stop := func(id string) {
		_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
		require.NoError(t, err, "StopContact(%s)", id)
	}
	a, b := e.startTask(c, flowQ1), e.startTask(c, flowQ1)
	cc := e.startTask(c, flowQ2Age)
	at(10)
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	at(30)
	stop(a)
	at(35)
	stop(cc)
	at(40) // a call at 40 s fires the ACW timer at its time (the manual clock jumps otherwise)
	require.Equal(t, agent1, aws.ToString(e.describe(c, b).AgentInfo.Id), "B not with agent-1 at 40 s")
	at(100)
	stop(b)
	at(200)
	require.NoError(t, e.setStatus(c, agent1, statusOff))
	at(960)
	ee := e.startTask(c, flowQ1)
	at(1020)
	stop(ee)
	at(1200)
	return e, c
}

type v2Key struct{ dims, start string }

// metricsV2 calls GetMetricDataV2 through every page and returns value by dimensions (as
// "K=V,...") and interval start (as "15:04"), then metric (with threshold as NAME/LTE/10).
func metricsV2(t *testing.T, c *connect.Client, in *connect.GetMetricDataV2Input) map[v2Key]map[string]*float64 {
	t.Helper()
	in.ResourceArn = aws.String(instArn)
	res := map[v2Key]map[string]*float64{}
	p := connect.NewGetMetricDataV2Paginator(c, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err, "GetMetricDataV2")
		for _, r := range out.MetricResults {
			var k v2Key
			for _, g := range in.Groupings {
				k.dims += g + "=" + r.Dimensions[g] + ","
			}
			require.NotNil(t, r.MetricInterval, "no MetricInterval")
			k.start = aws.ToTime(r.MetricInterval.StartTime).UTC().Format("15:04")
			m := map[string]*float64{}
			for _, col := range r.Collections {
				n := aws.ToString(col.Metric.Name)
				if len(col.Metric.Threshold) > 0 {
					n += fmt.Sprintf("/%s/%v", aws.ToString(col.Metric.Threshold[0].Comparison), aws.ToFloat64(col.Metric.Threshold[0].ThresholdValue))
				}
				m[n] = col.Value
			}
			res[k] = m
		}
	}
	return res
}

func v2In(start, end time.Duration, period types.IntervalPeriod, filters []types.FilterV2, groupings []string, metrics ...types.MetricV2) *connect.GetMetricDataV2Input {
	in := &connect.GetMetricDataV2Input{StartTime: aws.Time(t0.Add(start)), EndTime: aws.Time(t0.Add(end)),
		Filters: filters, Groupings: groupings, Metrics: metrics}
	if period != "" {
		in.Interval = &types.IntervalDetails{IntervalPeriod: period}
	}
	return in
}

func named(names ...string) []types.MetricV2 {
	var ms []types.MetricV2
	for _, n := range names {
		ms = append(ms, types.MetricV2{Name: aws.String(n)})
	}
	return ms
}

func sl(cmp string, v float64) types.MetricV2 {
	return types.MetricV2{Name: aws.String("SERVICE_LEVEL"), Threshold: []types.ThresholdV2{{Comparison: aws.String(cmp), ThresholdValue: aws.Float64(v)}}}
}

var queuesFilter = []types.FilterV2{{FilterKey: aws.String("QUEUE"), FilterValues: []string{q1, q2}}}

// want compares a result's values; a NaN in want means null.
func wantValues(t *testing.T, got map[string]*float64, want map[string]float64) {
	t.Helper()
	for n, w := range want {
		v, ok := got[n]
		require.True(t, ok, "%s missing from %v", n, got)
		if w != w {
			assert.Nil(t, v, "%s = %v; want null", n, v)
			continue
		}
		require.NotNil(t, v, "%s is null; want %v", n, w)
		assert.InDelta(t, w, *v, 1e-9, "%s = %v; want %v", n, *v, w)
	}
}

func TestGetMetricDataV2HandComputed(t *testing.T) {
	_, c := v2Scenario(t)
	in40 := types.MetricV2{Name: aws.String("SUM_CONTACTS_ANSWERED_IN_X"), Threshold: []types.ThresholdV2{{Comparison: aws.String("LT"), ThresholdValue: aws.Float64(41)}}}
	ms := append(named("CONTACTS_QUEUED", "CONTACTS_HANDLED", "CONTACTS_ABANDONED", "ABANDONMENT_RATE",
		"AVG_QUEUE_ANSWER_TIME", "MAX_QUEUED_TIME", "AVG_HANDLE_TIME", "AVG_AFTER_CONTACT_WORK_TIME", "AVG_ABANDON_TIME",
		"SUM_HANDLE_TIME", "SUM_AFTER_CONTACT_WORK_TIME"), sl("LT", 10), sl("LTE", 10), sl("LTE", 40), in40)
	got := metricsV2(t, c, v2In(0, 5*time.Minute, "", queuesFilter, nil, ms...))
	require.Len(t, got, 1, "results %v; want one (TOTAL)", got)
	wantValues(t, got[v2Key{start: "09:00"}], map[string]float64{
		"CONTACTS_QUEUED": 3, "CONTACTS_HANDLED": 2, "CONTACTS_ABANDONED": 1, "ABANDONMENT_RATE": 100.0 / 3,
		"AVG_QUEUE_ANSWER_TIME": (10 + 40) / 2.0, "MAX_QUEUED_TIME": 40, "AVG_HANDLE_TIME": (30 + 70) / 2.0,
		"AVG_AFTER_CONTACT_WORK_TIME": 10, "AVG_ABANDON_TIME": 35,
		// A waited exactly 10 s: not < 10, but <= 10; B's 40 s is within 40.
		"SERVICE_LEVEL/LT/10": 0, "SERVICE_LEVEL/LTE/10": 100.0 / 3, "SERVICE_LEVEL/LTE/40": 200.0 / 3,
		"SUM_HANDLE_TIME": 30 + 70, "SUM_AFTER_CONTACT_WORK_TIME": 20, "SUM_CONTACTS_ANSWERED_IN_X/LT/41": 2,
	})

	byChannel := metricsV2(t, c, v2In(0, 5*time.Minute, "", queuesFilter, []string{"CHANNEL"}, named("CONTACTS_QUEUED")...))
	require.Len(t, byChannel, 1, "results %v; want TASK only", byChannel)
	wantValues(t, byChannel[v2Key{dims: "CHANNEL=TASK,", start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": 3})
	chat := metricsV2(t, c, v2In(0, 5*time.Minute, "", append(queuesFilter, types.FilterV2{FilterKey: aws.String("CHANNEL"),
		FilterValues: []string{"CHAT"}}), nil, named("CONTACTS_QUEUED")...))
	assert.Empty(t, chat, "CHAT results %v; want none", chat)
	// By profile: the abandoned contact had no agent, so no profile.
	rpF := []types.FilterV2{{FilterKey: aws.String("ROUTING_PROFILE"), FilterValues: []string{"p1"}}}
	byRP := metricsV2(t, c, v2In(0, 5*time.Minute, "", rpF, []string{"ROUTING_PROFILE", "QUEUE"}, named("CONTACTS_QUEUED", "CONTACTS_HANDLED")...))
	require.Len(t, byRP, 1, "results %v; want p1 with q1", byRP)
	wantValues(t, byRP[v2Key{dims: "ROUTING_PROFILE=p1,QUEUE=q1,", start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": 2, "CONTACTS_HANDLED": 2})

	byQueue := metricsV2(t, c, v2In(0, 5*time.Minute, "", queuesFilter, []string{"QUEUE"},
		named("CONTACTS_QUEUED", "CONTACTS_ABANDONED", "AVG_QUEUE_ANSWER_TIME")...))
	require.Len(t, byQueue, 2, "results %v; want q1 and q2", byQueue)
	wantValues(t, byQueue[v2Key{dims: "QUEUE=q1,", start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": 2, "CONTACTS_ABANDONED": 0, "AVG_QUEUE_ANSWER_TIME": 25})
	// q2's one contact was abandoned: no answer time (null, as Connect for a division by 0).
	wantValues(t, byQueue[v2Key{dims: "QUEUE=q2,", start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": 1, "CONTACTS_ABANDONED": 1, "AVG_QUEUE_ANSWER_TIME": nan()})

	agentF := []types.FilterV2{{FilterKey: aws.String("AGENT"), FilterValues: []string{agent1, agent2}}}
	occ := metricsV2(t, c, v2In(0, 20*time.Minute, "", agentF, []string{"AGENT"},
		named("AGENT_OCCUPANCY", "SUM_CONTACT_TIME_AGENT", "SUM_IDLE_TIME_AGENT", "SUM_ONLINE_TIME_AGENT")...))
	require.Len(t, occ, 1, "results %v; want agent-1 only (agent-2 never online)", occ)
	wantValues(t, occ[v2Key{dims: "AGENT=agent-1,", start: "09:00"}], map[string]float64{
		"AGENT_OCCUPANCY": 100.0 * 100 / 190, "SUM_CONTACT_TIME_AGENT": 100, "SUM_IDLE_TIME_AGENT": 90, "SUM_ONLINE_TIME_AGENT": 190})

	// Grouped by AGENT, contacts no agent took have no AGENT dimension and are left out.
	byAgent := metricsV2(t, c, v2In(0, 20*time.Minute, "", queuesFilter, []string{"AGENT"}, named("CONTACTS_HANDLED", "AVG_HANDLE_TIME")...))
	wantValues(t, byAgent[v2Key{dims: "AGENT=agent-1,", start: "09:00"}], map[string]float64{"CONTACTS_HANDLED": 2, "AVG_HANDLE_TIME": 50})
	require.Len(t, byAgent, 1, "results %v; want agent-1 only", byAgent)
}

func nan() float64 { z := 0.0; return z / z }

func TestGetMetricDataV2Intervals(t *testing.T) {
	_, c := v2Scenario(t)
	tests := []struct {
		name   string
		period types.IntervalPeriod
		tz     string
		want   map[string]float64 // CONTACTS_QUEUED by interval start (UTC)
	}{
		{"total", "", "", map[string]float64{"09:00": 4}},
		{"fifteen minutes", types.IntervalPeriodFifteenMin, "", map[string]float64{"09:00": 3, "09:15": 1}},
		{"thirty minutes", types.IntervalPeriodThirtyMin, "", map[string]float64{"09:00": 4}},
		// Kathmandu is UTC+5:45: its hours start at :15 UTC, so 09:00-09:15 UTC lies in the
		// hour from 08:15 (clipped to StartTime 09:00) and E in the one from 09:15.
		{"hour in a +5:45 zone", types.IntervalPeriodHour, "Asia/Kathmandu", map[string]float64{"09:00": 3, "09:15": 1}},
		{"day", types.IntervalPeriodDay, "UTC", map[string]float64{"09:00": 4}},
		{"week", types.IntervalPeriodWeek, "", map[string]float64{"09:00": 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := v2In(0, 20*time.Minute, tt.period, queuesFilter, nil, named("CONTACTS_QUEUED")...)
			if tt.tz != "" {
				in.Interval.TimeZone = aws.String(tt.tz)
			}
			got := metricsV2(t, c, in)
			require.Len(t, got, len(tt.want), "results %v; want %v", got, tt.want)
			for start, n := range tt.want {
				wantValues(t, got[v2Key{start: start}], map[string]float64{"CONTACTS_QUEUED": n})
			}
		})
	}
	// Pages of one result each, in dimension order.
	in := v2In(0, 20*time.Minute, types.IntervalPeriodFifteenMin, queuesFilter, []string{"QUEUE"}, named("CONTACTS_QUEUED")...)
	in.MaxResults = aws.Int32(1)
	in.ResourceArn = aws.String(instArn)
	var pages int
	for p := connect.NewGetMetricDataV2Paginator(c, in); p.HasMorePages(); pages++ {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		require.Len(t, out.MetricResults, 1, "page %d: %d results; want 1", pages, len(out.MetricResults))
	}
	assert.Equal(t, 3, pages, "%d pages; want 3 (q1 09:00, q1 09:15, q2 09:00)", pages)
	// An empty range has no result.
	none := metricsV2(t, c, v2In(30*time.Second-time.Hour, -time.Minute, "", queuesFilter, nil, named("CONTACTS_QUEUED")...))
	assert.Empty(t, none, "results %v before any contact; want none", none)
}

// TestGetMetricDataV2WaitsIgnoreAgeAdjustments: a contact aged +60 s at the start and +600 s
// by UpdateContactRoutingData, answered after 5 s, reports a wait of 5 s.
func TestGetMetricDataV2WaitsIgnoreAgeAdjustments(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ2Age)
	require.NoError(t, e.update(c, id, nil, aws.Int32(600)))
	e.clock.Advance(5 * time.Second)
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
	require.NoError(t, err)
	e.clock.Advance(time.Minute)
	got := metricsV2(t, c, v2In(0, time.Minute, "", queuesFilter, nil, append(named("AVG_QUEUE_ANSWER_TIME", "MAX_QUEUED_TIME"), sl("LT", 6))...))
	wantValues(t, got[v2Key{start: "09:00"}], map[string]float64{"AVG_QUEUE_ANSWER_TIME": 5, "MAX_QUEUED_TIME": 5, "SERVICE_LEVEL/LT/6": 100})
}

func TestGetMetricDataV2Errors(t *testing.T) {
	e, c := v2Scenario(t)
	f := func(key string, vals ...string) types.FilterV2 {
		return types.FilterV2{FilterKey: aws.String(key), FilterValues: vals}
	}
	th := func(name, cmp string, v float64) types.MetricV2 {
		return types.MetricV2{Name: aws.String(name), Threshold: []types.ThresholdV2{{Comparison: aws.String(cmp), ThresholdValue: aws.Float64(v)}}}
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("q%d", i)
	}
	var levels []types.MetricV2
	for i := range 21 {
		levels = append(levels, sl("LT", float64(i+1)))
	}
	qf := []types.FilterV2{f("QUEUE", q1)}
	tests := []struct {
		name string
		in   *connect.GetMetricDataV2Input
		code string
	}{
		{"no resource filter", v2In(0, time.Minute, "", []types.FilterV2{f("CHANNEL", "TASK")}, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"unsupported filter key", v2In(0, time.Minute, "", []types.FilterV2{f("CAMPAIGN", "x")}, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"six filter keys", v2In(0, time.Minute, "", []types.FilterV2{f("QUEUE", q1), f("AGENT", agent1), f("ROUTING_PROFILE", "p1"),
			f("CHANNEL", "TASK"), f("QUEUE", q2), f("AGENT", agent2)}, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"101 filter values", v2In(0, time.Minute, "", []types.FilterV2{f("QUEUE", many...)}, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"bad channel", v2In(0, time.Minute, "", []types.FilterV2{f("QUEUE", q1), f("CHANNEL", "FAX")}, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"unsupported grouping", v2In(0, time.Minute, "", qf, []string{"CAMPAIGN"}, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"metric not computed", v2In(0, time.Minute, "", qf, nil, named("CONTACTS_QUEUED", "AGENT_ANSWER_RATE")...), "InvalidParameterException"},
		{"service level without threshold", v2In(0, time.Minute, "", qf, nil, named("SERVICE_LEVEL")...), "InvalidParameterException"},
		{"threshold 0", v2In(0, time.Minute, "", qf, nil, sl("LT", 0)), "InvalidParameterException"},
		{"threshold 604801", v2In(0, time.Minute, "", qf, nil, sl("LT", 604801)), "InvalidParameterException"},
		{"threshold not whole", v2In(0, time.Minute, "", qf, nil, sl("LT", 1.5)), "InvalidParameterException"},
		{"comparison GT", v2In(0, time.Minute, "", qf, nil, sl("GT", 20)), "InvalidParameterException"},
		{"threshold on a count", v2In(0, time.Minute, "", qf, nil, th("CONTACTS_QUEUED", "LT", 20)), "InvalidParameterException"},
		{"21 service levels", v2In(0, time.Minute, "", qf, nil, levels...), "InvalidParameterException"},
		{"occupancy grouped by queue", v2In(0, time.Minute, "", []types.FilterV2{f("AGENT", agent1)}, []string{"QUEUE"}, named("AGENT_OCCUPANCY")...), "InvalidParameterException"},
		{"occupancy filtered by queue", v2In(0, time.Minute, "", qf, nil, named("AGENT_OCCUPANCY")...), "InvalidParameterException"},
		{"answer time grouped by agent", v2In(0, time.Minute, "", qf, []string{"AGENT"}, named("AVG_QUEUE_ANSWER_TIME")...), "InvalidParameterException"},
		{"start not before end", v2In(time.Minute, time.Minute, "", qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"end in the future", v2In(0, time.Hour, "", qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"start over 3 months ago", v2In(-100*24*time.Hour, -99*24*time.Hour, "DAY", qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"15 minutes over 3 days", v2In(-72*time.Hour, 0, types.IntervalPeriodFifteenMin, qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"total over 35 days", v2In(-35*24*time.Hour, 0, "", qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"bad period", v2In(0, time.Minute, "MONTH", qf, nil, named("CONTACTS_QUEUED")...), "InvalidParameterException"},
		{"metric filters", v2In(0, time.Minute, "", qf, nil, types.MetricV2{Name: aws.String("CONTACTS_QUEUED"),
			MetricFilters: []types.MetricFilterV2{{MetricFilterKey: aws.String("INITIATION_METHOD"), MetricFilterValues: []string{"API"}}}}), "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.ResourceArn = aws.String(instArn)
			_, err := c.GetMetricDataV2(ctx, tt.in)
			wantCode(t, err, tt.code)
		})
	}
	in := v2In(0, time.Minute, "", qf, nil, named("CONTACTS_QUEUED")...)
	in.Interval = &types.IntervalDetails{TimeZone: aws.String("Mars/Olympus")}
	in.ResourceArn = aws.String(instArn)
	_, err := c.GetMetricDataV2(ctx, in)
	wantCode(t, err, "InvalidParameterException")
	in.Interval = nil
	in.ResourceArn = aws.String("arn:aws:connect:us-east-1:123456789012:instance/nope")
	_, err = c.GetMetricDataV2(ctx, in)
	wantCode(t, err, "ResourceNotFoundException")
	in.ResourceArn = aws.String(inst)
	_, err = c.GetMetricDataV2(ctx, in)
	wantCode(t, err, "InvalidParameterException")
	e.verify()
}

// TestStopContactAbandons: a waiting contact stopped without a DisconnectReason, or with
// CUSTOMER_DISCONNECT, counts as abandoned; with another code it counts as queued only.
func TestStopContactAbandons(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	for _, code := range []*string{nil, aws.String("CUSTOMER_DISCONNECT"), aws.String("CONTACT_FLOW_DISCONNECT")} {
		id := e.startTask(c, flowQ1)
		in := &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)}
		if code != nil {
			in.DisconnectReason = &types.DisconnectReason{Code: code}
		}
		_, err := c.StopContact(ctx, in)
		require.NoError(t, err)
	}
	e.clock.Advance(time.Second)
	got := metricsV2(t, c, v2In(0, time.Second, "", queuesFilter, nil, named("CONTACTS_QUEUED", "CONTACTS_ABANDONED", "CONTACTS_HANDLED")...))
	wantValues(t, got[v2Key{start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": 3, "CONTACTS_ABANDONED": 2, "CONTACTS_HANDLED": 0})
}
