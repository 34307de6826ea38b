package routing

import (
	"errors"
	"fmt"
	"time"

	"github.com/routesim/routesim/contact"
)

// ErrInvalidConfig is wrapped by every configuration error; match it with errors.Is, or use
// errors.As with *ConfigError to read the field.
var ErrInvalidConfig = errors.New("routing: invalid configuration")

// ConfigError names the configuration field that is wrong, as a path such as
// "routingProfiles[1].queues[0].delaySeconds", and why.
type ConfigError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("routing: invalid configuration: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

func configErr(field, format string, args ...any) error {
	return &ConfigError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Limits of routing profiles, as Amazon Connect sets them.
const (
	MinProfilePriority = 1
	MaxProfilePriority = 99
	MaxProfileDelay    = 9999 * time.Second
	MaxConcurrency     = 10
	// DefaultRetainEnded is how many ended contacts an instance keeps for DescribeContact
	// when InstanceConfig.RetainEnded is 0.
	DefaultRetainEnded = 100_000
)

// InstanceConfig describes one contact-centre instance: its queues, routing profiles and
// agents. Field names in JSON are lowerCamelCase.
type InstanceConfig struct {
	// ID identifies the instance; required.
	ID string `json:"id"`
	// Queues are the routing queues.
	Queues []QueueConfig `json:"queues"`
	// RoutingProfiles say which queues agents serve, in which order and after which delay.
	RoutingProfiles []ProfileConfig `json:"routingProfiles"`
	// Agents start offline; SetAgentState makes them available.
	Agents []AgentConfig `json:"agents"`
	// PredefinedAttributes are the attributes agents' proficiencies and contacts' routing
	// criteria may name; CreatePredefinedAttribute and friends change them at run time.
	PredefinedAttributes []AttributeConfig `json:"predefinedAttributes,omitempty"`
	// RetainEnded is how many ended contacts are kept so that DescribeContact still finds
	// them (and UpdateContactRoutingData answers ResourceConflictException rather than
	// ResourceNotFoundException): 0 means DefaultRetainEnded, negative means none, which is
	// what a long simulation wants so that memory does not grow with the horizon.
	RetainEnded int `json:"retainEnded,omitempty"`
	// History, when not nil, keeps the aggregated history that historical metrics
	// (GetMetricDataV2) read; see HistoryConfig and Instance.History. nil keeps none, which
	// is what a simulation wants.
	History *HistoryConfig `json:"history,omitempty"`
	// Observer, when not nil, is told of every change; see Observer.
	Observer Observer `json:"-"`
}

// QueueConfig describes a queue.
type QueueConfig struct {
	// ID identifies the queue within the instance; required.
	ID string `json:"id"`
	// Name is a display name; optional. CreateQueue and UpdateQueueName keep names unique.
	Name string `json:"name,omitempty"`
	// Description, HoursOfOperationID and Tags are kept and reported (DescribeQueue); they
	// do not affect routing.
	Description        string            `json:"description,omitempty"`
	HoursOfOperationID string            `json:"hoursOfOperationId,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	// Status is ENABLED (the default when empty) or DISABLED: a DISABLED queue takes no new
	// contacts or transfers; those waiting in it stay and are still routed.
	Status QueueStatus `json:"status,omitempty"`
	// MaxContacts, when set, is how many contacts may wait in the queue (all channels
	// together) before it is full: a start or transfer into a full queue is refused. Nil
	// means no limit; 0 refuses every contact.
	MaxContacts *int `json:"maxContacts,omitempty"`
}

// ProfileConfig describes a routing profile.
type ProfileConfig struct {
	// ID identifies the profile within the instance; required.
	ID string `json:"id"`
	// Name is a display name; optional.
	Name string `json:"name,omitempty"`
	// Queues lists the (queue, channel) pairs the profile serves. A profile without queues
	// (as CreateRoutingProfile and DisassociateRoutingProfileQueues may leave one) is valid:
	// its agents take nothing until queues are associated.
	Queues []ProfileQueueConfig `json:"queues"`
	// Concurrency gives, per channel the profile handles, how many contacts of it an agent
	// takes at once: VOICE 1, CHAT, TASK and EMAIL 1..10. A channel that a queue entry uses
	// and that is missing here gets 1.
	Concurrency map[contact.Channel]int `json:"concurrency,omitempty"`
	// CrossChannel, when true, lets an agent busy on one channel be offered others (Connect's
	// cross-channel concurrency). By default an agent busy on one channel is offered only it.
	CrossChannel bool `json:"crossChannel,omitempty"`
	// RouteAnyChannel lists the channels whose contacts let their agent be offered other
	// channels (the API's CrossChannelBehavior ROUTE_ANY_CHANNEL, per channel): an agent
	// busy only on channels listed here may be offered any channel. CrossChannel lists all.
	RouteAnyChannel []contact.Channel `json:"routeAnyChannel,omitempty"`
	// AgentAvailabilityTimer decides what "idle longest" counts from: TimerLastActivity
	// (the default, also when empty) counts from the agent's last contact or status change
	// to available; TimerLastInbound from the end of its last contact only.
	AgentAvailabilityTimer string `json:"agentAvailabilityTimer,omitempty"`
	// Description and DefaultOutboundQueueID are kept and reported, not used for routing;
	// DefaultOutboundQueueID, when set, must name a queue of the instance.
	Description            string `json:"description,omitempty"`
	DefaultOutboundQueueID string `json:"defaultOutboundQueueId,omitempty"`
}

// Agent availability timers of a routing profile (the API's AgentAvailabilityTimer).
const (
	TimerLastActivity = "TIME_SINCE_LAST_ACTIVITY"
	TimerLastInbound  = "TIME_SINCE_LAST_INBOUND"
)

// ProfileQueueConfig is one entry of a routing profile.
type ProfileQueueConfig struct {
	// QueueID names a queue of the instance.
	QueueID string `json:"queueId"`
	// Channel is VOICE, CHAT, TASK or EMAIL.
	Channel contact.Channel `json:"channel"`
	// Priority is 1..99; lower is served first.
	Priority int `json:"priority"`
	// DelaySeconds is 0..9999: a contact becomes eligible for agents of this profile only once
	// its real time in queue reaches it.
	DelaySeconds int `json:"delaySeconds,omitempty"`
}

// AgentConfig describes an agent.
type AgentConfig struct {
	// ID identifies the agent within the instance; required.
	ID string `json:"id"`
	// RoutingProfileID names the agent's routing profile; required.
	RoutingProfileID string `json:"routingProfileId"`
	// Proficiencies are the agent's proficiencies at start, each naming a predefined
	// attribute and one of its values; at most MaxAgentProficiencies.
	Proficiencies []ProficiencyConfig `json:"proficiencies,omitempty"`
}

// AttributeConfig declares a predefined attribute: a name and its values.
type AttributeConfig struct {
	// Name is 1..MaxAttributeNameLen bytes and does not start with "aws:" or "connect:".
	Name string `json:"name"`
	// Values are 1..MaxAttributeValues distinct values of 1..MaxAttributeValueLen bytes.
	Values []string `json:"values"`
}

// ProficiencyConfig is one proficiency of an agent.
type ProficiencyConfig struct {
	// AttributeName and AttributeValue name a declared predefined attribute and one of its
	// values.
	AttributeName  string `json:"attributeName"`
	AttributeValue string `json:"attributeValue"`
	// Level is a whole level 1..5.
	Level float64 `json:"level"`
}

// validate checks the configuration and returns the first error, naming its field.
func (cfg *InstanceConfig) validate() error {
	if cfg.ID == "" {
		return configErr("id", "must not be empty")
	}
	if cfg.History != nil {
		if err := cfg.History.validate(); err != nil {
			return err
		}
	}
	queues := make(map[string]bool, len(cfg.Queues))
	names := make(map[string]bool, len(cfg.Queues))
	for i, q := range cfg.Queues {
		f := fmt.Sprintf("queues[%d].id", i)
		switch {
		case q.ID == "":
			return configErr(f, "must not be empty")
		case queues[q.ID]:
			return configErr(f, "duplicate queue id %q", q.ID)
		}
		if field, msg := q.check(); msg != "" {
			return configErr(fmt.Sprintf("queues[%d].%s", i, field), "%s", msg)
		}
		if q.Name != "" && names[q.Name] {
			return configErr(fmt.Sprintf("queues[%d].name", i), "duplicate queue name %q", q.Name)
		}
		names[q.Name] = true
		queues[q.ID] = true
	}
	profiles := make(map[string]bool, len(cfg.RoutingProfiles))
	for i := range cfg.RoutingProfiles {
		p := &cfg.RoutingProfiles[i]
		f := fmt.Sprintf("routingProfiles[%d]", i)
		switch {
		case p.ID == "":
			return configErr(f+".id", "must not be empty")
		case profiles[p.ID]:
			return configErr(f+".id", "duplicate routing profile id %q", p.ID)
		}
		profiles[p.ID] = true
		if err := p.validate(f, queues); err != nil {
			return err
		}
	}
	attrs, err := cfg.validateAttributes()
	if err != nil {
		return err
	}
	agents := make(map[string]bool, len(cfg.Agents))
	for i, a := range cfg.Agents {
		f := fmt.Sprintf("agents[%d]", i)
		switch {
		case a.ID == "":
			return configErr(f+".id", "must not be empty")
		case agents[a.ID]:
			return configErr(f+".id", "duplicate agent id %q", a.ID)
		case !profiles[a.RoutingProfileID]:
			return configErr(f+".routingProfileId", "unknown routing profile %q", a.RoutingProfileID)
		}
		agents[a.ID] = true
		if err := validateProfConfigs(a.Proficiencies, attrs, f+".proficiencies"); err != nil {
			return err
		}
	}
	return nil
}

// validateAttributes checks the predefined attributes and returns their values by name.
func (cfg *InstanceConfig) validateAttributes() (map[string]map[string]bool, error) {
	if len(cfg.PredefinedAttributes) > MaxPredefinedAttributes {
		return nil, configErr("predefinedAttributes", "%d attributes; at most %d", len(cfg.PredefinedAttributes), MaxPredefinedAttributes)
	}
	attrs := make(map[string]map[string]bool, len(cfg.PredefinedAttributes))
	for i, a := range cfg.PredefinedAttributes {
		f := fmt.Sprintf("predefinedAttributes[%d]", i)
		if msg := checkAttrName(a.Name); msg != "" {
			return nil, configErr(f+".name", "%s", msg)
		}
		if attrs[a.Name] != nil {
			return nil, configErr(f+".name", "duplicate predefined attribute %q", a.Name)
		}
		if field, msg := checkAttrValues(a.Values); msg != "" {
			return nil, configErr(f+".values"+field, "%s", msg)
		}
		attrs[a.Name] = make(map[string]bool, len(a.Values))
		for _, v := range a.Values {
			attrs[a.Name][v] = true
		}
	}
	return attrs, nil
}

func validateProfConfigs(ps []ProficiencyConfig, attrs map[string]map[string]bool, f string) error {
	if len(ps) > MaxAgentProficiencies {
		return configErr(f, "%d proficiencies; at most %d", len(ps), MaxAgentProficiencies)
	}
	seen := make(map[[2]string]bool, len(ps))
	for j, p := range ps {
		g := fmt.Sprintf("%s[%d]", f, j)
		k := [2]string{p.AttributeName, p.AttributeValue}
		switch {
		case attrs[p.AttributeName] == nil:
			return configErr(g+".attributeName", "unknown predefined attribute %q", p.AttributeName)
		case !attrs[p.AttributeName][p.AttributeValue]:
			return configErr(g+".attributeValue", "%q is not a value of predefined attribute %q", p.AttributeValue, p.AttributeName)
		case seen[k]:
			return configErr(g, "proficiency %s=%s appears twice", p.AttributeName, p.AttributeValue)
		}
		if _, err := checkLevel(&p.Level, g+".level"); err != nil {
			return configErr(g+".level", "%v is not a whole level %d..%d", p.Level, MinProficiencyLevel, MaxProficiencyLevel)
		}
		seen[k] = true
	}
	return nil
}

func (p *ProfileConfig) validate(f string, queues map[string]bool) error {
	return p.validateBody(f, queues)
}

// validateBody checks everything of a profile.
func (p *ProfileConfig) validateBody(f string, queues map[string]bool) error {
	switch {
	case p.AgentAvailabilityTimer != "" && p.AgentAvailabilityTimer != TimerLastActivity && p.AgentAvailabilityTimer != TimerLastInbound:
		return configErr(f+".agentAvailabilityTimer", "%q is not %s or %s", p.AgentAvailabilityTimer, TimerLastActivity, TimerLastInbound)
	case p.DefaultOutboundQueueID != "" && !queues[p.DefaultOutboundQueueID]:
		return configErr(f+".defaultOutboundQueueId", "unknown queue %q", p.DefaultOutboundQueueID)
	}
	for j, ch := range p.RouteAnyChannel {
		if !ch.Valid() {
			return configErr(fmt.Sprintf("%s.routeAnyChannel[%d]", f, j), "%q is not VOICE, CHAT, TASK or EMAIL", ch)
		}
	}
	type pair struct {
		q  string
		ch contact.Channel
	}
	seen := make(map[pair]bool, len(p.Queues))
	for j, e := range p.Queues {
		g := fmt.Sprintf("%s.queues[%d]", f, j)
		switch {
		case !queues[e.QueueID]:
			return configErr(g+".queueId", "unknown queue %q", e.QueueID)
		case !e.Channel.Valid():
			return configErr(g+".channel", "%q is not VOICE, CHAT, TASK or EMAIL", e.Channel)
		case seen[pair{e.QueueID, e.Channel}]:
			return configErr(g, "queue %q with channel %s appears twice", e.QueueID, e.Channel)
		case e.Priority < MinProfilePriority || e.Priority > MaxProfilePriority:
			return configErr(g+".priority", "%d is out of range %d..%d", e.Priority, MinProfilePriority, MaxProfilePriority)
		case e.DelaySeconds < 0 || time.Duration(e.DelaySeconds)*time.Second > MaxProfileDelay:
			return configErr(g+".delaySeconds", "%d is out of range 0..%d", e.DelaySeconds, int(MaxProfileDelay/time.Second))
		}
		seen[pair{e.QueueID, e.Channel}] = true
	}
	for ch, n := range p.Concurrency {
		g := fmt.Sprintf("%s.concurrency[%s]", f, ch)
		switch {
		case !ch.Valid():
			return configErr(g, "%q is not VOICE, CHAT, TASK or EMAIL", ch)
		case ch == contact.Voice && n != 1:
			return configErr(g, "%d; VOICE concurrency must be 1", n)
		case n < 1 || n > MaxConcurrency:
			return configErr(g, "%d is out of range 1..%d", n, MaxConcurrency)
		}
	}
	return nil
}
