package routing

import (
	"fmt"
	"math"
	"time"
)

// Limits of routing criteria and proficiencies. The level range, the value counts and the
// name lengths are the API model's and the admin guide's; MaxCriteriaSteps,
// MaxStepConditions and MaxExpressionDepth are routesim's (Connect publishes none; see the
// package doc).
const (
	// MinProficiencyLevel and MaxProficiencyLevel bound a proficiency level; only whole
	// levels 1, 2, 3, 4 and 5 are valid, sent as floats 1.0 … 5.0.
	MinProficiencyLevel = 1
	MaxProficiencyLevel = 5
	// MaxCriteriaSteps is the most steps a RoutingCriteria may have.
	MaxCriteriaSteps = 10
	// MaxStepConditions is the most attribute conditions (AttributeCondition and
	// NotAttributeCondition leaves) one step's expression may hold.
	MaxStepConditions = 20
	// MaxExpressionDepth is how deep And/Or expressions may nest: 1 is a lone condition,
	// 2 an And or Or of conditions, 3 an Or of Ands (or an And of Ors).
	MaxExpressionDepth = 3
	// MaxAgentIDs is the most agent IDs one AgentsCriteria may list.
	MaxAgentIDs = 100
)

// Comparison operators of an AttributeCondition.
const (
	// OpGreaterOrEqual compares an agent's level with ProficiencyLevel: the agent matches
	// when its level is at least ProficiencyLevel.
	OpGreaterOrEqual = "NumberGreaterOrEqualTo"
	// OpRange matches an agent whose level lies in Range, bounds included.
	OpRange = "Range"
	// OpMatch matches the agents MatchCriteria.AgentsCriteria.AgentIds lists.
	OpMatch = "Match"
)

// StepStatus is the status of one step of a contact's routing criteria, as DescribeContact
// reports it.
type StepStatus string

// Step statuses (the API's RoutingCriteriaStepStatus).
const (
	// StepActive: the step restricts who may take the contact now.
	StepActive StepStatus = "ACTIVE"
	// StepInactive: the step has not started yet.
	StepInactive StepStatus = "INACTIVE"
	// StepJoined: an agent matching the step took the contact while the step was active.
	StepJoined StepStatus = "JOINED"
	// StepExpired: the step's duration passed without a join.
	StepExpired StepStatus = "EXPIRED"
)

// RoutingCriteriaInput mirrors the API's RoutingCriteriaInput: the routing criteria a flow's
// "Set routing criteria" block, a Lambda or UpdateContactRoutingData sets on a contact. Its
// JSON is the API's, so that a RoutingCriteria object from a flow decodes verbatim. The
// zero value has no steps and is invalid.
type RoutingCriteriaInput struct {
	// Steps are tried in order; 1..MaxCriteriaSteps of them.
	Steps []RoutingCriteriaInputStep `json:"Steps"`
}

// RoutingCriteriaInputStep mirrors the API's RoutingCriteriaInputStep.
type RoutingCriteriaInputStep struct {
	// Expiry, when it has a DurationInSeconds, makes the step give way to the next after
	// that long without a join; without one the step never expires.
	Expiry *RoutingCriteriaInputStepExpiry `json:"Expiry,omitempty"`
	// Expression says which agents may take the contact while the step is active; required.
	Expression *Expression `json:"Expression,omitempty"`
}

// RoutingCriteriaInputStepExpiry mirrors the API's RoutingCriteriaInputStepExpiry.
type RoutingCriteriaInputStepExpiry struct {
	// DurationInSeconds is how long the step stays active without a join, >= 0; nil means
	// never.
	DurationInSeconds *int32 `json:"DurationInSeconds,omitempty"`
}

// Expression mirrors the API's Expression, a tagged union: exactly one member is set.
type Expression struct {
	// AttributeCondition is a single condition.
	AttributeCondition *AttributeCondition `json:"AttributeCondition,omitempty"`
	// AndExpression matches agents that match every one of its expressions (at least one).
	AndExpression []Expression `json:"AndExpression,omitempty"`
	// OrExpression matches agents that match at least one of its expressions (at least one).
	OrExpression []Expression `json:"OrExpression,omitempty"`
	// NotAttributeCondition matches agents that do not satisfy the condition, including
	// agents without the proficiency at all.
	NotAttributeCondition *AttributeCondition `json:"NotAttributeCondition,omitempty"`
}

// AttributeCondition mirrors the API's AttributeCondition. It is one of two kinds:
//   - a proficiency condition: Name and Value name a predefined attribute and one of its
//     values, and either ProficiencyLevel (ComparisonOperator NumberGreaterOrEqualTo) or
//     Range (ComparisonOperator Range or empty) bounds the agent's level;
//   - an agents condition: MatchCriteria.AgentsCriteria.AgentIds lists agents (preferred
//     agents), ComparisonOperator is Match or empty, and the other members are empty.
type AttributeCondition struct {
	Name               string         `json:"Name,omitempty"`
	Value              string         `json:"Value,omitempty"`
	ProficiencyLevel   *float64       `json:"ProficiencyLevel,omitempty"`
	Range              *Range         `json:"Range,omitempty"`
	MatchCriteria      *MatchCriteria `json:"MatchCriteria,omitempty"`
	ComparisonOperator string         `json:"ComparisonOperator,omitempty"`
}

// Range mirrors the API's Range: both bounds are required, whole levels 1..5, Min <= Max.
type Range struct {
	MinProficiencyLevel *float64 `json:"MinProficiencyLevel,omitempty"`
	MaxProficiencyLevel *float64 `json:"MaxProficiencyLevel,omitempty"`
}

// MatchCriteria mirrors the API's MatchCriteria.
type MatchCriteria struct {
	AgentsCriteria *AgentsCriteria `json:"AgentsCriteria,omitempty"`
}

// AgentsCriteria mirrors the API's AgentsCriteria: the agents (user IDs) a step prefers.
// As the API reference says, an agent listed must still serve the contact's queue through
// its routing profile to be offered the contact.
type AgentsCriteria struct {
	AgentIds []string `json:"AgentIds,omitempty"`
}

// RoutingCriteria mirrors the API's RoutingCriteria: a contact's latest criteria, as
// DescribeContact returns them.
type RoutingCriteria struct {
	Steps []Step `json:"Steps"`
	// ActivationTimestamp is when the criteria became active: the contact's enqueue time
	// for criteria set when it started, the time of the call for criteria set by
	// UpdateContactRoutingData.
	ActivationTimestamp *time.Time `json:"ActivationTimestamp,omitempty"`
	// Index counts the criteria set on the contact before these: 0 for the first.
	Index *int32 `json:"Index,omitempty"`
}

// Step mirrors the API's Step.
type Step struct {
	Expiry     *Expiry     `json:"Expiry,omitempty"`
	Expression *Expression `json:"Expression,omitempty"`
	Status     StepStatus  `json:"Status"`
}

// Expiry mirrors the API's Expiry. ExpiryTimestamp is set for a step with a duration that
// has started (ACTIVE, JOINED or EXPIRED): the time it started plus its duration.
type Expiry struct {
	DurationInSeconds *int32     `json:"DurationInSeconds,omitempty"`
	ExpiryTimestamp   *time.Time `json:"ExpiryTimestamp,omitempty"`
}

// AttributeCatalog tells ValidateRoutingCriteria which predefined attributes, values and
// agents exist. A nil catalog checks only the structure.
type AttributeCatalog interface {
	// HasValue reports whether the predefined attribute name exists and has value.
	HasValue(name, value string) bool
	// HasAgent reports whether the agent exists.
	HasAgent(id string) bool
}

// ValidateRoutingCriteria checks rc as UpdateContactRoutingData and StartContact do: 1 to
// MaxCriteriaSteps steps; each with an Expression that is a well-formed tagged union of at
// most MaxStepConditions conditions nested at most MaxExpressionDepth deep; each condition
// of one kind (see AttributeCondition) with whole levels 1..5 and the operator its kind
// allows; a DurationInSeconds >= 0; and, when cat is not nil, attributes, values and agents
// that exist. The error is an *InvalidParameterException whose message starts with the
// field path, e.g. "RoutingCriteria.Steps[1].Expression.AndExpression[0].AttributeCondition.ProficiencyLevel".
// The cost is O(size of rc).
func ValidateRoutingCriteria(rc *RoutingCriteriaInput, cat AttributeCatalog) error {
	const f = "RoutingCriteria"
	if rc == nil {
		return fieldErr(f, "is required")
	}
	switch n := len(rc.Steps); {
	case n == 0:
		return fieldErr(f+".Steps", "must hold at least one step")
	case n > MaxCriteriaSteps:
		return fieldErr(f+".Steps", "holds %d steps; at most %d", n, MaxCriteriaSteps)
	}
	for i := range rc.Steps {
		s := &rc.Steps[i]
		g := fmt.Sprintf("%s.Steps[%d]", f, i)
		if s.Expiry != nil && s.Expiry.DurationInSeconds != nil && *s.Expiry.DurationInSeconds < 0 {
			return fieldErr(g+".Expiry.DurationInSeconds", "%d is negative", *s.Expiry.DurationInSeconds)
		}
		if s.Expression == nil {
			return fieldErr(g+".Expression", "is required")
		}
		v := exprValidator{cat: cat}
		if err := v.expr(s.Expression, g+".Expression", 1); err != nil {
			return err
		}
	}
	return nil
}

// exprValidator walks one step's expression, counting its conditions.
type exprValidator struct {
	cat   AttributeCatalog
	conds int
}

func (v *exprValidator) expr(e *Expression, f string, depth int) error {
	set := 0
	if e.AttributeCondition != nil {
		set++
	}
	if e.NotAttributeCondition != nil {
		set++
	}
	if e.AndExpression != nil {
		set++
	}
	if e.OrExpression != nil {
		set++
	}
	if set != 1 {
		return fieldErr(f, "must set exactly one of AttributeCondition, AndExpression, OrExpression and NotAttributeCondition; %d are set", set)
	}
	switch {
	case e.AttributeCondition != nil:
		return v.cond(e.AttributeCondition, f+".AttributeCondition")
	case e.NotAttributeCondition != nil:
		return v.cond(e.NotAttributeCondition, f+".NotAttributeCondition")
	case e.AndExpression != nil:
		return v.list(e.AndExpression, f+".AndExpression", depth)
	}
	return v.list(e.OrExpression, f+".OrExpression", depth)
}

func (v *exprValidator) list(es []Expression, f string, depth int) error {
	if len(es) == 0 {
		return fieldErr(f, "must hold at least one expression")
	}
	if depth+1 > MaxExpressionDepth {
		return fieldErr(f, "nests expressions %d deep; at most %d", depth+1, MaxExpressionDepth)
	}
	for i := range es {
		if err := v.expr(&es[i], fmt.Sprintf("%s[%d]", f, i), depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (v *exprValidator) cond(c *AttributeCondition, f string) error {
	v.conds++
	if v.conds > MaxStepConditions {
		return fieldErr(f, "is condition %d of the step; at most %d", v.conds, MaxStepConditions)
	}
	if c.MatchCriteria != nil {
		return v.agentsCond(c, f)
	}
	switch {
	case c.Name == "":
		return fieldErr(f+".Name", "is required")
	case len(c.Name) > MaxAttributeNameLen:
		return fieldErr(f+".Name", "is %d bytes long; at most %d", len(c.Name), MaxAttributeNameLen)
	case c.Value == "":
		return fieldErr(f+".Value", "is required")
	case len(c.Value) > MaxAttributeValueLen:
		return fieldErr(f+".Value", "is %d bytes long; at most %d", len(c.Value), MaxAttributeValueLen)
	case v.cat != nil && !v.cat.HasValue(c.Name, c.Value):
		return fieldErr(f+".Value", "%q is not a value of predefined attribute %q", c.Value, c.Name)
	case c.ProficiencyLevel != nil && c.Range != nil:
		return fieldErr(f, "sets both ProficiencyLevel and Range")
	case c.ProficiencyLevel != nil:
		if c.ComparisonOperator != OpGreaterOrEqual {
			return fieldErr(f+".ComparisonOperator", "is %q; a ProficiencyLevel condition needs %s", c.ComparisonOperator, OpGreaterOrEqual)
		}
		_, err := checkLevel(c.ProficiencyLevel, f+".ProficiencyLevel")
		return err
	case c.Range != nil:
		return checkRange(c, f)
	}
	return fieldErr(f+".ProficiencyLevel", "is required (or Range, or MatchCriteria)")
}

func checkRange(c *AttributeCondition, f string) error {
	if c.ComparisonOperator != "" && c.ComparisonOperator != OpRange {
		return fieldErr(f+".ComparisonOperator", "is %q; a Range condition needs %s or none", c.ComparisonOperator, OpRange)
	}
	lo, err := checkLevel(c.Range.MinProficiencyLevel, f+".Range.MinProficiencyLevel")
	if err != nil {
		return err
	}
	hi, err := checkLevel(c.Range.MaxProficiencyLevel, f+".Range.MaxProficiencyLevel")
	if err != nil {
		return err
	}
	if lo > hi {
		return fieldErr(f+".Range", "MinProficiencyLevel %d is above MaxProficiencyLevel %d", lo, hi)
	}
	return nil
}

func (v *exprValidator) agentsCond(c *AttributeCondition, f string) error {
	switch {
	case c.Name != "" || c.Value != "" || c.ProficiencyLevel != nil || c.Range != nil:
		return fieldErr(f+".MatchCriteria", "cannot be combined with Name, Value, ProficiencyLevel or Range")
	case c.ComparisonOperator != "" && c.ComparisonOperator != OpMatch:
		return fieldErr(f+".ComparisonOperator", "is %q; a MatchCriteria condition needs %s or none", c.ComparisonOperator, OpMatch)
	case c.MatchCriteria.AgentsCriteria == nil:
		return fieldErr(f+".MatchCriteria.AgentsCriteria", "is required")
	}
	ids := c.MatchCriteria.AgentsCriteria.AgentIds
	g := f + ".MatchCriteria.AgentsCriteria.AgentIds"
	switch {
	case len(ids) == 0:
		return fieldErr(g, "must list at least one agent")
	case len(ids) > MaxAgentIDs:
		return fieldErr(g, "lists %d agents; at most %d", len(ids), MaxAgentIDs)
	}
	for i, id := range ids {
		if id == "" || v.cat != nil && !v.cat.HasAgent(id) {
			return fieldErr(fmt.Sprintf("%s[%d]", g, i), "agent %q not found", id)
		}
	}
	return nil
}

// checkLevel returns the whole level *p, or the error naming field f.
func checkLevel(p *float64, f string) (int, error) {
	if p == nil {
		return 0, fieldErr(f, "is required")
	}
	l := *p
	if l != math.Trunc(l) || l < MinProficiencyLevel || l > MaxProficiencyLevel {
		return 0, fieldErr(f, "%v is not a whole level %d..%d", l, MinProficiencyLevel, MaxProficiencyLevel)
	}
	return int(l), nil
}

// fieldErr is an InvalidParameterException whose message starts with the field path.
func fieldErr(field, format string, args ...any) error {
	return &InvalidParameterException{Message: field + ": " + fmt.Sprintf(format, args...)}
}
