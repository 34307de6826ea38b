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

func TestDefaultConfigRoundTrips(t *testing.T) {
	cfg := connectapi.DefaultConfig()
	require.NoError(t, cfg.Validate())
	js := cfg.JSON()
	back, err := connectapi.LoadConfig(bytes.NewReader(js))
	require.NoError(t, err, "LoadConfig(DefaultConfig().JSON()):\n%s", js)
	again := back.JSON()
	assert.Equal(t, string(js), string(again), "round trip changed the configuration:\n%s\nwant\n%s", again, js)
	_, err = connectapi.NewHandler(routing.NewService(), cfg)
	assert.NoError(t, err, "NewHandler(DefaultConfig())")
}

func TestLoadConfigErrors(t *testing.T) {
	inst := func(extra string) string {
		return `{"instances": [{"id": "i", "queues": [{"id": "q"}],
			"routingProfiles": [{"id": "p", "queues": [{"queueId": "q", "channel": "TASK", "priority": 1}]}],
			"agents": [{"id": "a", "routingProfileId": "p"}],
			"flows": [{"id": "f", "queueId": "q"}],
			"agentStatuses": {"available": "av", "offline": "off"}` + extra + `}]`
	}
	tests := []struct {
		name, json, want string
	}{
		{"unknown top-level field", inst("") + `, "bogus": 1}`, `unknown field "bogus"`},
		{"unknown instance field", inst(`, "queueTimeout": 3`) + `}`, `unknown field "queueTimeout"`},
		{"misspelt flow field", strings.Replace(inst("")+`}`, `"queueId": "q"}]`, `"queueID": "q"}]`, 1), `unknown field "queueID"`},
		{"wrong type", inst("") + `, "faults": {"rate": "high"}}`, `faults.rate`},
		{"trailing data", inst("") + `} {}`, "after the JSON object"},
		{"malformed", `{"instances": [`, "truncated"},
		{"no instances", `{"instances": []}`, "instances: at least one"},
		{"flow to unknown queue", strings.Replace(inst("")+`}`, `"flows": [{"id": "f", "queueId": "q"}]`, `"flows": [{"id": "f", "queueId": "nope"}]`, 1), "instances[0].flows[0].queueId: unknown queue"},
		{"flow priority", strings.Replace(inst("")+`}`, `{"id": "f", "queueId": "q"}`, `{"id": "f", "queueId": "q", "priority": -1}`, 1), "instances[0].flows[0].priority"},
		{"duplicate flow", strings.Replace(inst("")+`}`, `{"id": "f", "queueId": "q"}`, `{"id": "f", "queueId": "q"}, {"id": "f", "queueId": "q"}`, 1), "instances[0].flows[1].id: duplicate"},
		{"no available status", strings.Replace(inst("")+`}`, `"available": "av"`, `"available": ""`, 1), "instances[0].agentStatuses.available"},
		{"same statuses", strings.Replace(inst("")+`}`, `"offline": "off"`, `"offline": "av"`, 1), "instances[0].agentStatuses"},
		{"routing error", strings.Replace(inst("")+`}`, `"priority": 1}`, `"priority": 100}`, 1), "instances[0].routingProfiles[0].queues[0].priority"},
		{"credential without secret", inst("") + `, "credentials": [{"accessKeyId": "k"}]}`, "credentials[0].secretAccessKey"},
		{"throttle unknown operation", inst("") + `, "throttle": {"operations": {"CreateInstance": {"rate": 1, "burst": 1}}}}`, `throttle.operations[CreateInstance]`},
		{"throttle burst", inst("") + `, "throttle": {"rate": 5}}`, "throttle.burst"},
		{"fault rate", inst("") + `, "faults": {"rate": 1.5}}`, "faults.rate"},
		{"region", inst("") + `, "region": "Mars 1"}`, "region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := connectapi.LoadConfig(strings.NewReader(tt.json))
			require.Error(t, err, "LoadConfig succeeded; want an error about %s", tt.want)
			assert.ErrorIs(t, err, connectapi.ErrInvalidConfig, "error %v does not wrap ErrInvalidConfig", err)
			assert.Contains(t, err.Error(), tt.want, "error %q; want it to name %q", err, tt.want)
		})
	}
	_, err := connectapi.LoadConfig(strings.NewReader(inst("") + `}`))
	assert.NoError(t, err, "the valid base configuration")
}

func TestNewHandlerAddsNothingOnError(t *testing.T) {
	svc := routing.NewService()
	cfg := testConfig()
	second := cfg.Instances[0]
	second.ID = "inst-2"
	second.Flows = append(second.Flows, connectapi.FlowConfig{ID: "bad", QueueID: "nope"})
	cfg.Instances = append(cfg.Instances, second)
	_, err := connectapi.NewHandler(svc, cfg)
	require.Error(t, err, "NewHandler accepted a flow into an unknown queue")
	_, ok := svc.Instance(inst)
	assert.False(t, ok, "a failed NewHandler left an instance in the service")
	_, err = connectapi.NewHandler(svc, testConfig())
	require.NoError(t, err)
	_, err = connectapi.NewHandler(svc, testConfig())
	assert.Error(t, err, "NewHandler accepted an instance ID already in the service")
}
