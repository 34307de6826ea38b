package connectapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/jsonnames"
	"github.com/routesim/routesim/routing"
)

// ErrInvalidConfig is wrapped by every configuration error; match it with errors.Is.
var ErrInvalidConfig = errors.New("connectapi: invalid configuration")

// ConfigError names the configuration field that is wrong, as a path such as
// "instances[0].flows[1].queueId", and why.
type ConfigError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("connectapi: invalid configuration: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

func configErr(field, format string, args ...any) error {
	return &ConfigError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Config is the emulator's configuration, read from JSON with LoadConfig. Field names in JSON
// are lowerCamelCase; unknown fields are an error. The zero value has no instance and is
// invalid.
type Config struct {
	// Region is the AWS region in the ARNs the emulator reports; default "us-east-1". Requests
	// signed for any region are accepted.
	Region string `json:"region,omitempty"`
	// AccountID is the account in the ARNs the emulator reports; default "123456789012".
	AccountID string `json:"accountId,omitempty"`
	// Instances are the Amazon Connect instances served; at least one.
	Instances []InstanceConfig `json:"instances"`
	// Credentials, when not empty, are the only keys whose SigV4 signatures are accepted;
	// when empty, any request is accepted, signed or not.
	Credentials []Credential `json:"credentials,omitempty"`
	// Throttle limits the request rate per operation; nil means no limit.
	Throttle *ThrottleConfig `json:"throttle,omitempty"`
	// Faults injects InternalServiceException into a share of calls; nil means none.
	Faults *FaultConfig `json:"faults,omitempty"`
}

// InstanceConfig describes one instance: its routing configuration (queues, routing
// profiles, agents, as routing.InstanceConfig), plus the contact flows, the agent status
// IDs and the after-contact work that only the API needs.
type InstanceConfig struct {
	routing.InstanceConfig
	// Flows are the contact flows StartTaskContact and StartChatContact name.
	Flows []FlowConfig `json:"flows"`
	// AgentStatuses are the agent status IDs PutUserStatus accepts; both required.
	AgentStatuses AgentStatusConfig `json:"agentStatuses"`
	// AfterContactWorkSeconds is how long an agent stays in after-contact work after
	// StopContact ends a contact it was handling; 0 frees the agent at once.
	AfterContactWorkSeconds int `json:"afterContactWorkSeconds,omitempty"`
	// Alias is the instance's readable name (Connect's InstanceAlias); optional. Requests
	// name the instance by its ID or ARN, not by its alias.
	Alias string `json:"alias,omitempty"`
	// HoursOfOperations are listed by ListHoursOfOperations; CreateQueue's
	// HoursOfOperationId and a queue's hoursOfOperationId must name one.
	HoursOfOperations []HoursOfOperationConfig `json:"hoursOfOperations,omitempty"`
	// SecurityProfiles are the security profiles CreateUser may name and
	// ListSecurityProfiles lists; routesim keeps them and enforces no permission. Empty
	// means one, DefaultSecurityProfileID named "Agent".
	SecurityProfiles []SecurityProfileConfig `json:"securityProfiles,omitempty"`
}

// SecurityProfileConfig is a security profile: an ID and a name, both required and unique.
type SecurityProfileConfig struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// FlowConfig describes a contact flow: it puts the contact into a queue, optionally setting
// its initial priority and routing-age adjustment (the "Set routing priority / age" block)
// and its routing criteria (the "Set routing criteria" block).
type FlowConfig struct {
	// ID is the ContactFlowId; required, unique within the instance.
	ID string `json:"id"`
	// Name is the flow's name as ListContactFlows reports it (unique within the instance
	// where set); absent, the ID.
	Name string `json:"name,omitempty"`
	// QueueID names the queue the flow puts the contact into; required.
	QueueID string `json:"queueId"`
	// Priority is the initial QueuePriority, >= 1; 0 or absent means the default, 5.
	Priority int64 `json:"priority,omitempty"`
	// AgeAdjustmentSeconds is the initial routing-age adjustment; may be negative.
	AgeAdjustmentSeconds int32 `json:"ageAdjustmentSeconds,omitempty"`
	// RoutingCriteria, when set, are the routing criteria every contact started through the
	// flow carries from its arrival, step 1 active. The object is the API's
	// RoutingCriteriaInput verbatim (Steps, Expiry.DurationInSeconds, Expression, ...), so
	// that what a flow or a Lambda sets can be pasted; it must name the instance's predefined
	// attributes, their values and its agents.
	RoutingCriteria *routing.RoutingCriteriaInput `json:"routingCriteria,omitempty"`
}

// AgentStatusConfig names the two agent statuses PutUserStatus understands.
type AgentStatusConfig struct {
	// Available is the AgentStatusId that makes an agent available.
	Available string `json:"available"`
	// Offline is the AgentStatusId that makes an agent offline.
	Offline string `json:"offline"`
	// Custom are CUSTOM statuses (breaks, training, ...) at start: an agent in one takes no
	// contact. CreateAgentStatus adds more at run time.
	Custom []CustomStatusConfig `json:"custom,omitempty"`
}

// CustomStatusConfig is a CUSTOM agent status: an ID and a name (1..127 characters), both
// unique among the instance's statuses.
type CustomStatusConfig struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Credential is an access key whose signatures the emulator accepts.
type Credential struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
}

// ThrottleConfig limits requests per operation with a token bucket: Rate requests per second
// refill it, Burst is its size. Each operation has its own bucket; Operations overrides the
// limit for the operations it names.
type ThrottleConfig struct {
	// Rate is in requests per second; 0 means no limit.
	Rate float64 `json:"rate"`
	// Burst is the bucket size, >= 1 when Rate > 0.
	Burst int `json:"burst"`
	// Operations overrides Rate and Burst per operation name, such as
	// "UpdateContactRoutingData".
	Operations map[string]RateLimit `json:"operations,omitempty"`
}

// RateLimit is one operation's limit.
type RateLimit struct {
	Rate  float64 `json:"rate"`
	Burst int     `json:"burst"`
}

// FaultConfig injects faults: a share Rate (0..1) of calls answers 500
// InternalServiceException and changes nothing. Seed makes the sequence repeatable.
type FaultConfig struct {
	Rate float64 `json:"rate"`
	Seed uint64  `json:"seed"`
}

// Defaults filled in by Normalize.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "123456789012"
)

// LoadConfig reads a JSON configuration from r, rejecting unknown fields (the error names
// the field; names are case-sensitive) and trailing data, and validates it. It returns an
// error wrapping ErrInvalidConfig.
func LoadConfig(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	var cfg Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%w: data after the JSON object", ErrInvalidConfig)
	}
	// encoding/json matches names regardless of case; a configuration file should not.
	var unknown *jsonnames.Error
	if err := jsonnames.Check(data, reflect.TypeFor[Config]()); errors.As(err, &unknown) {
		return Config{}, configErr(unknown.Path, "unknown field %q (names are case-sensitive)", unknown.Name)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	cfg.Normalize()
	return cfg, nil
}

// describeJSONError makes a JSON decoding error name the field and the position.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		return fmt.Errorf("field %q: JSON %s cannot be %s", typ.Field, typ.Value, typ.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("empty or truncated JSON")
	}
	return err
}

// Normalize fills in the defaults of Region and AccountID.
func (c *Config) Normalize() {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
}

// JSON returns the configuration as indented JSON, as LoadConfig reads it.
func (c *Config) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		panic(fmt.Sprintf("connectapi: internal error: encoding config: %v", err)) // plain data
	}
	return buf.Bytes()
}

var (
	regionRE  = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
)

// Validate checks the whole configuration and returns the first error, a *ConfigError naming
// its field. It checks the routing part by building each instance.
func (c *Config) Validate() error {
	if c.Region != "" && !regionRE.MatchString(c.Region) {
		return configErr("region", "%q is not a region name", c.Region)
	}
	if c.AccountID != "" && !accountRE.MatchString(c.AccountID) {
		return configErr("accountId", "%q is not a 12-digit account ID", c.AccountID)
	}
	if len(c.Instances) == 0 {
		return configErr("instances", "at least one instance is required")
	}
	ids := make(map[string]bool, len(c.Instances))
	for i := range c.Instances {
		f := fmt.Sprintf("instances[%d]", i)
		in := &c.Instances[i]
		if err := in.validate(f); err != nil {
			return err
		}
		if ids[in.ID] {
			return configErr(f+".id", "duplicate instance id %q", in.ID)
		}
		ids[in.ID] = true
	}
	if err := validateCredentials(c.Credentials); err != nil {
		return err
	}
	if err := c.Throttle.validate(); err != nil {
		return err
	}
	return c.Faults.validate()
}

func (in *InstanceConfig) validate(f string) error {
	if len(in.ID) > maxInstanceID {
		return configErr(f+".id", "longer than %d characters", maxInstanceID)
	}
	built, err := routing.NewInstance(in.InstanceConfig, routing.NewManualClock(epoch))
	if err != nil {
		var ce *routing.ConfigError
		if errors.As(err, &ce) {
			return configErr(f+"."+ce.Field, "%s", ce.Reason)
		}
		return configErr(f, "%v", err)
	}
	queues := make(map[string]bool, len(in.Queues))
	for _, q := range in.Queues {
		queues[q.ID] = true
	}
	flows := make(map[string]bool, len(in.Flows))
	flowNames := make(map[string]bool, len(in.Flows))
	for j, fl := range in.Flows {
		g := fmt.Sprintf("%s.flows[%d]", f, j)
		switch {
		case fl.ID == "":
			return configErr(g+".id", "must not be empty")
		case len(fl.ID) > maxFlowID:
			return configErr(g+".id", "longer than %d characters", maxFlowID)
		case flows[fl.ID]:
			return configErr(g+".id", "duplicate flow id %q", fl.ID)
		case fl.Name != "" && flowNames[fl.Name]:
			return configErr(g+".name", "duplicate flow name %q", fl.Name)
		case !queues[fl.QueueID]:
			return configErr(g+".queueId", "unknown queue %q", fl.QueueID)
		case fl.Priority < 0:
			return configErr(g+".priority", "%d is out of range %d..%d", fl.Priority, contact.MinPriority, contact.MaxPriority)
		}
		if fl.RoutingCriteria != nil {
			if err := validateFlowCriteria(built, fl.RoutingCriteria, g+".routingCriteria"); err != nil {
				return err
			}
		}
		flows[fl.ID] = true
		flowNames[fl.Name] = fl.Name != ""
	}
	if err := in.validateHours(f); err != nil {
		return err
	}
	st := in.AgentStatuses
	switch {
	case st.Available == "":
		return configErr(f+".agentStatuses.available", "must not be empty")
	case st.Offline == "":
		return configErr(f+".agentStatuses.offline", "must not be empty")
	case st.Available == st.Offline:
		return configErr(f+".agentStatuses", "available and offline are both %q", st.Available)
	case in.AfterContactWorkSeconds < 0 || in.AfterContactWorkSeconds > math.MaxInt32:
		return configErr(f+".afterContactWorkSeconds", "%d is out of range 0..%d", in.AfterContactWorkSeconds, math.MaxInt32)
	}
	return in.validateUsersConfig(f)
}

func validateCredentials(creds []Credential) error {
	keys := make(map[string]bool, len(creds))
	for i, c := range creds {
		f := fmt.Sprintf("credentials[%d]", i)
		switch {
		case c.AccessKeyID == "":
			return configErr(f+".accessKeyId", "must not be empty")
		case c.SecretAccessKey == "":
			return configErr(f+".secretAccessKey", "must not be empty")
		case keys[c.AccessKeyID]:
			return configErr(f+".accessKeyId", "duplicate access key %q", c.AccessKeyID)
		}
		keys[c.AccessKeyID] = true
	}
	return nil
}

func (t *ThrottleConfig) validate() error {
	if t == nil {
		return nil
	}
	if err := (RateLimit{t.Rate, t.Burst}).validate("throttle"); err != nil {
		return err
	}
	for op, l := range t.Operations {
		f := fmt.Sprintf("throttle.operations[%s]", op)
		if _, ok := operationNames[op]; !ok {
			return configErr(f, "unknown operation %q", op)
		}
		if err := l.validate(f); err != nil {
			return err
		}
	}
	return nil
}

func (l RateLimit) validate(f string) error {
	switch {
	case math.IsNaN(l.Rate) || l.Rate < 0 || math.IsInf(l.Rate, 0):
		return configErr(f+".rate", "%v is not a rate >= 0", l.Rate)
	case l.Burst < 0:
		return configErr(f+".burst", "%d is negative", l.Burst)
	case l.Rate > 0 && l.Burst < 1:
		return configErr(f+".burst", "must be at least 1 when rate > 0")
	}
	return nil
}

func (fc *FaultConfig) validate() error {
	if fc == nil {
		return nil
	}
	if math.IsNaN(fc.Rate) || fc.Rate < 0 || fc.Rate > 1 {
		return configErr("faults.rate", "%v is out of range 0..1", fc.Rate)
	}
	return nil
}
