package routing_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// validConfig returns a configuration that AddInstance accepts; each case of
// TestAddInstanceConfigErrors breaks one field of it.
func validConfig() routing.InstanceConfig {
	return routing.InstanceConfig{
		ID:     "inst",
		Queues: queues("q1", "q2"),
		RoutingProfiles: []routing.ProfileConfig{
			{ID: "p1", Queues: []routing.ProfileQueueConfig{entry("q1", voiceCh, 1, 0), entry("q2", chatCh, 99, 9999)},
				Concurrency: map[contact.Channel]int{contact.Voice: 1, contact.Chat: 10}},
			{ID: "p2", Queues: []routing.ProfileQueueConfig{entry("q2", voiceCh, 5, 30)}},
		},
		Agents: agents("a1:p1", "a2:p2"),
	}
}

func TestAddInstanceConfigErrors(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(c *routing.InstanceConfig)
		wantField string // "" means valid
	}{
		{"valid, at every limit", func(c *routing.InstanceConfig) {}, ""},
		{"empty instance id", func(c *routing.InstanceConfig) { c.ID = "" }, "id"},
		{"empty queue id", func(c *routing.InstanceConfig) { c.Queues[1].ID = "" }, "queues[1].id"},
		{"duplicate queue id", func(c *routing.InstanceConfig) { c.Queues[1].ID = "q1" }, "queues[1].id"},
		{"empty profile id", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].ID = "" }, "routingProfiles[0].id"},
		{"duplicate profile id", func(c *routing.InstanceConfig) { c.RoutingProfiles[1].ID = "p1" }, "routingProfiles[1].id"},
		{"unknown queue", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Queues[1].QueueID = "q9" },
			"routingProfiles[0].queues[1].queueId"},
		{"bad channel", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Queues[0].Channel = "SMS" },
			"routingProfiles[0].queues[0].channel"},
		{"queue and channel twice", func(c *routing.InstanceConfig) {
			c.RoutingProfiles[0].Queues[1] = entry("q1", voiceCh, 2, 0)
		}, "routingProfiles[0].queues[1]"},
		{"priority 0", func(c *routing.InstanceConfig) { c.RoutingProfiles[1].Queues[0].Priority = 0 },
			"routingProfiles[1].queues[0].priority"},
		{"priority 100", func(c *routing.InstanceConfig) { c.RoutingProfiles[1].Queues[0].Priority = 100 },
			"routingProfiles[1].queues[0].priority"},
		{"negative delay", func(c *routing.InstanceConfig) { c.RoutingProfiles[1].Queues[0].DelaySeconds = -1 },
			"routingProfiles[1].queues[0].delaySeconds"},
		{"delay 10000 s", func(c *routing.InstanceConfig) { c.RoutingProfiles[1].Queues[0].DelaySeconds = 10000 },
			"routingProfiles[1].queues[0].delaySeconds"},
		{"voice concurrency 2", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Concurrency[contact.Voice] = 2 },
			"routingProfiles[0].concurrency[VOICE]"},
		{"chat concurrency 0", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Concurrency[contact.Chat] = 0 },
			"routingProfiles[0].concurrency[CHAT]"},
		{"chat concurrency 11", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Concurrency[contact.Chat] = 11 },
			"routingProfiles[0].concurrency[CHAT]"},
		{"concurrency of a bad channel", func(c *routing.InstanceConfig) { c.RoutingProfiles[0].Concurrency["SMS"] = 1 },
			"routingProfiles[0].concurrency[SMS]"},
		{"empty agent id", func(c *routing.InstanceConfig) { c.Agents[0].ID = "" }, "agents[0].id"},
		{"duplicate agent id", func(c *routing.InstanceConfig) { c.Agents[1].ID = "a1" }, "agents[1].id"},
		{"unknown routing profile", func(c *routing.InstanceConfig) { c.Agents[1].RoutingProfileID = "p9" },
			"agents[1].routingProfileId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.edit(&cfg)
			svc := routing.NewService()
			in, err := svc.AddInstance(cfg)
			if tt.wantField == "" {
				require.NoError(t, err, "AddInstance = %v, %v; want an instance, nil", in, err)
				require.NotNil(t, in, "AddInstance = nil, nil; want an instance")
				return
			}
			checkConfigError(t, err, tt.wantField)
			assert.Nil(t, in, "AddInstance returned instance %v with error", in)
			_, ok := svc.Instance(cfg.ID)
			assert.False(t, ok, "Instance(%q) found after a failed AddInstance", cfg.ID)
		})
	}
}

func checkConfigError(t *testing.T, err error, wantField string) {
	t.Helper()
	require.ErrorIs(t, err, routing.ErrInvalidConfig, "err = %v; want one wrapping ErrInvalidConfig", err)
	var ce *routing.ConfigError
	require.ErrorAs(t, err, &ce, "err = %T; want *ConfigError", err)
	assert.Equal(t, wantField, ce.Field, "Field = %q; want %q (%v)", ce.Field, wantField, err)
	assert.NotEmpty(t, ce.Reason, "Error() = %q; want a reason", err)
	assert.True(t, strings.HasPrefix(err.Error(), "routing: "), "Error() = %q; want the prefix routing: ", err)
	assert.Contains(t, err.Error(), wantField, "Error() = %q; want the field %q", err, wantField)
}

func TestAddInstanceDuplicateID(t *testing.T) {
	svc := routing.NewService()
	first, err := svc.AddInstance(validConfig())
	require.NoError(t, err)
	_, err = svc.AddInstance(validConfig())
	checkConfigError(t, err, "id")
	got, ok := svc.Instance("inst")
	assert.True(t, ok, "Instance(inst) not found; want the first instance %p", first)
	assert.Same(t, first, got, "Instance(inst) = %p; want the first instance %p", got, first)
}

func TestNewInstanceNilClock(t *testing.T) {
	_, err := routing.NewInstance(validConfig(), nil)
	checkConfigError(t, err, "clock")
}
