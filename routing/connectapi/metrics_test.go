package connectapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// key is a result's dimensions; empty fields were not grouped by.
type key struct{ queue, channel string }

// metrics calls GetCurrentMetricData with the SDK and returns value by dimensions and name.
func metrics(t testing.TB, e *env, c *connect.Client, queues, groupings []string, names ...string) map[key]map[string]float64 {
	t.Helper()
	return metricsWith(t, e, c, &types.Filters{Queues: queues}, groupings, names...)
}

func metricsWith(t testing.TB, e *env, c *connect.Client, f *types.Filters, groupings []string, names ...string) map[key]map[string]float64 {
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
	assert.NotNil(t, out.DataSnapshotTime, "no DataSnapshotTime; want one")
	res := make(map[key]map[string]float64)
	for _, r := range out.MetricResults {
		var k key
		if r.Dimensions != nil {
			if r.Dimensions.Queue != nil {
				k.queue = aws.ToString(r.Dimensions.Queue.Id)
				want := "arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/queue/" + k.queue
				assert.Equal(t, want, aws.ToString(r.Dimensions.Queue.Arn), "queue Arn %q; want %q", aws.ToString(r.Dimensions.Queue.Arn), want)
			}
			k.channel = string(r.Dimensions.Channel)
		}
		require.Len(t, r.Collections, len(names), "%d collections; want %d", len(r.Collections), len(names))
		m := make(map[string]float64)
		for i, col := range r.Collections {
			assert.Equal(t, names[i], string(col.Metric.Name), "collection %d is %s; want %s", i, col.Metric.Name, names[i])
			want := types.UnitCount
			if names[i] == "OLDEST_CONTACT_AGE" {
				want = types.UnitSeconds
			}
			assert.Equal(t, want, col.Metric.Unit, "%s unit %s; want %s", names[i], col.Metric.Unit, want)
			m[names[i]] = aws.ToFloat64(col.Value)
		}
		res[k] = m
	}
	return res
}

func TestGetCurrentMetricData(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	e.startTask(c, flowQ1)
	e.startTask(c, flowQ2Age)
	_, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowQ2Age), ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("x")}})
	require.NoError(t, err)
	e.clock.Advance(42e9)
	require.NoError(t, e.setStatus(c, agent2, statusOff))
	tests := []struct {
		name      string
		filters   *types.Filters
		groupings []string
		want      map[key]float64 // CONTACTS_IN_QUEUE
	}{
		{"no grouping", &types.Filters{}, nil, map[key]float64{{}: 3}},
		{"by queue", &types.Filters{}, []string{"QUEUE"}, map[key]float64{{queue: q1}: 1, {queue: q2}: 2}},
		{"by channel", &types.Filters{Channels: []types.Channel{types.ChannelChat, types.ChannelTask}},
			[]string{"CHANNEL"}, map[key]float64{{channel: "CHAT"}: 1, {channel: "TASK"}: 2}},
		{"by queue and channel, one queue by ARN", &types.Filters{Queues: []string{
			"arn:aws:connect:us-east-1:123456789012:instance/" + inst + "/queue/" + q2}, Channels: []types.Channel{types.ChannelChat}},
			[]string{"QUEUE", "CHANNEL"}, map[key]float64{{queue: q2, channel: "CHAT"}: 1}},
		{"filter by channel", &types.Filters{Channels: []types.Channel{types.ChannelTask}}, nil, map[key]float64{{}: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := metricsWith(t, e, c, tt.filters, tt.groupings, "CONTACTS_IN_QUEUE", "OLDEST_CONTACT_AGE")
			require.Len(t, got, len(tt.want), "results %v; want %v", got, tt.want)
			// Connect's documented quirk: without groupings OLDEST_CONTACT_AGE comes in
			// milliseconds though its unit says SECONDS.
			oldest := 42.0
			if tt.groupings == nil {
				oldest = 42000
			}
			for k, n := range tt.want {
				assert.Equal(t, map[string]float64{"CONTACTS_IN_QUEUE": n, "OLDEST_CONTACT_AGE": oldest}, got[k],
					"%+v: %v; want %v in queue, oldest %v", k, got[k], n, oldest)
			}
		})
	}
	// An agent serving both queues counts once without a QUEUE grouping, once per queue with.
	require.NoError(t, e.setStatus(c, agent2, statusAv))
	all := metrics(t, e, c, nil, nil, "AGENTS_ONLINE")[key{}]["AGENTS_ONLINE"]
	byQ := metrics(t, e, c, nil, []string{"QUEUE"}, "AGENTS_ONLINE")
	assert.Equal(t, 1.0, all, "AGENTS_ONLINE overall %v; want 1", all)
	for _, q := range []string{q1, q2} {
		assert.Equal(t, 1.0, byQ[key{queue: q}]["AGENTS_ONLINE"], "AGENTS_ONLINE by queue %v; want 1 for %s", byQ, q)
	}
}

func TestGetCurrentMetricDataPages(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	in := &connect.GetCurrentMetricDataInput{InstanceId: aws.String(inst), Filters: &types.Filters{},
		Groupings: []types.Grouping{types.GroupingQueue}, MaxResults: aws.Int32(1),
		CurrentMetrics: []types.CurrentMetric{{Name: types.CurrentMetricNameContactsInQueue, Unit: types.UnitCount}}}
	var seen []string
	p := connect.NewGetCurrentMetricDataPaginator(c, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, r := range out.MetricResults {
			seen = append(seen, aws.ToString(r.Dimensions.Queue.Id))
		}
	}
	assert.Equal(t, []string{q1, q2}, seen, "pages gave queues %v; want [%s %s]", seen, q1, q2)
}

func TestGetCurrentMetricDataErrors(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	metric := func(n string, u types.Unit) []types.CurrentMetric {
		return []types.CurrentMetric{{Name: types.CurrentMetricName(n), Unit: u}}
	}
	tests := []struct {
		name string
		in   connect.GetCurrentMetricDataInput
		code string
	}{
		{"unknown queue", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{"nope"}},
			CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")}, "ResourceNotFoundException"},
		{"unknown metric", connect.GetCurrentMetricDataInput{Filters: &types.Filters{},
			CurrentMetrics: metric("CONTACTS_HANDLED", "")}, "InvalidParameterException"},
		{"wrong unit", connect.GetCurrentMetricDataInput{Filters: &types.Filters{},
			CurrentMetrics: metric("OLDEST_CONTACT_AGE", types.UnitCount)}, "InvalidParameterException"},
		{"unsupported grouping", connect.GetCurrentMetricDataInput{Filters: &types.Filters{},
			Groupings: []types.Grouping{types.GroupingRoutingProfile}, CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")}, "InvalidParameterException"},
		{"unsupported filter", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Queues: []string{q1}, AgentStatuses: []string{statusAv}},
			CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")}, "InvalidParameterException"},
		{"bad channel", connect.GetCurrentMetricDataInput{Filters: &types.Filters{Channels: []types.Channel{"FAX"}},
			CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")}, "InvalidParameterException"},
		{"no metrics", connect.GetCurrentMetricDataInput{Filters: &types.Filters{},
			CurrentMetrics: []types.CurrentMetric{}}, "InvalidParameterException"},
		{"bad page token", connect.GetCurrentMetricDataInput{Filters: &types.Filters{}, NextToken: aws.String("zz"),
			CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.InstanceId == nil {
				in.InstanceId = aws.String(inst)
			}
			_, err := c.GetCurrentMetricData(ctx, &in)
			wantCode(t, err, tt.code)
		})
	}
	_, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: aws.String("nope"),
		Filters: &types.Filters{}, CurrentMetrics: metric("CONTACTS_IN_QUEUE", "")})
	wantCode(t, err, "ResourceNotFoundException")
}
