package routing_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
)

func TestCriteriaConfigErrors(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(c *routing.InstanceConfig)
		wantField string
	}{
		{"valid", func(c *routing.InstanceConfig) {}, ""},
		{"attribute without a name", func(c *routing.InstanceConfig) { c.PredefinedAttributes[1].Name = "" }, "predefinedAttributes[1].name"},
		{"reserved name", func(c *routing.InstanceConfig) { c.PredefinedAttributes[0].Name = "aws:lang" }, "predefinedAttributes[0].name"},
		{"duplicate attribute", func(c *routing.InstanceConfig) { c.PredefinedAttributes[1].Name = "lang" }, "predefinedAttributes[1].name"},
		{"no values", func(c *routing.InstanceConfig) { c.PredefinedAttributes[0].Values = nil }, "predefinedAttributes[0].values"},
		{"duplicate value", func(c *routing.InstanceConfig) { c.PredefinedAttributes[0].Values[1] = "en" }, "predefinedAttributes[0].values[1]"},
		{"unknown attribute", func(c *routing.InstanceConfig) { c.Agents[0].Proficiencies[0].AttributeName = "x" }, "agents[0].proficiencies[0].attributeName"},
		{"unknown value", func(c *routing.InstanceConfig) { c.Agents[1].Proficiencies[0].AttributeValue = "x" }, "agents[1].proficiencies[0].attributeValue"},
		{"level 0", func(c *routing.InstanceConfig) { c.Agents[0].Proficiencies[0].Level = 0 }, "agents[0].proficiencies[0].level"},
		{"level 4.5", func(c *routing.InstanceConfig) { c.Agents[0].Proficiencies[0].Level = 4.5 }, "agents[0].proficiencies[0].level"},
		{"proficiency twice", func(c *routing.InstanceConfig) {
			c.Agents[0].Proficiencies = append(c.Agents[0].Proficiencies, c.Agents[0].Proficiencies[0])
		}, "agents[0].proficiencies[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := critConfigWithID()
			tt.edit(&cfg)
			_, err := routing.NewInstance(cfg, routing.NewManualClock(t0))
			if tt.wantField == "" {
				require.NoError(t, err)
				return
			}
			var ce *routing.ConfigError
			require.True(t, errors.As(err, &ce), "NewInstance = %v; want a *ConfigError", err)
			assert.Equal(t, tt.wantField, ce.Field, "field of %v", err)
		})
	}
}

func TestConfigJSONNames(t *testing.T) {
	b, err := json.Marshal(critConfigWithID())
	require.NoError(t, err)
	for _, name := range []string{`"predefinedAttributes"`, `"values"`, `"proficiencies"`, `"attributeName"`, `"attributeValue"`, `"level"`} {
		assert.Contains(t, string(b), name, "config JSON")
	}
}

func TestUserProficiencyOperations(t *testing.T) {
	h := newHarness(t, critConfig())
	call := func(op string, err error, code string) {
		t.Helper()
		if code == "" {
			require.NoError(t, err, op)
			return
		}
		var api routing.APIError
		require.True(t, errors.As(err, &api), "%s = %v; want %s", op, err, code)
		assert.Equal(t, code, api.ErrorCode(), "%s = %v", op, err)
	}
	assoc := func(user string, ps ...routing.Proficiency) error {
		_, err := h.svc.AssociateUserProficiencies(h.ctx, &routing.AssociateUserProficienciesInput{InstanceId: h.id(), UserId: ptr(user), UserProficiencies: ps})
		return err
	}
	upd := func(user string, ps ...routing.Proficiency) error {
		_, err := h.svc.UpdateUserProficiencies(h.ctx, &routing.UpdateUserProficienciesInput{InstanceId: h.id(), UserId: ptr(user), UserProficiencies: ps})
		return err
	}
	dis := func(user string, ks ...routing.ProficiencyKey) error {
		_, err := h.svc.DisassociateUserProficiencies(h.ctx, &routing.DisassociateUserProficienciesInput{InstanceId: h.id(), UserId: ptr(user), UserProficiencies: ks})
		return err
	}
	fr3 := routing.Proficiency{AttributeName: "lang", AttributeValue: "fr", Level: 3}
	s1 := routing.Proficiency{AttributeName: "skill", AttributeValue: "s1", Level: 5}
	call("associate to an unknown agent", assoc("zz", fr3), "ResourceNotFoundException")
	call("associate nothing", assoc("a3"), "InvalidParameterException")
	call("associate an unknown value", assoc("a3", routing.Proficiency{AttributeName: "lang", AttributeValue: "xx", Level: 1}), "InvalidParameterException")
	call("associate level 6", assoc("a3", routing.Proficiency{AttributeName: "lang", AttributeValue: "en", Level: 6}), "InvalidParameterException")
	call("associate one twice", assoc("a3", fr3, fr3), "InvalidParameterException")
	call("update one not held", upd("a3", fr3), "InvalidParameterException")
	call("disassociate one not held", dis("a3", routing.ProficiencyKey{AttributeName: "lang", AttributeValue: "fr"}), "InvalidParameterException")
	call("associate", assoc("a3", fr3, s1), "")
	call("update", upd("a3", routing.Proficiency{AttributeName: "lang", AttributeValue: "fr", Level: 1}), "")
	out, err := h.svc.ListUserProficiencies(h.ctx, &routing.ListUserProficienciesInput{InstanceId: h.id(), UserId: ptr("a3"), MaxResults: ptr[int32](1)})
	require.NoError(t, err)
	require.Equal(t, []routing.Proficiency{{AttributeName: "lang", AttributeValue: "fr", Level: 1}}, out.UserProficiencyList, "first page")
	require.NotNil(t, out.NextToken, "a second page")
	out, err = h.svc.ListUserProficiencies(h.ctx, &routing.ListUserProficienciesInput{InstanceId: h.id(), UserId: ptr("a3"), NextToken: out.NextToken})
	require.NoError(t, err)
	assert.Equal(t, []routing.Proficiency{s1}, out.UserProficiencyList, "second page")
	assert.Nil(t, out.NextToken, "no third page")
	call("disassociate", dis("a3", routing.ProficiencyKey{AttributeName: "skill", AttributeValue: "s1"}), "")
	got, err := h.in.UserProficiencies("a3")
	require.NoError(t, err)
	assert.Equal(t, []routing.Proficiency{{AttributeName: "lang", AttributeValue: "fr", Level: 1}}, got, "after disassociating s1")
	var many []routing.Proficiency
	for _, v := range []string{"en", "de"} {
		many = append(many, routing.Proficiency{AttributeName: "lang", AttributeValue: v, Level: 2})
	}
	call("associate within the quota", assoc("a3", many...), "")
	h.verify()
}

func TestPredefinedAttributeOperations(t *testing.T) {
	h := newHarness(t, routing.InstanceConfig{Queues: queues("q")})
	create := func(name string, values ...string) error {
		_, err := h.svc.CreatePredefinedAttribute(h.ctx, &routing.CreatePredefinedAttributeInput{InstanceId: h.id(), Name: ptr(name),
			Values: &routing.PredefinedAttributeValues{StringList: values}})
		return err
	}
	require.NoError(t, create("lang", "en", "fr"))
	for name, err := range map[string]error{
		"empty values":  create("skill"),
		"reserved name": create("connect:x", "a"),
		"long value":    create("skill", strings.Repeat("v", routing.MaxAttributeValueLen+1)),
		"empty value":   create("skill", "a", ""),
	} {
		var ip *routing.InvalidParameterException
		assert.True(t, errors.As(err, &ip), "%s: Create = %v; want InvalidParameterException", name, err)
	}
	out, err := h.svc.DescribePredefinedAttribute(h.ctx, &routing.DescribePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("lang")})
	require.NoError(t, err)
	assert.Equal(t, []string{"en", "fr"}, out.PredefinedAttribute.Values.StringList, "values")
	assert.Equal(t, t0, out.PredefinedAttribute.LastModifiedTime.UTC(), "LastModifiedTime")
	_, err = h.svc.UpdatePredefinedAttribute(h.ctx, &routing.UpdatePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("lang"),
		Values: &routing.PredefinedAttributeValues{StringList: []string{"de"}}})
	require.NoError(t, err, "dropping unused values")
	_, err = h.svc.DescribePredefinedAttribute(h.ctx, &routing.DescribePredefinedAttributeInput{InstanceId: h.id(), Name: ptr("nope")})
	var nf *routing.ResourceNotFoundException
	assert.True(t, errors.As(err, &nf), "Describe(nope) = %v; want ResourceNotFoundException", err)
	for i := 1; i < routing.MaxPredefinedAttributes; i++ {
		require.NoError(t, create("a"+strings.Repeat("x", i%90)+string(rune('a'+i%26))+string(rune('a'+i/26)), "v"))
	}
	var le *routing.LimitExceededException
	assert.True(t, errors.As(create("onemore", "v"), &le), "creating past the quota; want LimitExceededException")
}
