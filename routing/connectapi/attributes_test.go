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

func stringList(vs ...string) types.PredefinedAttributeValues {
	return &types.PredefinedAttributeValuesMemberStringList{Value: vs}
}

func (e *env) createAttr(c *connect.Client, name string, values ...string) error {
	_, err := c.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: aws.String(inst),
		Name: aws.String(name), Values: stringList(values...)})
	return err
}

func (e *env) describeAttr(c *connect.Client, name string) *types.PredefinedAttribute {
	e.t.Helper()
	out, err := c.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(inst), Name: aws.String(name)})
	require.NoError(e.t, err, "DescribePredefinedAttribute(%s)", name)
	return out.PredefinedAttribute
}

func attrValues(a *types.PredefinedAttribute) []string {
	if l, ok := a.Values.(*types.PredefinedAttributeValuesMemberStringList); ok {
		return l.Value
	}
	return nil
}

// listAttrs pages through ListPredefinedAttributes with the SDK's paginator.
func (e *env) listAttrs(c *connect.Client, pageSize int32) (names []string, pages int) {
	e.t.Helper()
	p := connect.NewListPredefinedAttributesPaginator(c, &connect.ListPredefinedAttributesInput{InstanceId: aws.String(inst), MaxResults: aws.Int32(pageSize)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(e.t, err, "ListPredefinedAttributes page %d", pages+1)
		pages++
		for _, s := range out.PredefinedAttributeSummaryList {
			names = append(names, aws.ToString(s.Name))
			assert.Equal(e.t, "us-east-1", aws.ToString(s.LastModifiedRegion), "LastModifiedRegion of %s", aws.ToString(s.Name))
			// The configuration's attributes have no modification time; created ones do.
			fromConfig := aws.ToString(s.Name) == lang || aws.ToString(s.Name) == tier
			assert.Equal(e.t, fromConfig, s.LastModifiedTime == nil, "LastModifiedTime of %s: %v", aws.ToString(s.Name), s.LastModifiedTime)
		}
	}
	return names, pages
}

// TestPredefinedAttributes: create, describe, list (paged), update and delete through the SDK.
func TestPredefinedAttributes(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	e.clock.Advance(time.Minute)
	require.NoError(t, e.createAttr(c, "Region", "EU", "US"))
	a := e.describeAttr(c, "Region")
	assert.Equal(t, "Region", aws.ToString(a.Name), "Name")
	assert.Equal(t, []string{"EU", "US"}, attrValues(a), "Values")
	mod := aws.ToTime(a.LastModifiedTime)
	assert.True(t, mod.Equal(t0.Add(time.Minute)), "LastModifiedTime %v; want %v", mod, t0.Add(time.Minute))
	assert.Equal(t, "us-east-1", aws.ToString(a.LastModifiedRegion), "LastModifiedRegion")

	names, pages := e.listAttrs(c, 2)
	assert.Equal(t, []string{lang, "Region", tier}, names, "listed names; want all three by name")
	assert.Equal(t, 2, pages, "pages of 2 for 3 attributes")
	names, pages = e.listAttrs(c, 100)
	assert.Equal(t, []string{lang, "Region", tier}, names, "listed names in one page")
	assert.Equal(t, 1, pages, "pages of 100 for 3 attributes")

	e.clock.Advance(time.Minute)
	_, err := c.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(inst),
		Name: aws.String("Region"), Values: stringList("EU", "APAC")})
	require.NoError(t, err)
	a = e.describeAttr(c, "Region")
	assert.Equal(t, []string{"EU", "APAC"}, attrValues(a), "Values after update")
	mod = aws.ToTime(a.LastModifiedTime)
	assert.True(t, mod.Equal(t0.Add(2*time.Minute)), "LastModifiedTime after update %v; want %v", mod, t0.Add(2*time.Minute))
	// An agent may hold the new value at once.
	_, err = c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(inst),
		UserId: aws.String(agent1), UserProficiencies: []types.UserProficiency{prof("Region", "APAC", 2)}})
	require.NoError(t, err)

	require.NoError(t, e.createAttr(c, "Spare", "x"))
	_, err = c.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: aws.String(inst), Name: aws.String("Spare")})
	require.NoError(t, err)
	_, err = c.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(inst), Name: aws.String("Spare")})
	wantCode(t, err, "ResourceNotFoundException")
	e.verify()
}

// TestPredefinedAttributeErrors covers the errors of the five operations; none changes the
// attributes.
func TestPredefinedAttributeErrors(t *testing.T) {
	cfg := critConfig()
	// Only the flow uses Tier's value Silver; Spanish is used by nobody but a waiting contact.
	cfg.Instances[0].Flows[3].RoutingCriteria.Steps[1].Expression.AttributeCondition.Name = tier
	cfg.Instances[0].Flows[3].RoutingCriteria.Steps[1].Expression.AttributeCondition.Value = "Silver"
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.createAttr(c, "Free", "a", "b"))
	require.NoError(t, e.createAttr(c, "Waiting", "w"))
	require.NoError(t, e.associate(c, agent2, prof("Free", "a", 1)))
	id := e.startTask(c, flowQ1)
	require.NoError(t, e.setCriteria(c, id, step(atLeast("Waiting", "w", 1), never)))
	create := func(instance, name string, values ...string) error {
		_, err := c.CreatePredefinedAttribute(ctx, &connect.CreatePredefinedAttributeInput{InstanceId: aws.String(instance),
			Name: aws.String(name), Values: stringList(values...)})
		return err
	}
	update := func(name string, values ...string) error {
		_, err := c.UpdatePredefinedAttribute(ctx, &connect.UpdatePredefinedAttributeInput{InstanceId: aws.String(inst),
			Name: aws.String(name), Values: stringList(values...)})
		return err
	}
	del := func(instance, name string) error {
		_, err := c.DeletePredefinedAttribute(ctx, &connect.DeletePredefinedAttributeInput{InstanceId: aws.String(instance), Name: aws.String(name)})
		return err
	}
	describe := func(instance, name string) error {
		_, err := c.DescribePredefinedAttribute(ctx, &connect.DescribePredefinedAttributeInput{InstanceId: aws.String(instance), Name: aws.String(name)})
		return err
	}
	tests := []struct {
		name    string
		err     error
		code    string
		status  int
		message string
	}{
		{"create: duplicate", create(inst, lang, "x"), "DuplicateResourceException", 409, lang},
		{"create: aws: prefix", create(inst, "aws:x", "x"), "InvalidParameterException", 400, "Name"},
		{"create: no values", create(inst, "Empty"), "InvalidParameterException", 400, "Values.StringList"},
		{"create: repeated value", create(inst, "Twice", "x", "x"), "InvalidParameterException", 400, "Values.StringList[1]"},
		{"create: empty value", create(inst, "Blank", ""), "InvalidParameterException", 400, "Values.StringList[0]"},
		{"create: unknown instance", create("nope", "New", "x"), "ResourceNotFoundException", 404, "nope"},
		{"describe: unknown", describe(inst, "Nope"), "ResourceNotFoundException", 404, "Nope"},
		{"describe: unknown instance", describe("nope", lang), "ResourceNotFoundException", 404, "nope"},
		{"update: unknown", update("Nope", "x"), "ResourceNotFoundException", 404, "Nope"},
		{"update: drops a value an agent holds", update("Free", "b"), "InvalidParameterException", 400, "agent-2"},
		{"update: drops a value a flow uses", update(tier, "Gold"), "InvalidParameterException", 400, flowFrench},
		{"update: drops a value a waiting contact uses", update("Waiting", "v"), "InvalidParameterException", 400, id},
		{"update: repeated value", update("Free", "a", "a"), "InvalidParameterException", 400, "Values.StringList[1]"},
		{"delete: unknown", del(inst, "Nope"), "ResourceNotFoundException", 404, "Nope"},
		{"delete: unknown instance", del("nope", "Free"), "ResourceNotFoundException", 404, "nope"},
		{"delete: held by an agent", del(inst, "Free"), "ResourceInUseException", 409, "agent-2"},
		{"delete: used by a flow", del(inst, tier), "ResourceInUseException", 409, flowFrench},
		{"delete: held by an agent and used by a flow", del(inst, lang), "ResourceInUseException", 409, "in use"},
		{"delete: used by a waiting contact", del(inst, "Waiting"), "ResourceInUseException", 409, id},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.err, tt.code)
			var re interface{ HTTPStatusCode() int }
			if assert.ErrorAs(t, tt.err, &re, "error %v: no HTTP status; want %d", tt.err, tt.status) {
				assert.Equal(t, tt.status, re.HTTPStatusCode(), "error %v: HTTP status %d; want %d", tt.err, re.HTTPStatusCode(), tt.status)
			}
			assert.Contains(t, tt.err.Error(), tt.message, "error %v; want it to name %q", tt.err, tt.message)
		})
	}
	names, _ := e.listAttrs(c, 100)
	assert.Equal(t, []string{"Free", lang, tier, "Waiting"}, names, "attributes after the failed calls")
	assert.Equal(t, []string{"English", "French", "Spanish"}, attrValues(e.describeAttr(c, lang)), "Language values after the failed calls")
	assert.Equal(t, []string{"Gold", "Silver"}, attrValues(e.describeAttr(c, tier)), "Tier values after the failed calls")
	// The SDK parses the typed exceptions of each operation's error list.
	var inUse *types.ResourceInUseException
	assert.ErrorAs(t, del(inst, lang), &inUse, "delete in use: want *types.ResourceInUseException")
	var dup *types.DuplicateResourceException
	assert.ErrorAs(t, create(inst, lang, "x"), &dup, "create duplicate: want *types.DuplicateResourceException")
	// Once the contact has gone, its attribute may be deleted.
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
	require.NoError(t, err)
	require.NoError(t, del(inst, "Waiting"), "delete after the contact using it ended")
	e.verify()
}

// TestPredefinedAttributeLimit: past 150 attributes (Connect's default quota),
// CreatePredefinedAttribute answers LimitExceededException.
func TestPredefinedAttributeLimit(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	for i := 2; i < 150; i++ { // critConfig declares 2
		require.NoError(t, e.createAttr(c, fmt.Sprintf("A%03d", i), "x"), "attribute %d", i+1)
	}
	err := e.createAttr(c, "OneTooMany", "x")
	var limit *types.LimitExceededException
	require.ErrorAs(t, err, &limit, "attribute 151: error %v; want *types.LimitExceededException", err)
	names, pages := e.listAttrs(c, 100)
	assert.Len(t, names, 150, "attributes listed")
	assert.Equal(t, 2, pages, "pages of 100 for 150 attributes")
}
