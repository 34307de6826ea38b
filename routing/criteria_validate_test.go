package routing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// cond is a valid condition on lang=fr >= 3, in JSON.
const cond = `{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}`

func TestValidateRoutingCriteria(t *testing.T) {
	deep := cond
	for range routing.MaxExpressionDepth {
		deep = `{"AndExpression":[` + deep + `]}`
	}
	many := strings.Repeat(cond+",", routing.MaxStepConditions) + cond
	steps := strings.Repeat(`{"Expression":`+cond+`},`, routing.MaxCriteriaSteps) + `{"Expression":` + cond + `}`
	tests := []struct {
		name, js, field string
	}{
		{"no steps", `{"Steps":[]}`, "RoutingCriteria.Steps"},
		{"too many steps", `{"Steps":[` + steps + `]}`, "RoutingCriteria.Steps"},
		{"no expression", `{"Steps":[{}]}`, "RoutingCriteria.Steps[0].Expression"},
		{"empty expression", `{"Steps":[{"Expression":{}}]}`, "RoutingCriteria.Steps[0].Expression"},
		{"two members", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"},"OrExpression":[` + cond + `]}}]}`,
			"RoutingCriteria.Steps[0].Expression"},
		{"negative expiry", `{"Steps":[{"Expression":` + cond + `,"Expiry":{"DurationInSeconds":-1}}]}`, "RoutingCriteria.Steps[0].Expiry.DurationInSeconds"},
		{"level 6", `{"Steps":[{"Expression":` + cond + `},{"Expression":{"AndExpression":[{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":6,"ComparisonOperator":"NumberGreaterOrEqualTo"}}]}}]}`,
			"RoutingCriteria.Steps[1].Expression.AndExpression[0].AttributeCondition.ProficiencyLevel"},
		{"level 2.5", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":2.5,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.ProficiencyLevel"},
		{"level 0", `{"Steps":[{"Expression":{"NotAttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":0,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.NotAttributeCondition.ProficiencyLevel"},
		{"no operator", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":3}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.ComparisonOperator"},
		{"wrong operator", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":3,"ComparisonOperator":"NumberLessThan"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.ComparisonOperator"},
		{"unknown attribute", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"color","Value":"fr","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.Value"},
		{"unknown value", `{"Steps":[{"Expression":{"OrExpression":[` + cond + `,{"AttributeCondition":{"Name":"lang","Value":"xx","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}]}}]}`,
			"RoutingCriteria.Steps[0].Expression.OrExpression[1].AttributeCondition.Value"},
		{"no name", `{"Steps":[{"Expression":{"AttributeCondition":{"Value":"fr","ProficiencyLevel":3,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.Name"},
		{"no level", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr"}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.ProficiencyLevel"},
		{"level and range", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":3,"Range":{"MinProficiencyLevel":1,"MaxProficiencyLevel":2}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition"},
		{"range upside down", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","Range":{"MinProficiencyLevel":4,"MaxProficiencyLevel":2}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.Range"},
		{"range without max", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","Range":{"MinProficiencyLevel":4}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.Range.MaxProficiencyLevel"},
		{"empty and", `{"Steps":[{"Expression":{"AndExpression":[]}}]}`, "RoutingCriteria.Steps[0].Expression.AndExpression"},
		{"too deep", `{"Steps":[{"Expression":` + deep + `}]}`, "RoutingCriteria.Steps[0].Expression.AndExpression[0].AndExpression[0].AndExpression"},
		{"too many conditions", `{"Steps":[{"Expression":{"OrExpression":[` + many + `]}}]}`,
			"RoutingCriteria.Steps[0].Expression.OrExpression[20].AttributeCondition"},
		{"unknown agent", `{"Steps":[{"Expression":{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":["a1","zz"]}}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.MatchCriteria.AgentsCriteria.AgentIds[1]"},
		{"no agents", `{"Steps":[{"Expression":{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":[]}}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.MatchCriteria.AgentsCriteria.AgentIds"},
		{"agents and name", `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","MatchCriteria":{"AgentsCriteria":{"AgentIds":["a1"]}}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.MatchCriteria"},
		{"agents with a range operator", `{"Steps":[{"Expression":{"AttributeCondition":{"ComparisonOperator":"Range","MatchCriteria":{"AgentsCriteria":{"AgentIds":["a1"]}}}}}]}`,
			"RoutingCriteria.Steps[0].Expression.AttributeCondition.ComparisonOperator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, critConfig())
			rc := criteria(t, frAtLeast4For30)
			h.run(avail("a3"), withCriteria("c1", "q", rc))
			before := h.describe("c1")
			_, err := h.svc.UpdateContactRoutingData(h.ctx, &routing.UpdateContactRoutingDataInput{InstanceId: h.id(),
				ContactId: ptr("c1"), RoutingCriteria: criteria(t, tt.js), QueuePriority: ptr[int64](1)})
			var ip *routing.InvalidParameterException
			require.True(t, errors.As(err, &ip), "UpdateContactRoutingData = %v; want InvalidParameterException", err)
			assert.True(t, strings.HasPrefix(ip.Message, tt.field+": "), "message %q; want it to start with %q", ip.Message, tt.field)
			assert.Equal(t, before, h.describe("c1"), "the contact after a failed update")
			h.verify()
			// StartContact refuses them too, and starts nothing.
			_, err = h.svc.StartContact(h.ctx, &routing.StartContactInput{InstanceId: h.id(), QueueId: ptr("q"),
				Channel: contact.Voice, ContactId: ptr("c2"), RoutingCriteria: criteria(t, tt.js)})
			require.True(t, errors.As(err, &ip), "StartContact = %v; want InvalidParameterException", err)
			_, err = h.in.DescribeContact("c2")
			var nf *routing.ResourceNotFoundException
			assert.True(t, errors.As(err, &nf), "DescribeContact(c2) after a failed start = %v; want not found", err)
		})
	}
}

func TestValidRoutingCriteriaForms(t *testing.T) {
	for name, js := range map[string]string{
		"range without operator":  `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","Range":{"MinProficiencyLevel":1,"MaxProficiencyLevel":3}}}}]}`,
		"range with operator":     `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","Range":{"MinProficiencyLevel":1,"MaxProficiencyLevel":3},"ComparisonOperator":"Range"}}}]}`,
		"agents without operator": `{"Steps":[{"Expression":{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":["a1"]}}}}}]}`,
		"agents with Match":       `{"Steps":[{"Expression":{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":["a1"]}},"ComparisonOperator":"Match"}}}]}`,
		"or of ands":              `{"Steps":[{"Expression":{"OrExpression":[{"AndExpression":[` + cond + `,` + cond + `]},` + cond + `]}}]}`,
		"expiry without duration": `{"Steps":[{"Expression":` + cond + `,"Expiry":{}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			in, err := routing.NewInstance(critConfigWithID(), routing.NewManualClock(t0))
			require.NoError(t, err)
			assert.NoError(t, in.ValidateRoutingCriteria(criteria(t, js)), "criteria %s", js)
		})
	}
}

func critConfigWithID() routing.InstanceConfig {
	cfg := critConfig()
	cfg.ID = "inst"
	return cfg
}

func TestPredefinedAttributeInUse(t *testing.T) {
	h := newHarness(t, critConfig())
	_, err := h.svc.DeletePredefinedAttribute(h.ctx, &routing.DeletePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("lang")})
	var inUse *routing.ResourceInUseException
	require.True(t, errors.As(err, &inUse), "deleting lang, which agents use = %v; want ResourceInUseException", err)
	h.run(withCriteria("c1", "q", criteria(t, `{"Steps":[{"Expression":{"AttributeCondition":{"Name":"skill","Value":"s1","ProficiencyLevel":1,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`)))
	_, err = h.svc.DeletePredefinedAttribute(h.ctx, &routing.DeletePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("skill")})
	require.True(t, errors.As(err, &inUse), "deleting skill, which c1's criteria use = %v; want ResourceInUseException", err)
	_, err = h.svc.UpdatePredefinedAttribute(h.ctx, &routing.UpdatePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("skill"),
		Values: &routing.PredefinedAttributeValues{StringList: []string{"s2"}}})
	var ip *routing.InvalidParameterException
	require.True(t, errors.As(err, &ip), "dropping s1, which c1's criteria use = %v; want InvalidParameterException", err)
	h.run(abandon("c1"))
	_, err = h.svc.DeletePredefinedAttribute(h.ctx, &routing.DeletePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("skill")})
	require.NoError(t, err, "deleting skill once unused")
	out, err := h.svc.ListPredefinedAttributes(h.ctx, &routing.ListPredefinedAttributesInput{InstanceId: h.id()})
	require.NoError(t, err)
	require.Len(t, out.PredefinedAttributeSummaryList, 1, "attributes left")
	assert.Equal(t, "lang", *out.PredefinedAttributeSummaryList[0].Name, "attribute left")
	_, err = h.svc.CreatePredefinedAttribute(h.ctx, &routing.CreatePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("lang"),
		Values: &routing.PredefinedAttributeValues{StringList: []string{"x"}}})
	var dup *routing.DuplicateResourceException
	assert.True(t, errors.As(err, &dup), "creating lang again = %v; want DuplicateResourceException", err)
}
