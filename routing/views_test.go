package routing_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

func TestGetCurrentMetrics(t *testing.T) {
	p := conc(profile("p", entry("q1", voiceCh, 1, 0), entry("q1", chatCh, 1, 0)), 2)
	pv := profile("pv", entry("q1", voiceCh, 1, 0), entry("q2", voiceCh, 1, 5))
	h := newHarness(t, instance(queues("q1", "q2", "q3"), []routing.ProfileConfig{p, pv},
		agents("a1:p", "a2:p", "a3:pv", "a4:pv", "a5:pv")))
	h.run(
		avail("a1", "a2", "a3"),
		voice("v1", "q1"), chat("m1", "q1"), routes("v1>a1", "m1>a2"),
		done("v1", 60), // a1: after-contact work until 60 s
		at(10), voice("v2", "q1"), routes("v2>a3"),
		voice("v3", "q1", sec(500)), voice("v4", "q1", int64(1)),
		at(20), voice("v5", "q1"), chat("m2", "q1"), chat("m3", "q1"), voice("x1", "q2"),
		routes("m2>a2"), // a2 holds two chats
		at(30),
	)
	want := map[string]routing.QueueMetrics{
		// q1 waits v3, v4 (since 10 s; v3's +500 s adjustment is not seen), v5 (20 s) and m3
		// (chat, 20 s). Agents a1..a5 serve it: a1 in after-contact work, a2 and a3 on
		// contact, a4 and a5 offline.
		"q1": {QueueID: "q1", ContactsInQueue: 4, OldestContactAge: sec(20), AgentsOnline: 3,
			AgentsOnContact: 2, AgentsAfterContactWork: 1},
		// q2: x1 has waited 10 s, past pv's delay of 5 s, but a3 is busy and a4, a5 offline.
		"q2": {QueueID: "q2", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 1, AgentsOnContact: 1},
		"q3": {QueueID: "q3"},
	}
	wantVoice := want["q1"]
	wantVoice.ContactsInQueue = 3
	// Chat: only profile p (a1, a2) serves it.
	wantChat := routing.QueueMetrics{QueueID: "q1", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 2,
		AgentsOnContact: 1, AgentsAfterContactWork: 1}

	tests := []struct {
		name     string
		queues   []string
		channels []contact.Channel
		want     []routing.QueueMetrics
		code     string
	}{
		{"every queue", nil, nil, []routing.QueueMetrics{want["q1"], want["q2"], want["q3"]}, ""},
		{"in the order asked", []string{"q3", "q1"}, nil, []routing.QueueMetrics{want["q3"], want["q1"]}, ""},
		{"voice", []string{"q1"}, []contact.Channel{voiceCh}, []routing.QueueMetrics{wantVoice}, ""},
		{"chat", []string{"q1"}, []contact.Channel{chatCh}, []routing.QueueMetrics{wantChat}, ""},
		{"voice and chat", []string{"q1"}, []contact.Channel{voiceCh, chatCh}, []routing.QueueMetrics{want["q1"]}, ""},
		{"task: no agents", []string{"q1"}, []contact.Channel{contact.Task}, []routing.QueueMetrics{{QueueID: "q1"}}, ""},
		{"unknown queue", []string{"q1", "q9"}, nil, nil, "ResourceNotFoundException"},
		{"bad channel", []string{"q1"}, []contact.Channel{"SMS"}, nil, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := h.svc.GetCurrentMetrics(h.ctx, &routing.GetCurrentMetricsInput{InstanceId: h.id(),
				QueueIds: tt.queues, Channels: tt.channels})
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, out.Metrics, "metrics =\n%+v; want\n%+v", out.Metrics, tt.want)
		})
	}
	_, err := h.svc.GetCurrentMetrics(h.ctx, nil)
	assert.Error(t, err, "GetCurrentMetrics(nil) = nil error; want an error")
	_, err = h.svc.GetCurrentMetrics(h.ctx, &routing.GetCurrentMetricsInput{InstanceId: ptr("x")})
	assert.Error(t, err, "GetCurrentMetrics(unknown instance) = nil error; want an error")
}

func TestGetContactPosition(t *testing.T) {
	h := apiFixture(t)
	h.run(voice("x1", "q2"), at(11), voice("w4", "q1", int64(4)), chat("m2", "q1", int64(1)))
	for _, tt := range []struct {
		id   string
		want int
		code string
	}{
		// q1 voice: w4 (prio 4), w1, w2 (prio 5 by age), w3 (prio 3)... w3 has priority 3.
		{"w3", 1, ""}, {"w4", 2, ""}, {"w1", 3, ""}, {"w2", 4, ""},
		// q1 chat counts apart from voice; q2 apart from q1.
		{"m2", 1, ""}, {"m1", 2, ""}, {"x1", 1, ""},
		{"busy", 0, "ResourceConflictException"},
		{"gone", 0, "ResourceConflictException"},
		{"x", 0, "ResourceNotFoundException"},
		{"", 0, "InvalidParameterException"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			out, err := h.svc.GetContactPosition(h.ctx, &routing.GetContactPositionInput{InstanceId: h.id(), ContactId: ptr(tt.id)})
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err, "GetContactPosition(%s)", tt.id)
			assert.Equal(t, tt.want, out.Position, "GetContactPosition(%s) = %d; want %d", tt.id, out.Position, tt.want)
		})
	}
	_, err := h.svc.GetContactPosition(h.ctx, nil)
	assert.Error(t, err, "GetContactPosition(nil) = nil error; want an error")
}

// TestCombinedMetrics: metrics of several queues count each agent once; errors name the
// unknown queue or bad channel.
func TestCombinedMetrics(t *testing.T) {
	h := apiFixture(t) // a1 (on contact) and a2 (offline) serve q1 and q2
	h.run(voice("x1", "q2"), avail("a2"), routes("w3>a2"), at(20))
	for _, tt := range []struct {
		name   string
		queues []string
		chs    []contact.Channel
		want   routing.QueueMetrics
		code   string
	}{
		{"every queue", nil, nil, routing.QueueMetrics{ContactsInQueue: 4, OldestContactAge: sec(19), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"both queues, agents once", []string{"q2", "q1", "q2"}, nil, routing.QueueMetrics{ContactsInQueue: 4, OldestContactAge: sec(19), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"one queue", []string{"q2"}, nil, routing.QueueMetrics{QueueID: "q2", ContactsInQueue: 1, OldestContactAge: sec(10), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"chat", nil, []contact.Channel{chatCh}, routing.QueueMetrics{ContactsInQueue: 1, OldestContactAge: sec(17), AgentsOnline: 2, AgentsOnContact: 2}, ""},
		{"task", nil, []contact.Channel{contact.Task}, routing.QueueMetrics{}, ""},
		{"unknown queue", []string{"q1", "q9"}, nil, routing.QueueMetrics{}, "ResourceNotFoundException"},
		{"bad channel", nil, []contact.Channel{"SMS"}, routing.QueueMetrics{}, "InvalidParameterException"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.in.CombinedMetrics(tt.queues, tt.chs...)
			if tt.code != "" {
				checkAPIError(t, err, tt.code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, "CombinedMetrics = %+v; want %+v", got, tt.want)
		})
	}
}
