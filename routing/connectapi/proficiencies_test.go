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

func prof(name, value string, level float32) types.UserProficiency {
	return types.UserProficiency{AttributeName: aws.String(name), AttributeValue: aws.String(value), Level: aws.Float32(level)}
}

func (e *env) associate(c *connect.Client, user string, ps ...types.UserProficiency) error {
	_, err := c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String(inst),
		UserId: aws.String(user), UserProficiencies: ps})
	return err
}

func (e *env) updateProfs(c *connect.Client, user string, ps ...types.UserProficiency) error {
	_, err := c.UpdateUserProficiencies(ctx, &connect.UpdateUserProficienciesInput{InstanceId: aws.String(inst),
		UserId: aws.String(user), UserProficiencies: ps})
	return err
}

func (e *env) disassociate(c *connect.Client, user string, keys ...[2]string) error {
	list := make([]types.UserProficiencyDisassociate, len(keys))
	for i, k := range keys {
		list[i] = types.UserProficiencyDisassociate{AttributeName: aws.String(k[0]), AttributeValue: aws.String(k[1])}
	}
	_, err := c.DisassociateUserProficiencies(ctx, &connect.DisassociateUserProficienciesInput{InstanceId: aws.String(inst),
		UserId: aws.String(user), UserProficiencies: list})
	return err
}

// profs lists an agent's proficiencies as "name=value:level", through the SDK's paginator.
func (e *env) profs(c *connect.Client, user string, pageSize int32) (list []string, pages int) {
	e.t.Helper()
	p := connect.NewListUserProficienciesPaginator(c, &connect.ListUserProficienciesInput{InstanceId: aws.String(inst),
		UserId: aws.String(user), MaxResults: aws.Int32(pageSize)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(e.t, err, "ListUserProficiencies(%s) page %d", user, pages+1)
		pages++
		for _, u := range out.UserProficiencyList {
			list = append(list, fmt.Sprintf("%s=%s:%v", aws.ToString(u.AttributeName), aws.ToString(u.AttributeValue), aws.ToFloat32(u.Level)))
		}
	}
	return list, pages
}

// TestUserProficiencies: associate, list (paged, by name and value), update and disassociate
// through the SDK.
func TestUserProficiencies(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	got, _ := e.profs(c, agent1, 100)
	assert.Equal(t, []string{"Language=English:3"}, got, "agent-1 from the configuration")
	require.NoError(t, e.associate(c, agent1, prof(tier, "Gold", 2), prof(lang, "Spanish", 1), prof(lang, "English", 4)))
	got, pages := e.profs(c, agent1, 2)
	assert.Equal(t, []string{"Language=English:4", "Language=Spanish:1", "Tier=Gold:2"}, got,
		"after associate (English takes the new level)")
	assert.Equal(t, 2, pages, "pages of 2 for 3 proficiencies")
	require.NoError(t, e.updateProfs(c, agent1, prof(tier, "Gold", 5)))
	require.NoError(t, e.disassociate(c, agent1, [2]string{lang, "Spanish"}, [2]string{lang, "English"}))
	got, _ = e.profs(c, agent1, 100)
	assert.Equal(t, []string{"Tier=Gold:5"}, got, "after update and disassociate")
	require.NoError(t, e.disassociate(c, agent1, [2]string{tier, "Gold"}))
	got, pages = e.profs(c, agent1, 100)
	assert.Empty(t, got, "after disassociating everything")
	assert.Equal(t, 1, pages, "an empty list is one page")
	e.verify()
}

// TestUserProficiencyErrors covers the errors of the four operations; none changes the
// agent's proficiencies.
func TestUserProficiencyErrors(t *testing.T) {
	e := newEnv(t, critConfig())
	c := e.sdk()
	// Ten more values: with English, eleven proficiencies, over Connect's default quota of 10
	// per agent.
	var values []string
	var ten []types.UserProficiency
	for i := range 10 {
		values = append(values, fmt.Sprintf("v%d", i))
		ten = append(ten, prof("Many", values[i], 1))
	}
	require.NoError(t, e.createAttr(c, "Many", values...))
	_, listErr := c.ListUserProficiencies(ctx, &connect.ListUserProficienciesInput{InstanceId: aws.String(inst), UserId: aws.String("agent-9")})
	tests := []struct {
		name    string
		err     error
		code    string
		message string
	}{
		{"associate: unknown user", e.associate(c, "agent-9", prof(lang, "French", 1)), "ResourceNotFoundException", "agent-9"},
		{"associate: unknown attribute", e.associate(c, agent1, prof("Skill", "x", 1)), "InvalidParameterException", "UserProficiencies[0].AttributeName"},
		{"associate: unknown value", e.associate(c, agent1, prof(lang, "German", 1)), "InvalidParameterException", "UserProficiencies[0].AttributeValue"},
		{"associate: level 0", e.associate(c, agent1, prof(lang, "French", 0)), "InvalidParameterException", "UserProficiencies[0].Level"},
		{"associate: level 6", e.associate(c, agent1, prof(lang, "French", 6)), "InvalidParameterException", "UserProficiencies[0].Level"},
		{"associate: level 2.5", e.associate(c, agent1, prof(lang, "French", 2.5)), "InvalidParameterException", "UserProficiencies[0].Level"},
		{"associate: the same twice", e.associate(c, agent1, prof(lang, "French", 1), prof(lang, "French", 2)), "InvalidParameterException", "UserProficiencies[1]"},
		{"associate: second entry bad", e.associate(c, agent1, prof(lang, "French", 1), prof(lang, "French ", 2)), "InvalidParameterException", "UserProficiencies[1].AttributeValue"},
		{"associate: none", e.associate(c, agent1, []types.UserProficiency{}...), "InvalidParameterException", "UserProficiencies"},
		{"associate: over 10 in all", e.associate(c, agent1, ten...), "InvalidParameterException", "11 proficiencies; at most 10"},
		{"associate: unknown instance", func() error {
			_, err := c.AssociateUserProficiencies(ctx, &connect.AssociateUserProficienciesInput{InstanceId: aws.String("nope"),
				UserId: aws.String(agent1), UserProficiencies: []types.UserProficiency{prof(lang, "French", 1)}})
			return err
		}(), "ResourceNotFoundException", "nope"},
		{"update: not held", e.updateProfs(c, agent1, prof(lang, "French", 2)), "InvalidParameterException", "no proficiency Language=French"},
		{"update: level 6", e.updateProfs(c, agent1, prof(lang, "English", 6)), "InvalidParameterException", "UserProficiencies[0].Level"},
		{"update: unknown user", e.updateProfs(c, "agent-9", prof(lang, "English", 2)), "ResourceNotFoundException", "agent-9"},
		{"disassociate: not held", e.disassociate(c, agent1, [2]string{lang, "French"}), "InvalidParameterException", "no proficiency Language=French"},
		{"disassociate: unknown user", e.disassociate(c, "agent-9", [2]string{lang, "English"}), "ResourceNotFoundException", "agent-9"},
		{"disassociate: none", e.disassociate(c, agent1), "InvalidParameterException", "UserProficiencies"},
		{"list: unknown user", listErr, "ResourceNotFoundException", "agent-9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.err, tt.code)
			assert.Contains(t, tt.err.Error(), tt.message, "error %v; want it to name %q", tt.err, tt.message)
		})
	}
	got, _ := e.profs(c, agent1, 100)
	assert.Equal(t, []string{"Language=English:3"}, got, "agent-1 after the failed calls")
	// Nine new and one held make ten: within the quota.
	require.NoError(t, e.associate(c, agent1, append(ten[:9:9], prof(lang, "English", 2))...))
	got, _ = e.profs(c, agent1, 100)
	require.Len(t, got, 10, "agent-1 proficiencies %v; want 10", got)
	var invalid *types.InvalidParameterException
	err := e.associate(c, "agent-9", prof(lang, "French", 1))
	var nf *types.ResourceNotFoundException
	assert.ErrorAs(t, err, &nf, "unknown user: error %T; want *types.ResourceNotFoundException", err)
	err = e.associate(c, agent1, prof(lang, "French", 7))
	assert.ErrorAs(t, err, &invalid, "level 7: error %T; want *types.InvalidParameterException", err)
	e.verify()
}

// TestProficiencyChangeRoutes: a change of proficiency applies to routing at once. A waiting
// contact whose step asks for French >= 4 goes to agent-1 the moment agent-1 gains French 4
// (Associate); another goes to agent-1 once its French rises from 2 to 4 (Update); an agent
// that loses the proficiency (Disassociate) no longer matches.
func TestProficiencyChangeRoutes(t *testing.T) {
	cfg := critConfig()
	cfg.Instances[0].Agents = cfg.Instances[0].Agents[:1] // agent-1 only: English 3
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	first := e.startTask(c, flowFrench)
	second := e.startTask(c, flowFrench)
	assert.Empty(t, agentOf(e.describe(c, first)), "agent-1 (English) took a French contact")
	require.NoError(t, e.associate(c, agent1, prof(lang, "French", 4)))
	assert.Equal(t, agent1, agentOf(e.describe(c, first)), "after Associate French 4: the first contact's agent")
	assert.Empty(t, agentOf(e.describe(c, second)), "agent-1 has concurrency 1 on TASK; the second contact waits")
	// agent-1 loses French, then finishes the first contact: the second waits still.
	require.NoError(t, e.updateProfs(c, agent1, prof(lang, "French", 2)))
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(first)})
	require.NoError(t, err)
	assert.Empty(t, agentOf(e.describe(c, second)), "agent-1 at French 2 took a contact asking French >= 4")
	require.NoError(t, e.updateProfs(c, agent1, prof(lang, "French", 4)))
	got := e.describe(c, second)
	assert.Equal(t, agent1, agentOf(got), "after Update French 4: the second contact's agent")
	assert.Equal(t, []types.RoutingCriteriaStepStatus{"JOINED", "INACTIVE"}, statuses(got), "statuses")
	_, err = c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(second)})
	require.NoError(t, err)
	require.NoError(t, e.disassociate(c, agent1, [2]string{lang, "French"}))
	third := e.startTask(c, flowFrench)
	assert.Empty(t, agentOf(e.describe(c, third)), "agent-1 without French took a French contact")
	// Step 1 expires after 30 s; step 2 (English >= 1) lets agent-1 take it.
	e.clock.Advance(30 * time.Second)
	assert.Equal(t, agent1, agentOf(e.describe(c, third)), "after step 1 expired: the third contact's agent")
	e.verify()
}
