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
		{"duplicate security profile", inst(`, "securityProfiles": [{"id": "s", "name": "A"}, {"id": "s", "name": "B"}]`) + `}`, "instances[0].securityProfiles[1].id: duplicate"},
		{"security profile without name", inst(`, "securityProfiles": [{"id": "s"}]`) + `}`, "instances[0].securityProfiles[0].name"},
		{"custom status named Available", strings.Replace(inst("")+`}`, `"offline": "off"`, `"offline": "off", "custom": [{"id": "c", "name": "Available"}]`, 1), "instances[0].agentStatuses.custom[0].name: duplicate"},
		{"custom status with the offline ID", strings.Replace(inst("")+`}`, `"offline": "off"`, `"offline": "off", "custom": [{"id": "off", "name": "Lunch"}]`, 1), "instances[0].agentStatuses.custom[0].id: duplicate"},
		{"profile timer", strings.Replace(inst("")+`}`, `"priority": 1}]}`, `"priority": 1}], "agentAvailabilityTimer": "NEVER"}`, 1), "instances[0].routingProfiles[0].agentAvailabilityTimer"},
		{"profile outbound queue", strings.Replace(inst("")+`}`, `"priority": 1}]}`, `"priority": 1}], "defaultOutboundQueueId": "nope"}`, 1), "instances[0].routingProfiles[0].defaultOutboundQueueId"},
		{"profile route-any channel", strings.Replace(inst("")+`}`, `"priority": 1}]}`, `"priority": 1}], "routeAnyChannel": ["FAX"]}`, 1), "instances[0].routingProfiles[0].routeAnyChannel[0]"},
		{"attribute without values", strings.Replace(inst("")+`}`, `"agents"`, `"predefinedAttributes": [{"name": "L", "values": []}], "agents"`, 1), "instances[0].predefinedAttributes[0].values"},
		{"attribute aws: prefix", strings.Replace(inst("")+`}`, `"agents"`, `"predefinedAttributes": [{"name": "aws:L", "values": ["x"]}], "agents"`, 1), "instances[0].predefinedAttributes[0].name"},
		{"proficiency unknown attribute", critJSON(`"attributeName": "L"`, `"attributeName": "M"`), "instances[0].agents[0].proficiencies[0].attributeName"},
		{"proficiency unknown value", critJSON(`"attributeValue": "en"`, `"attributeValue": "de"`), "instances[0].agents[0].proficiencies[0].attributeValue"},
		{"proficiency level 6", critJSON(`"level": 3`, `"level": 6`), "instances[0].agents[0].proficiencies[0].level"},
		{"proficiency level 2.5", critJSON(`"level": 3`, `"level": 2.5`), "instances[0].agents[0].proficiencies[0].level"},
		{"proficiency level as string", critJSON(`"level": 3`, `"level": "3"`), "level"},
		{"flow criteria unknown value", critJSON(`"Value": "en"`, `"Value": "de"`), "instances[0].flows[0].routingCriteria.Steps[0].Expression.AttributeCondition.Value"},
		{"flow criteria level 0", critJSON(`"ProficiencyLevel": 2`, `"ProficiencyLevel": 0`), "instances[0].flows[0].routingCriteria.Steps[0].Expression.AttributeCondition.ProficiencyLevel"},
		{"flow criteria unknown agent", critJSON(`"AgentIds": ["a"]`, `"AgentIds": ["b"]`), "instances[0].flows[0].routingCriteria.Steps[1].Expression.OrExpression[1].AttributeCondition.MatchCriteria.AgentsCriteria.AgentIds[0]"},
		{"flow criteria no steps", strings.Replace(inst("")+`}`, `{"id": "f", "queueId": "q"}`, `{"id": "f", "queueId": "q", "routingCriteria": {"Steps": []}}`, 1), "instances[0].flows[0].routingCriteria.Steps: must hold at least one step"},
		{"flow criteria empty", strings.Replace(inst("")+`}`, `{"id": "f", "queueId": "q"}`, `{"id": "f", "queueId": "q", "routingCriteria": {}}`, 1), "instances[0].flows[0].routingCriteria.Steps: must hold at least one step"},
		{"flow criteria lower-case", critJSON(`"Steps"`, `"steps"`), `unknown field "steps"`},
		{"flow criteria malformed expression", critJSON(`"Expression": {"AttributeCondition"`, `"Expression": {"NotAttributeCondition": {"Name": "L", "Value": "en", "ProficiencyLevel": 1, "ComparisonOperator": "NumberGreaterOrEqualTo"}, "AttributeCondition"`), "instances[0].flows[0].routingCriteria.Steps[0].Expression: must set exactly one"},
		{"flow criteria negative expiry", critJSON(`"DurationInSeconds": 30`, `"DurationInSeconds": -1`), "instances[0].flows[0].routingCriteria.Steps[0].Expiry.DurationInSeconds"},
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

// critBase is a configuration with a predefined attribute, a proficiency and a flow's
// routing criteria; critJSON replaces one string in it.
const critBase = `{"instances": [{"id": "i", "queues": [{"id": "q"}],
	"routingProfiles": [{"id": "p", "queues": [{"queueId": "q", "channel": "TASK", "priority": 1}]}],
	"predefinedAttributes": [{"name": "L", "values": ["en", "fr"]}],
	"agents": [{"id": "a", "routingProfileId": "p", "proficiencies": [{"attributeName": "L", "attributeValue": "en", "level": 3}]}],
	"flows": [{"id": "f", "queueId": "q", "routingCriteria": {"Steps": [
		{"Expiry": {"DurationInSeconds": 30}, "Expression": {"AttributeCondition": {"Name": "L", "Value": "en", "ProficiencyLevel": 2, "ComparisonOperator": "NumberGreaterOrEqualTo"}}},
		{"Expression": {"OrExpression": [
			{"AttributeCondition": {"Name": "L", "Value": "fr", "Range": {"MinProficiencyLevel": 1, "MaxProficiencyLevel": 5}, "ComparisonOperator": "Range"}},
			{"AttributeCondition": {"MatchCriteria": {"AgentsCriteria": {"AgentIds": ["a"]}}, "ComparisonOperator": "Match"}}]}}]}}],
	"agentStatuses": {"available": "av", "offline": "off"}}]}`

func critJSON(old, new string) string {
	if !strings.Contains(critBase, old) {
		panic("critJSON: " + old + " is not in critBase")
	}
	return strings.Replace(critBase, old, new, 1)
}

// TestCriteriaConfigRoundTrips: predefined attributes, proficiencies and a flow's routing
// criteria load, print as they were read, and load again to the same configuration.
func TestCriteriaConfigRoundTrips(t *testing.T) {
	cfg, err := connectapi.LoadConfig(strings.NewReader(critBase))
	require.NoError(t, err, "LoadConfig(critBase)")
	ic := cfg.Instances[0]
	require.Len(t, ic.PredefinedAttributes, 1, "predefinedAttributes")
	require.Len(t, ic.Agents[0].Proficiencies, 1, "proficiencies")
	require.NotNil(t, ic.Flows[0].RoutingCriteria, "flow routingCriteria")
	require.Len(t, ic.Flows[0].RoutingCriteria.Steps, 2, "flow routingCriteria steps")
	js := cfg.JSON()
	for _, want := range []string{`"predefinedAttributes"`, `"proficiencies"`, `"attributeName": "L"`, `"level": 3`,
		`"routingCriteria"`, `"DurationInSeconds": 30`, `"ComparisonOperator": "Range"`, `"AgentIds": [`} {
		assert.Contains(t, string(js), want, "printed configuration lacks %s:\n%s", want, js)
	}
	back, err := connectapi.LoadConfig(bytes.NewReader(js))
	require.NoError(t, err, "LoadConfig(JSON()):\n%s", js)
	assert.Equal(t, cfg, back, "the configuration changed in a round trip")
	assert.Equal(t, string(js), string(back.JSON()), "the printed configuration changed in a round trip")
	_, err = connectapi.NewHandler(routing.NewService(), cfg)
	assert.NoError(t, err, "NewHandler(critBase)")
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
