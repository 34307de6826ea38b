package connectapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing/connectapi"
)

// TestStateFreeSlotsRouteAnyChannel: GET /_routesim/state lists the free slots routing would
// offer, as GetCurrentUserData does: an agent holding a task of a profile whose TASK
// contacts route any channel may still be offered a chat.
func TestStateFreeSlotsRouteAnyChannel(t *testing.T) {
	cfg := testConfig()
	p := &cfg.Instances[0].RoutingProfiles[0]
	p.Concurrency = map[contact.Channel]int{contact.Chat: 1, contact.Task: 2}
	p.RouteAnyChannel = []contact.Channel{contact.Task}
	e := newEmuEnv(t, cfg, connectapi.EmulatorOptions{ManualClock: true, Control: true})
	c := e.sdk()
	require.NoError(t, e.setStatus(c, agent1, statusAv))
	e.startTask(c, flowQ1)
	var st connectapi.StateView
	e.control("GET", "state", "", &st)
	a := st.Instances[0].Agents[0]
	require.Equal(t, agent1, a.ID)
	assert.Equal(t, map[contact.Channel]int{contact.Chat: 1, contact.Task: 1}, a.FreeSlots, "free slots in the state view")
	ud, err := c.GetCurrentUserData(ctx, &connect.GetCurrentUserDataInput{InstanceId: aws.String(inst),
		Filters: &types.UserDataFilters{Agents: []string{agent1}}})
	require.NoError(t, err)
	assert.Equal(t, map[string]int32{"CHAT": 1, "TASK": 1}, ud.UserDataList[0].AvailableSlotsByChannel, "GetCurrentUserData's available slots")
}
