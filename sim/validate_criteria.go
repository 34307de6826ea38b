package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/routesim/routesim/routing"
)

// attrUses collects the predefined attributes a scenario uses, in order of first use, and
// checks each use against the declared attributes (declared not nil) or, implied by use,
// against the limits of a predefined attribute.
type attrUses struct {
	sc       *Scenario
	declared map[string]map[string]bool
	names    []string
	values   map[string][]string
}

// HasValue implements routing.AttributeCatalog: a declared value, or any value when the
// attributes are implied by use.
func (u *attrUses) HasValue(name, value string) bool {
	return u.declared == nil || u.declared[name][value]
}

// HasAgent implements routing.AttributeCatalog: the agents are "ID-1" .. "ID-Count" of
// each group. The cost is O(groups).
func (u *attrUses) HasAgent(id string) bool {
	for _, g := range u.sc.AgentGroups {
		rest, ok := strings.CutPrefix(id, g.ID+"-")
		if !ok {
			continue
		}
		if k, err := strconv.Atoi(rest); err == nil && k >= 1 && k <= g.Count && strconv.Itoa(k) == rest {
			return true
		}
	}
	return false
}

// use checks one use of (name, value) at field path f (the path of the object holding
// them) and records it; nameField and valueField are the member names.
func (u *attrUses) use(name, value, f, nameField, valueField string) error {
	if u.declared != nil {
		switch {
		case u.declared[name] == nil:
			return fieldErr(f+"."+nameField, "unknown predefined attribute %q (predefinedAttributes declares the attributes)", name)
		case !u.declared[name][value]:
			return fieldErr(f+"."+valueField, "%q is not a value of predefined attribute %q", value, name)
		}
		return nil
	}
	switch {
	case name == "":
		return fieldErr(f+"."+nameField, "must not be empty")
	case len(name) > routing.MaxAttributeNameLen:
		return fieldErr(f+"."+nameField, "is %d bytes long; at most %d", len(name), routing.MaxAttributeNameLen)
	case strings.HasPrefix(name, "aws:") || strings.HasPrefix(name, "connect:"):
		return fieldErr(f+"."+nameField, "%q starts with aws: or connect:, which predefined attributes may not", name)
	case value == "":
		return fieldErr(f+"."+valueField, "must not be empty")
	case len(value) > routing.MaxAttributeValueLen:
		return fieldErr(f+"."+valueField, "is %d bytes long; at most %d", len(value), routing.MaxAttributeValueLen)
	}
	vs, seen := u.values[name]
	if !seen {
		if len(u.names) == routing.MaxPredefinedAttributes {
			return fieldErr(f+"."+nameField, "%q would be predefined attribute %d; at most %d", name, len(u.names)+1, routing.MaxPredefinedAttributes)
		}
		u.names = append(u.names, name)
	}
	if !slices.Contains(vs, value) {
		if len(vs) == routing.MaxAttributeValues {
			return fieldErr(f+"."+valueField, "%q would be value %d of predefined attribute %q; at most %d", value, len(vs)+1, name, routing.MaxAttributeValues)
		}
		u.values[name] = append(vs, value)
	}
	return nil
}

// attributes returns the predefined attributes of the instance: the declared ones, or those
// implied by use.
func (u *attrUses) attributes() []routing.AttributeConfig {
	if u.declared != nil {
		return u.sc.PredefinedAttributes
	}
	out := make([]routing.AttributeConfig, len(u.names))
	for i, n := range u.names {
		out[i] = routing.AttributeConfig{Name: n, Values: u.values[n]}
	}
	return out
}

// newAttrUses returns the uses of an empty scenario; the declared attributes have been
// checked (validateCentre).
func newAttrUses(sc *Scenario) *attrUses {
	u := &attrUses{sc: sc, values: map[string][]string{}}
	if sc.PredefinedAttributes != nil {
		u.declared = make(map[string]map[string]bool, len(sc.PredefinedAttributes))
		for _, a := range sc.PredefinedAttributes {
			u.declared[a.Name] = make(map[string]bool, len(a.Values))
			for _, v := range a.Values {
				u.declared[a.Name][v] = true
			}
		}
	}
	return u
}

// validateCriteria checks the agent groups' proficiencies and the classes' and rules'
// routing criteria against the predefined attributes.
func (sc *Scenario) validateCriteria() error {
	_, err := sc.collectAttributes()
	return err
}

// collectAttributes checks every proficiency and routing criteria and returns the predefined
// attributes the routing instance gets.
func (sc *Scenario) collectAttributes() ([]routing.AttributeConfig, error) {
	u := newAttrUses(sc)
	for i := range sc.AgentGroups {
		if err := u.proficiencies(sc.AgentGroups[i].Proficiencies, fmt.Sprintf("agentGroups[%d].proficiencies", i)); err != nil {
			return nil, err
		}
	}
	for i := range sc.Classes {
		c := &sc.Classes[i]
		f := fmt.Sprintf("classes[%d]", i)
		if c.RoutingCriteria != nil {
			if err := u.criteria(c.RoutingCriteria, f+".routingCriteria"); err != nil {
				return nil, err
			}
		}
		for j := range c.Rules {
			if rc := c.Rules[j].SetRoutingCriteria; rc != nil {
				if err := u.criteria(rc, fmt.Sprintf("%s.rules[%d].setRoutingCriteria", f, j)); err != nil {
					return nil, err
				}
			}
		}
	}
	return u.attributes(), nil
}

func (u *attrUses) proficiencies(ps []routing.Proficiency, f string) error {
	if len(ps) > routing.MaxAgentProficiencies {
		return fieldErr(f, "%d proficiencies; at most %d", len(ps), routing.MaxAgentProficiencies)
	}
	for j, p := range ps {
		g := fmt.Sprintf("%s[%d]", f, j)
		if err := u.use(p.AttributeName, p.AttributeValue, g, "AttributeName", "AttributeValue"); err != nil {
			return err
		}
		if l := p.Level; l != math.Trunc(l) || l < routing.MinProficiencyLevel || l > routing.MaxProficiencyLevel {
			return fieldErr(g+".Level", "%v is not a whole level %d..%d", l, routing.MinProficiencyLevel, routing.MaxProficiencyLevel)
		}
		for k := range j {
			if ps[k].AttributeName == p.AttributeName && ps[k].AttributeValue == p.AttributeValue {
				return fieldErr(g, "proficiency %s=%s appears twice (also at [%d])", p.AttributeName, p.AttributeValue, k)
			}
		}
	}
	return nil
}

// criteria checks rc as the routing core does (routing.ValidateRoutingCriteria, whose field
// paths start "RoutingCriteria") and records the attributes its conditions name.
func (u *attrUses) criteria(rc *routing.RoutingCriteriaInput, f string) error {
	if err := routing.ValidateRoutingCriteria(rc, u); err != nil {
		var ip *routing.InvalidParameterException
		if errors.As(err, &ip) {
			field, reason, ok := strings.Cut(ip.Message, ": ")
			if rest, cut := strings.CutPrefix(field, "RoutingCriteria"); ok && cut {
				return fieldErr(f+rest, "%s", reason)
			}
		}
		return fieldErr(f, "%v", err)
	}
	for i := range rc.Steps {
		if err := u.expression(rc.Steps[i].Expression, fmt.Sprintf("%s.Steps[%d].Expression", f, i)); err != nil {
			return err
		}
	}
	return nil
}

// expression records the attributes an expression's conditions name (it has been checked).
func (u *attrUses) expression(x *routing.Expression, f string) error {
	cond := func(c *routing.AttributeCondition, g string) error {
		if c.MatchCriteria != nil {
			return nil
		}
		return u.use(c.Name, c.Value, g, "Name", "Value")
	}
	switch {
	case x.AttributeCondition != nil:
		return cond(x.AttributeCondition, f+".AttributeCondition")
	case x.NotAttributeCondition != nil:
		return cond(x.NotAttributeCondition, f+".NotAttributeCondition")
	}
	list, name := x.AndExpression, "AndExpression"
	if list == nil {
		list, name = x.OrExpression, "OrExpression"
	}
	for i := range list {
		if err := u.expression(&list[i], fmt.Sprintf("%s.%s[%d]", f, name, i)); err != nil {
			return err
		}
	}
	return nil
}

// Attributes returns the predefined attributes of a validated scenario's routing instance:
// PredefinedAttributes when given, else those implied by use, in order of first use. It
// returns the validation error of a bad proficiency or criteria. The cost is linear in the
// size of the proficiencies and criteria.
func (sc *Scenario) Attributes() ([]routing.AttributeConfig, error) {
	return sc.collectAttributes()
}
