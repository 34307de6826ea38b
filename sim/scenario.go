package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/jsonnames"
	"github.com/routesim/routesim/routing"
)

// Scenario describes a contact centre and its demand for one simulation: the queues, routing
// profiles and agent groups of the centre, the classes of contacts and the rules that change
// their routing while they wait, the arrival streams (or a trace to replay), and the run
// (horizon, warm-up, replications, seed). The README's "Scenario files" section documents every field with an
// example; JSON names are lowerCamelCase and durations are seconds or strings such as "15m".
//
// A Scenario is plain data: build one in Go or decode one with LoadScenario or
// DecodeScenario, then call Validate (Run and RunReplication do). It is not modified by a run
// and may be shared by concurrent runs.
type Scenario struct {
	// Name labels the scenario in reports; optional.
	Name string `json:"name,omitempty"`
	// Horizon is the simulated time of one replication; required.
	Horizon Duration `json:"horizon"`
	// Warmup is the start of each replication whose contacts are left out of the figures
	// (they still load the centre); 0 by default, less than Horizon.
	Warmup Duration `json:"warmup,omitempty"`
	// Interval is the length of a reporting and rate interval; 15 minutes by default.
	Interval Duration `json:"interval,omitempty"`
	// Cycle is the period after which rates, staffing and shifts repeat (a day); 24 hours by
	// default, a whole number of Intervals. Per-interval figures are per interval of the
	// cycle: a 30-day run reports 08:00-08:15 over its 30 days.
	Cycle Duration `json:"cycle,omitempty"`
	// Replications is how many independent replications Run makes; 10 by default.
	Replications int `json:"replications,omitempty"`
	// Seed seeds every random stream (see the package doc); 0 is a valid seed.
	Seed uint64 `json:"seed,omitempty"`
	// Start is the wall-clock instant of simulated time 0, in RFC 3339
	// ("2024-01-01T00:00:00Z", the default, a Monday at midnight UTC). The simulation does
	// not read it; it dates the contact records "routesim run -records-out" writes, and
	// "routesim fit" sets it to the midnight (in its -tz) where its rates start. StartTime
	// parses it.
	Start string `json:"start,omitempty"`
	// DemandCV, when positive, makes demand uncertain: each replication draws a busyness
	// factor, gamma-distributed with mean 1 and this coefficient of variation, that
	// multiplies every arrival stream's rates for the whole replication (as SSJ
	// ContactCenters does), so that the figures carry the variance of days busier or quieter
	// than the forecast. 0, the default, is the forecast exactly. Trace rows are not scaled.
	DemandCV float64 `json:"demandCV,omitempty"`
	// ServiceLevel lists the thresholds t at which the service level, the share of contacts
	// answered within t, is reported; [20s] by default.
	ServiceLevel []Duration `json:"serviceLevel,omitempty"`

	// Queues are the routing queues; at least one.
	Queues []routing.QueueConfig `json:"queues"`
	// RoutingProfiles say which queues agents serve, at which priority and after which delay,
	// exactly as routing.ProfileConfig; at least one.
	RoutingProfiles []routing.ProfileConfig `json:"routingProfiles"`
	// AgentGroups are the agents, by group; at least one.
	AgentGroups []AgentGroup `json:"agentGroups"`
	// Classes are the contact classes: initial priority and age adjustment, and timed rules.
	// A stream or trace row that names no class gets the built-in class "default"
	// (priority 5, no adjustment, no rules).
	Classes []Class `json:"classes,omitempty"`
	// Arrivals are the Poisson arrival streams.
	Arrivals []Arrivals `json:"arrivals,omitempty"`
	// Trace, when set, replays contacts from a CSV file, alongside any Arrivals.
	Trace *Trace `json:"trace,omitempty"`
	// PredefinedAttributes, when given, declare the predefined attributes (a name and its
	// values, as routing.AttributeConfig) that agent groups' proficiencies and classes'
	// routing criteria may name, and every use is checked against them. Without them the
	// attributes are implied by use: every (name, value) a proficiency or a criteria
	// condition names exists.
	PredefinedAttributes []routing.AttributeConfig `json:"predefinedAttributes,omitempty"`

	// dir is the directory relative trace paths are resolved against.
	dir string
}

// AgentGroup is a number of agents with the same routing profile, shift schedule and
// after-contact work.
type AgentGroup struct {
	// ID names the group; required, unique. Its agents are "ID-1" .. "ID-Count".
	ID string `json:"id"`
	// Count is the number of agents; 0 is allowed (a what-if may empty a group).
	Count int `json:"count"`
	// RoutingProfileID names the agents' routing profile; required.
	RoutingProfileID string `json:"routingProfileId"`
	// Shifts, when given, are the windows of each cycle during which the group is on duty;
	// without Shifts and Staffing the group is on duty all the time.
	Shifts []Shift `json:"shifts,omitempty"`
	// Staffing, when given, is the number of agents on duty in each interval of the cycle
	// (one entry per interval, each 0..Count): agents 1..n are on duty, the others offline.
	// At most one of Shifts and Staffing.
	Staffing []int `json:"staffing,omitempty"`
	// AfterContactWork is the after-contact work following each contact an agent of the
	// group completes; none when nil.
	AfterContactWork *Dist `json:"afterContactWork,omitempty"`
	// Proficiencies are every agent's of the group, in the API's UserProficiency JSON
	// ({"AttributeName": "Language", "AttributeValue": "French", "Level": 3}): a whole level
	// 1..5 in one value of one predefined attribute, at most
	// routing.MaxAgentProficiencies, each (name, value) once. Routing criteria match them.
	Proficiencies []routing.Proficiency `json:"proficiencies,omitempty"`
	// ClassTimes override, for the contacts of a class that an agent of this group takes,
	// the handle time drawn on arrival and the group's after-contact work (cross-trained
	// agents slower outside their main skill). See ClassTimes.
	ClassTimes []ClassTimes `json:"classTimes,omitempty"`
}

// Shift is a window of the cycle, [Start, End), during which a group is on duty. End may
// pass the end of the cycle (a night shift wraps to the next cycle's start) but the window
// is at most one cycle long.
type Shift struct {
	Start Duration `json:"start"`
	End   Duration `json:"end"`
}

// Class is a class of contacts: the routing priority and age adjustment the "Set routing
// priority / age" flow block gives it, and timed rules applied while it waits.
type Class struct {
	// ID names the class; required, unique.
	ID string `json:"id"`
	// Priority is the initial QueuePriority, 1 routed first; 5 (contact.DefaultPriority) when 0.
	Priority int64 `json:"priority,omitempty"`
	// AgeAdjustment is the initial routing-age adjustment (may be negative).
	AgeAdjustment Duration `json:"ageAdjustment,omitempty"`
	// Rules change the contact's routing data after given times in queue, as a Lambda calling
	// UpdateContactRoutingData would. They fire in order of After (ties: as listed).
	Rules []Rule `json:"rules,omitempty"`
	// RoutingCriteria, when set, are the routing criteria every contact of the class carries
	// from its arrival, as a flow's "Set routing criteria" block sets them before "Transfer
	// to queue", in the API's RoutingCriteria JSON
	// ({"Steps": [{"Expression": {...}, "Expiry": {"DurationInSeconds": 30}}]}): step 1 is
	// active from arrival. They are checked as routing.ValidateRoutingCriteria does, against
	// the predefined attributes and the agents ("group-1" ...).
	RoutingCriteria *routing.RoutingCriteriaInput `json:"routingCriteria,omitempty"`
	// AtCapacity is the flow's at-capacity branch: the queue that a contact of the class goes
	// to when the queue it arrives in, is transferred to or calls back into is full (its
	// maxContacts reached); "" blocks it. See flows.go.
	AtCapacity string `json:"atCapacity,omitempty"`
}

// Rule is a timed routing update: after After in queue, if the contact still waits, set its
// priority or add to its routing age, or replace its routing criteria, or both, as
// UpdateContactRoutingData does. At most one of SetPriority and AddAge is set, and at least
// one of the three; or, alone, TransferTo or Callback (see flows.go).
type Rule struct {
	After       Duration  `json:"after"`
	SetPriority *int64    `json:"setPriority,omitempty"`
	AddAge      *Duration `json:"addAge,omitempty"`
	// SetRoutingCriteria, in the API's RoutingCriteria JSON, replaces the contact's routing
	// criteria, step 1 active from the time of the rule (routing.Instance.UpdateRoutingCriteria).
	SetRoutingCriteria *routing.RoutingCriteriaInput `json:"setRoutingCriteria,omitempty"`
	// TransferTo names a queue: after After, a contact still waiting is transferred there
	// (see flows.go).
	TransferTo string `json:"transferTo,omitempty"`
	// Callback offers a contact still waiting after After a queued callback (see
	// flows.go).
	Callback *Callback `json:"callback,omitempty"`
}

// ClassWeight is one entry of a class mix.
type ClassWeight struct {
	Class  string  `json:"class"`
	Weight float64 `json:"weight"`
}

// Arrivals is a Poisson stream of contacts into one queue on one channel, with a
// piecewise-constant rate per interval of the cycle.
type Arrivals struct {
	// Queue names the queue; required.
	Queue string `json:"queue"`
	// Channel is VOICE (the default), CHAT, TASK or EMAIL.
	Channel contact.Channel `json:"channel,omitempty"`
	// RatePerHour is a constant arrival rate, contacts per hour.
	RatePerHour float64 `json:"ratePerHour,omitempty"`
	// RatesPerHour gives a rate per interval of the cycle (one entry per interval) instead.
	// Exactly one of RatePerHour and RatesPerHour.
	RatesPerHour []float64 `json:"ratesPerHour,omitempty"`
	// Class names the class of every contact; or Classes gives a weighted mix. At most one;
	// neither means the class "default".
	Class   string        `json:"class,omitempty"`
	Classes []ClassWeight `json:"classes,omitempty"`
	// HandleTime is the time an agent spends on a contact; required.
	HandleTime Dist `json:"handleTime"`
	// Patience is how long a contact waits before it abandons; nil means it never does.
	Patience *Dist `json:"patience,omitempty"`
	// Redial, when set, makes contacts of this stream that abandon call again. See Redial.
	Redial *Redial `json:"redial,omitempty"`
}

// Trace replays contacts from a CSV file. The first row names the columns: arrival (seconds
// since the start), queue, handle (seconds) are required; channel (default VOICE),
// priority (default: the class's), patience (seconds; empty: never abandons) and class
// (default "default") are optional. Rows must be in order of arrival.
type Trace struct {
	// File is the CSV path, relative to the scenario file's directory.
	File string `json:"file"`
}

// ErrInvalidScenario is wrapped by every scenario error; use errors.As with *ScenarioError to
// read the field.
var ErrInvalidScenario = errors.New("sim: invalid scenario")

// ScenarioError names the scenario field that is wrong as a path such as
// "agentGroups[1].count", and why.
type ScenarioError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ScenarioError) Error() string {
	if e.Field == "" {
		return "sim: invalid scenario: " + e.Reason
	}
	return "sim: invalid scenario: " + e.Field + ": " + e.Reason
}

// Is reports whether target is ErrInvalidScenario.
func (e *ScenarioError) Is(target error) bool { return target == ErrInvalidScenario }

func fieldErr(field, format string, args ...any) error {
	return &ScenarioError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// LoadScenario reads and validates a scenario file. Relative trace paths are resolved
// against the file's directory. Errors wrap ErrInvalidScenario and name the field, or are
// the file system's.
func LoadScenario(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc, err := DecodeScenario(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sc.dir = filepath.Dir(path)
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sc, nil
}

// DecodeScenario reads a scenario as JSON, rejecting unknown fields (names are
// case-sensitive). It does not validate it beyond the JSON types; call Validate. An unknown
// field or a type error names the field's path.
func DecodeScenario(r io.Reader) (*Scenario, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var unknown *jsonnames.Error
	if err := jsonnames.Check(b, reflect.TypeFor[Scenario]()); errors.As(err, &unknown) {
		return nil, fieldErr(unknown.Path, "unknown field %q (names are case-sensitive)", unknown.Name)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	sc := new(Scenario)
	if err := dec.Decode(sc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fieldErr(te.Field, "%v", err)
		}
		return nil, &ScenarioError{Reason: err.Error()}
	}
	if dec.More() {
		return nil, &ScenarioError{Reason: "trailing data after the scenario object"}
	}
	return sc, nil
}

// SetDir sets the directory that relative trace paths are resolved against (LoadScenario
// sets it to the file's directory; by default it is the working directory).
func (sc *Scenario) SetDir(dir string) { sc.dir = dir }

func (sc *Scenario) tracePath() string {
	if sc.Trace == nil || filepath.IsAbs(sc.Trace.File) || sc.dir == "" {
		if sc.Trace == nil {
			return ""
		}
		return sc.Trace.File
	}
	return filepath.Join(sc.dir, sc.Trace.File)
}
