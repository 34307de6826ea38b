package connectapi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// queuesBase is a configuration with hours of operation and a queue DISABLED with a limit.
const queuesBase = `{"instances": [{"id": "i", "alias": "my-centre",
	"hoursOfOperations": [{"id": "h", "name": "Office", "timeZone": "Europe/Paris"}],
	"queues": [{"id": "q", "name": "Q", "description": "the queue", "hoursOfOperationId": "h",
		"status": "DISABLED", "maxContacts": 3, "tags": {"team": "a"}}, {"id": "r"}],
	"routingProfiles": [{"id": "p", "queues": [{"queueId": "q", "channel": "TASK", "priority": 1}]}],
	"agents": [{"id": "a", "routingProfileId": "p"}],
	"flows": [{"id": "f", "queueId": "q"}],
	"agentStatuses": {"available": "av", "offline": "off"}}]}`

// TestQueuesConfigRoundTrips: hours of operation, a queue's status, limit, description and
// tags load, print as they were read (-print-config), and serve DescribeQueue.
func TestQueuesConfigRoundTrips(t *testing.T) {
	cfg, err := connectapi.LoadConfig(strings.NewReader(queuesBase))
	require.NoError(t, err)
	ic := cfg.Instances[0]
	assert.Equal(t, "my-centre", ic.Alias)
	assert.Equal(t, []connectapi.HoursOfOperationConfig{{ID: "h", Name: "Office", TimeZone: "Europe/Paris"}}, ic.HoursOfOperations)
	q := ic.Queues[0]
	assert.Equal(t, routing.QueueDisabled, q.Status)
	require.NotNil(t, q.MaxContacts)
	assert.Equal(t, 3, *q.MaxContacts)
	js := cfg.JSON()
	back, err := connectapi.LoadConfig(bytes.NewReader(js))
	require.NoError(t, err, "LoadConfig(JSON()):\n%s", js)
	assert.Equal(t, cfg, back, "round trip changed the configuration")
	assert.Equal(t, string(js), string(back.JSON()))

	svc := routing.NewService()
	_, err = connectapi.NewHandler(svc, cfg)
	require.NoError(t, err)
	in, _ := svc.Instance("i")
	info, err := in.DescribeQueue("q")
	require.NoError(t, err)
	assert.Equal(t, routing.QueueInfo{ID: "q", Name: "Q", Description: "the queue", HoursOfOperationID: "h",
		Status: routing.QueueDisabled, MaxContacts: ptr(3), Tags: map[string]string{"team": "a"}}, info)
}

func TestQueuesConfigErrors(t *testing.T) {
	tests := []struct{ name, old, new, want string }{
		{"unknown hours", `"hoursOfOperationId": "h"`, `"hoursOfOperationId": "x"`, "instances[0].queues[0].hoursOfOperationId: unknown hours of operation"},
		{"hours without name", `"name": "Office"`, `"name": ""`, "instances[0].hoursOfOperations[0].name"},
		{"hours without id", `{"id": "h", "name"`, `{"id": "", "name"`, "instances[0].hoursOfOperations[0].id"},
		{"bad status", `"DISABLED"`, `"OFF"`, "instances[0].queues[0].status"},
		{"negative max", `"maxContacts": 3`, `"maxContacts": -1`, "instances[0].queues[0].maxContacts"},
		{"duplicate queue name", `{"id": "r"}`, `{"id": "r", "name": "Q"}`, "instances[0].queues[1].name: duplicate queue name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, queuesBase, tt.old)
			_, err := connectapi.LoadConfig(strings.NewReader(strings.Replace(queuesBase, tt.old, tt.new, 1)))
			require.Error(t, err)
			assert.ErrorIs(t, err, connectapi.ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
