package connectapi

import (
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// epoch is where the throwaway clocks used for validation stand.
var epoch = time.Unix(0, 0).UTC()

// WallClock is a routing.Clock that reads the wall clock. The routing core never reads it
// itself; the emulator command passes WallClock{} to routing.WithClock. Its zero value is
// ready to use and it is safe for concurrent use.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// IDs of the built-in default configuration.
const (
	// DefaultInstanceID is a UUID, as the API model's InstanceIdOrArn pattern requires;
	// DefaultInstanceAlias is the readable name it had before.
	DefaultInstanceID      = "7c3a1f52-9d4e-4b6a-8f21-3e5d9c0b7a14"
	DefaultInstanceAlias   = "routesim-instance"
	DefaultHoursID         = "5b1e2c3d-4f5a-4b6c-9d7e-8f9a0b1c2d3e"
	DefaultHoursName       = "Basic Hours"
	DefaultSalesQueueID    = "queue-sales"
	DefaultSupportQueueID  = "queue-support"
	DefaultSalesFlowID     = "flow-sales"
	DefaultSupportFlowID   = "flow-support"
	DefaultUrgentFlowID    = "flow-support-urgent"
	DefaultProfileID       = "profile-all"
	DefaultAvailableStatus = "status-available"
	DefaultOfflineStatus   = "status-offline"
	// DefaultBreakStatus is the default configuration's CUSTOM status, "Break".
	DefaultBreakStatus = "status-break"
	// DefaultAttribute is the predefined attribute of the default configuration.
	DefaultAttribute = "Language"
)

// DefaultConfig returns the built-in configuration of "routesim emulate" without -config:
// one instance (ID DefaultInstanceID, alias routesim-instance) with one hours of operation
// (Basic Hours) and two queues (sales, support), a flow into each plus one into support with
// priority 1 and a 60 s age adjustment, one routing profile serving both queues on VOICE, CHAT
// and TASK (sales first), a predefined attribute Language (English, French, Spanish), three
// agents (offline until PutUserStatus) with proficiencies in it (agent-1 English 5; agent-2
// English 3 and French 4; agent-3 Spanish 2), the two agent statuses and a CUSTOM one
// ("Break"), one security profile ("Agent"), no credentials (any request is accepted), no
// throttling and no faults.
func DefaultConfig() Config {
	var entries []routing.ProfileQueueConfig
	for _, ch := range []contact.Channel{contact.Voice, contact.Chat, contact.Task} {
		entries = append(entries,
			routing.ProfileQueueConfig{QueueID: DefaultSalesQueueID, Channel: ch, Priority: 1},
			routing.ProfileQueueConfig{QueueID: DefaultSupportQueueID, Channel: ch, Priority: 2})
	}
	cfg := Config{Instances: []InstanceConfig{{
		InstanceConfig: routing.InstanceConfig{
			ID: DefaultInstanceID,
			Queues: []routing.QueueConfig{
				{ID: DefaultSalesQueueID, Name: "Sales", HoursOfOperationID: DefaultHoursID},
				{ID: DefaultSupportQueueID, Name: "Support", HoursOfOperationID: DefaultHoursID},
			},
			RoutingProfiles: []routing.ProfileConfig{{
				ID: DefaultProfileID, Name: "All queues", Queues: entries,
				Description: "Every queue, sales first", DefaultOutboundQueueID: DefaultSalesQueueID,
				AgentAvailabilityTimer: routing.TimerLastActivity,
				Concurrency:            map[contact.Channel]int{contact.Voice: 1, contact.Chat: 2, contact.Task: 2},
			}},
			PredefinedAttributes: []routing.AttributeConfig{
				{Name: DefaultAttribute, Values: []string{"English", "French", "Spanish"}},
			},
			Agents: []routing.AgentConfig{
				{ID: "agent-1", RoutingProfileID: DefaultProfileID, Proficiencies: []routing.ProficiencyConfig{
					{AttributeName: DefaultAttribute, AttributeValue: "English", Level: 5}}},
				{ID: "agent-2", RoutingProfileID: DefaultProfileID, Proficiencies: []routing.ProficiencyConfig{
					{AttributeName: DefaultAttribute, AttributeValue: "English", Level: 3},
					{AttributeName: DefaultAttribute, AttributeValue: "French", Level: 4}}},
				{ID: "agent-3", RoutingProfileID: DefaultProfileID, Proficiencies: []routing.ProficiencyConfig{
					{AttributeName: DefaultAttribute, AttributeValue: "Spanish", Level: 2}}},
			},
		},
		Flows: []FlowConfig{
			{ID: DefaultSalesFlowID, QueueID: DefaultSalesQueueID},
			{ID: DefaultSupportFlowID, QueueID: DefaultSupportQueueID},
			{ID: DefaultUrgentFlowID, QueueID: DefaultSupportQueueID, Priority: 1, AgeAdjustmentSeconds: 60},
		},
		AgentStatuses: AgentStatusConfig{Available: DefaultAvailableStatus, Offline: DefaultOfflineStatus,
			Custom: []CustomStatusConfig{{ID: DefaultBreakStatus, Name: "Break"}}},
		SecurityProfiles: []SecurityProfileConfig{{ID: DefaultSecurityProfileID, Name: "Agent"}},
		Alias:            DefaultInstanceAlias,
		HoursOfOperations: []HoursOfOperationConfig{{ID: DefaultHoursID, Name: DefaultHoursName,
			Description: "Open all the time: routesim does not model opening hours", TimeZone: "UTC"}},
	}}}
	cfg.Normalize()
	return cfg
}
