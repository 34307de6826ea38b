package connectapi_test

import (
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// Names of the criteria configuration.
const (
	lang       = "Language"
	tier       = "Tier"
	flowFrench = "flow-q1-french"
)

// critConfig is testConfig with predefined attributes Language (English, French, Spanish)
// and Tier (Gold, Silver); agent-1 holds English 3, agent-2 French 5; flow-q1-french puts
// a contact in q1 with two steps: French >= 4 for 30 s, then English >= 1.
func critConfig() connectapi.Config {
	cfg := testConfig()
	ic := &cfg.Instances[0]
	ic.PredefinedAttributes = []routing.AttributeConfig{
		{Name: lang, Values: []string{"English", "French", "Spanish"}},
		{Name: tier, Values: []string{"Gold", "Silver"}},
	}
	ic.Agents[0].Proficiencies = []routing.ProficiencyConfig{{AttributeName: lang, AttributeValue: "English", Level: 3}}
	ic.Agents[1].Proficiencies = []routing.ProficiencyConfig{{AttributeName: lang, AttributeValue: "French", Level: 5}}
	ic.Flows = append(ic.Flows, connectapi.FlowConfig{ID: flowFrench, QueueID: q1, RoutingCriteria: &routing.RoutingCriteriaInput{
		Steps: []routing.RoutingCriteriaInputStep{
			{Expiry: &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: ptr[int32](30)},
				Expression: &routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: lang, Value: "French",
					ProficiencyLevel: ptr(4.0), ComparisonOperator: routing.OpGreaterOrEqual}}},
			{Expression: &routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: lang, Value: "English",
				ProficiencyLevel: ptr(1.0), ComparisonOperator: routing.OpGreaterOrEqual}}},
		}}})
	return cfg
}

// atLeast is the SDK expression "name = value at level >= level".
func atLeast(name, value string, level float32) *types.Expression {
	return &types.Expression{AttributeCondition: &types.AttributeCondition{Name: aws.String(name), Value: aws.String(value),
		ProficiencyLevel: aws.Float32(level), ComparisonOperator: aws.String("NumberGreaterOrEqualTo")}}
}

// never is step's duration for a step without an expiry.
const never = math.MinInt32

// step is an SDK criteria step expiring after seconds, or never.
func step(x *types.Expression, seconds int32) types.RoutingCriteriaInputStep {
	s := types.RoutingCriteriaInputStep{Expression: x}
	if seconds != never {
		s.Expiry = &types.RoutingCriteriaInputStepExpiry{DurationInSeconds: aws.Int32(seconds)}
	}
	return s
}

func (e *env) setCriteria(c *connect.Client, id string, steps ...types.RoutingCriteriaInputStep) error {
	_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), RoutingCriteria: &types.RoutingCriteriaInput{Steps: steps}})
	return err
}

// statuses returns the step statuses of a contact's criteria.
func statuses(ct *types.Contact) []types.RoutingCriteriaStepStatus {
	if ct.RoutingCriteria == nil {
		return nil
	}
	var out []types.RoutingCriteriaStepStatus
	for _, s := range ct.RoutingCriteria.Steps {
		out = append(out, s.Status)
	}
	return out
}

func agentOf(ct *types.Contact) string {
	if ct.AgentInfo == nil {
		return ""
	}
	return aws.ToString(ct.AgentInfo.Id)
}

// TestUpdateRoutingCriteriaExpiry: criteria set through the SDK restrict the contact to the
// agents matching the active step; when the step expires (manual clock), the next step
// lets agent-1 take it. DescribeContact shows the steps as the API model has them.
func TestUpdateRoutingCriteriaExpiry(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	e.clock.Advance(5 * time.Second)
	require.NoError(t, e.setCriteria(c, id, step(atLeast(lang, "French", 4), 30), step(atLeast(lang, "English", 1), never)))
	require.NoError(t, e.setStatus(c, agent1, statusAv)) // English 3: not French
	got := e.describe(c, id)
	assert.Empty(t, agentOf(got), "agent-1 took a contact whose active step asks for French")
	rc := got.RoutingCriteria
	require.NotNil(t, rc, "DescribeContact: no RoutingCriteria")
	act := aws.ToTime(rc.ActivationTimestamp)
	assert.True(t, act.Equal(t0.Add(5*time.Second)), "ActivationTimestamp %v; want %v (the call)", act, t0.Add(5*time.Second))
	assert.Equal(t, int32(0), aws.ToInt32(rc.Index), "Index %d; want 0 for the first criteria", aws.ToInt32(rc.Index))
	require.Len(t, rc.Steps, 2, "Steps %+v; want 2", rc.Steps)
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"ACTIVE", "INACTIVE"}, statuses(got), "statuses before expiry")
	s0 := rc.Steps[0]
	require.NotNil(t, s0.Expiry, "step 1 Expiry nil; want 30 s")
	assert.Equal(t, int32(30), aws.ToInt32(s0.Expiry.DurationInSeconds), "step 1 DurationInSeconds")
	exp := aws.ToTime(s0.Expiry.ExpiryTimestamp)
	assert.True(t, exp.Equal(t0.Add(35*time.Second)), "step 1 ExpiryTimestamp %v; want %v", exp, t0.Add(35*time.Second))
	assert.Nil(t, rc.Steps[1].Expiry, "step 2 Expiry %+v; want none (never expires)", rc.Steps[1].Expiry)
	cond := s0.Expression.AttributeCondition
	require.NotNil(t, cond, "step 1 Expression %+v; want its AttributeCondition back", s0.Expression)
	assert.Equal(t, lang, aws.ToString(cond.Name), "step 1 condition Name")
	assert.Equal(t, "French", aws.ToString(cond.Value), "step 1 condition Value")
	assert.Equal(t, float32(4), aws.ToFloat32(cond.ProficiencyLevel), "step 1 condition ProficiencyLevel")
	assert.Equal(t, "NumberGreaterOrEqualTo", aws.ToString(cond.ComparisonOperator), "step 1 condition ComparisonOperator")

	e.clock.Advance(29 * time.Second)
	assert.Empty(t, agentOf(e.describe(c, id)), "routed 1 s before step 1 expires")
	e.clock.Advance(time.Second)
	got = e.describe(c, id)
	assert.Equal(t, agent1, agentOf(got), "after step 1 expired: agent %q; want %s (English, step 2)", agentOf(got), agent1)
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"EXPIRED", "JOINED"}, statuses(got), "statuses after the join")
	e.verify()
}

// TestUpdateRoutingCriteriaWithPriority: criteria may come with QueuePriority; both apply,
// and Index counts the criteria set before.
func TestUpdateRoutingCriteriaWithPriority(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	id := e.startTask(c, flowFrench)
	_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(inst),
		ContactId: aws.String(id), QueuePriority: aws.Int64(2),
		RoutingCriteria: &types.RoutingCriteriaInput{Steps: []types.RoutingCriteriaInputStep{step(atLeast(tier, "Gold", 1), 10)}}})
	require.NoError(t, err)
	got := e.describe(c, id)
	assert.Equal(t, int64(2), aws.ToInt64(got.QueuePriority), "QueuePriority")
	require.NotNil(t, got.RoutingCriteria, "no RoutingCriteria")
	assert.Equal(t, int32(1), aws.ToInt32(got.RoutingCriteria.Index), "Index %d; want 1 (the flow's criteria were 0)", aws.ToInt32(got.RoutingCriteria.Index))
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"ACTIVE"}, statuses(got), "statuses")
	e.verify()
}

// TestFlowRoutingCriteria: a contact started through a flow with a "Set routing criteria"
// block carries them from its arrival: agent-1 (English) may not take it, agent-2 (French 5)
// does.
func TestFlowRoutingCriteria(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	id := e.startTask(c, flowFrench)
	got := e.describe(c, id)
	assert.Empty(t, agentOf(got), "agent-1 took a contact for French speakers")
	require.NotNil(t, got.RoutingCriteria, "no RoutingCriteria from the flow")
	act := aws.ToTime(got.RoutingCriteria.ActivationTimestamp)
	assert.True(t, act.Equal(t0), "ActivationTimestamp %v; want the arrival %v", act, t0)
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"ACTIVE", "INACTIVE"}, statuses(got), "statuses")
	require.NoError(t, e.setStatus(c, agent2, statusAv))
	got = e.describe(c, id)
	assert.Equal(t, agent2, agentOf(got), "agent %q; want %s (French 5)", agentOf(got), agent2)
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"JOINED", "INACTIVE"}, statuses(got), "statuses")
	// A contact without criteria has none in DescribeContact.
	plain := e.startTask(c, flowQ1)
	assert.Nil(t, e.describe(c, plain).RoutingCriteria, "a contact without criteria shows RoutingCriteria")
	e.verify()
}

// TestUpdateRoutingCriteriaErrors covers every error a client can cause with RoutingCriteria;
// each leaves the contact's criteria and priority as they were.
func TestUpdateRoutingCriteriaErrors(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	waiting := e.startTask(c, flowFrench)
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	routed := e.startTask(c, flowQ1)
	require.Equal(t, agent1, agentOf(e.describe(c, routed)), "setup: agent-1 did not take the plain contact")
	ended := e.startTask(c, flowFrench)
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(ended)})
	require.NoError(t, err)
	good := []types.RoutingCriteriaInputStep{step(atLeast(lang, "Spanish", 2), 10)}
	level := func(l float32) []types.RoutingCriteriaInputStep {
		return []types.RoutingCriteriaInputStep{step(atLeast(lang, "English", l), never)}
	}
	tests := []struct {
		name     string
		instance string
		contact  string
		steps    []types.RoutingCriteriaInputStep
		prio     *int64
		adj      *int32
		code     string
		status   int
		message  string
	}{
		{"unknown attribute", inst, waiting, []types.RoutingCriteriaInputStep{step(atLeast("Skill", "English", 1), never)}, nil, nil,
			"InvalidParameterException", 400, `predefined attribute "Skill"`},
		{"unknown value", inst, waiting, []types.RoutingCriteriaInputStep{step(atLeast(lang, "German", 1), never)}, nil, nil,
			"InvalidParameterException", 400, "Steps[0].Expression.AttributeCondition.Value"},
		{"level 0", inst, waiting, level(0), nil, nil, "InvalidParameterException", 400, "ProficiencyLevel"},
		{"level 6", inst, waiting, level(6), nil, nil, "InvalidParameterException", 400, "ProficiencyLevel"},
		{"level 2.5", inst, waiting, level(2.5), nil, nil, "InvalidParameterException", 400, "ProficiencyLevel"},
		{"range reversed", inst, waiting, []types.RoutingCriteriaInputStep{step(&types.Expression{AttributeCondition: &types.AttributeCondition{
			Name: aws.String(lang), Value: aws.String("English"), ComparisonOperator: aws.String("Range"),
			Range: &types.Range{MinProficiencyLevel: aws.Float32(4), MaxProficiencyLevel: aws.Float32(2)}}}, never)}, nil, nil,
			"InvalidParameterException", 400, "Range"},
		{"two members set", inst, waiting, []types.RoutingCriteriaInputStep{step(&types.Expression{
			AttributeCondition: atLeast(lang, "English", 1).AttributeCondition,
			OrExpression:       []types.Expression{*atLeast(lang, "French", 1)}}, never)}, nil, nil,
			"InvalidParameterException", 400, "exactly one of"},
		{"empty expression", inst, waiting, []types.RoutingCriteriaInputStep{step(&types.Expression{}, never)}, nil, nil,
			"InvalidParameterException", 400, "exactly one of"},
		{"no expression", inst, waiting, []types.RoutingCriteriaInputStep{{}}, nil, nil,
			"InvalidParameterException", 400, "Steps[0].Expression: is required"},
		{"wrong operator", inst, waiting, []types.RoutingCriteriaInputStep{step(&types.Expression{AttributeCondition: &types.AttributeCondition{
			Name: aws.String(lang), Value: aws.String("English"), ProficiencyLevel: aws.Float32(1), ComparisonOperator: aws.String("Equals")}}, never)},
			nil, nil, "InvalidParameterException", 400, "ComparisonOperator"},
		{"negative duration", inst, waiting, []types.RoutingCriteriaInputStep{step(atLeast(lang, "English", 1), -5)}, nil, nil,
			"InvalidParameterException", 400, ""}, // step() drops a negative: no expiry, so valid; see below
		{"no steps", inst, waiting, []types.RoutingCriteriaInputStep{}, nil, nil, "InvalidParameterException", 400, "Steps"},
		{"unknown agent", inst, waiting, []types.RoutingCriteriaInputStep{step(&types.Expression{AttributeCondition: &types.AttributeCondition{
			MatchCriteria: &types.MatchCriteria{AgentsCriteria: &types.AgentsCriteria{AgentIds: []string{"agent-9"}}}}}, never)}, nil, nil,
			"InvalidParameterException", 400, "AgentIds[0]"},
		{"with both priority and age", inst, waiting, good, aws.Int64(1), aws.Int32(5), "InvalidParameterException", 400, ""},
		{"unknown instance", "nope", waiting, good, nil, nil, "ResourceNotFoundException", 404, ""},
		{"unknown contact", inst, "nope", good, nil, nil, "ResourceNotFoundException", 404, ""},
		{"with an agent", inst, routed, good, nil, nil, "ResourceConflictException", 409, ""},
		{"ended", inst, ended, good, nil, nil, "ResourceConflictException", 409, ""},
	}
	before := e.describe(c, waiting)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{InstanceId: aws.String(tt.instance),
				ContactId: aws.String(tt.contact), QueuePriority: tt.prio, QueueTimeAdjustmentSeconds: tt.adj,
				RoutingCriteria: &types.RoutingCriteriaInput{Steps: tt.steps}})
			wantCode(t, err, tt.code)
			var re interface{ HTTPStatusCode() int }
			if assert.ErrorAs(t, err, &re, "error %v: no HTTP status; want %d", err, tt.status) {
				assert.Equal(t, tt.status, re.HTTPStatusCode(), "error %v: HTTP status %d; want %d", err, re.HTTPStatusCode(), tt.status)
			}
			assert.Contains(t, err.Error(), tt.message, "error %v; want it to name %q", err, tt.message)
			got := e.describe(c, waiting)
			assert.Equal(t, before.RoutingCriteria, got.RoutingCriteria, "criteria changed by a failed call")
			assert.Equal(t, aws.ToInt64(before.QueuePriority), aws.ToInt64(got.QueuePriority), "priority changed by a failed call")
		})
	}
	// The SDK parses the typed exceptions of the operation's error list.
	err = e.setCriteria(c, waiting, level(9)...)
	var invalid *types.InvalidParameterException
	assert.ErrorAs(t, err, &invalid, "error %T; want *types.InvalidParameterException", err)
	err = e.setCriteria(c, routed, good...)
	var conflict *types.ResourceConflictException
	assert.ErrorAs(t, err, &conflict, "error %T; want *types.ResourceConflictException", err)
	e.verify()
}

// TestCriteriaWire checks DescribeContact's RoutingCriteria on the wire: timestamps are
// epoch seconds as JSON numbers, statuses and expressions under the API's names.
func TestCriteriaWire(t *testing.T) {
	e := newEnv(t, critConfig())
	id := e.startTask(e.sdk(), flowFrench)
	r := e.raw("GET", "/contacts/"+inst+"/"+id, nil)
	require.Equal(t, 200, r.status, "DescribeContact: %d %s", r.status, r.body)
	want := `"RoutingCriteria":{"Steps":[` +
		`{"Expiry":{"DurationInSeconds":30,"ExpiryTimestamp":1740819630},"Expression":{"AttributeCondition":{"Name":"Language","Value":"French","ProficiencyLevel":4,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Status":"ACTIVE"},` +
		`{"Expression":{"AttributeCondition":{"Name":"Language","Value":"English","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}},"Status":"INACTIVE"}],` +
		`"ActivationTimestamp":1740819600,"Index":0}`
	assert.Contains(t, string(r.body), want, "DescribeContact body %s; want it to hold %s", r.body, want)
}
