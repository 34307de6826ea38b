package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// attrDef is a predefined attribute of an instance.
type attrDef struct {
	name     string
	values   []string // in the order given
	set      map[string]bool
	modified time.Time
}

// putAttr creates or replaces a predefined attribute; the values have been checked.
func (in *Instance) putAttr(name string, values []string, now time.Time) {
	d := &attrDef{name: name, values: slices.Clone(values), set: make(map[string]bool, len(values)), modified: now}
	for _, v := range values {
		d.set[v] = true
	}
	if in.attrs == nil {
		in.attrs = make(map[string]*attrDef)
	}
	in.attrs[name] = d
	in.attrGen++
}

// catalog is the instance as an AttributeCatalog; the instance's lock must be held.
type catalog struct{ in *Instance }

func (c catalog) HasValue(name, value string) bool {
	d := c.in.attrs[name]
	return d != nil && d.set[value]
}

func (c catalog) HasAgent(id string) bool { _, ok := c.in.agents[id]; return ok }

// checkAttrName returns why name cannot name a predefined attribute, or "".
func checkAttrName(name string) string {
	switch {
	case name == "":
		return "must not be empty"
	case len(name) > MaxAttributeNameLen:
		return fmt.Sprintf("is %d bytes long; at most %d", len(name), MaxAttributeNameLen)
	case strings.HasPrefix(name, "aws:") || strings.HasPrefix(name, "connect:"):
		return fmt.Sprintf("%q starts with aws: or connect:", name)
	}
	return ""
}

// checkAttrValues returns the path below Values and why values cannot be a predefined
// attribute's, or "", "".
func checkAttrValues(values []string) (string, string) {
	switch n := len(values); {
	case n == 0:
		return "", "must hold at least one value"
	case n > MaxAttributeValues:
		return "", fmt.Sprintf("holds %d values; at most %d", n, MaxAttributeValues)
	}
	seen := make(map[string]bool, len(values))
	for i, v := range values {
		f := fmt.Sprintf("[%d]", i)
		switch {
		case v == "":
			return f, "must not be empty"
		case len(v) > MaxAttributeValueLen:
			return f, fmt.Sprintf("is %d bytes long; at most %d", len(v), MaxAttributeValueLen)
		case seen[v]:
			return f, fmt.Sprintf("value %q appears twice", v)
		}
		seen[v] = true
	}
	return "", ""
}

func checkAttribute(a PredefinedAttribute) error {
	if msg := checkAttrName(a.Name); msg != "" {
		return fieldErr("Name", "%s", msg)
	}
	if f, msg := checkAttrValues(a.Values.StringList); msg != "" {
		return fieldErr("Values.StringList"+f, "%s", msg)
	}
	return nil
}

// CreatePredefinedAttribute adds a predefined attribute. Errors: *InvalidParameterException
// naming the bad field (name or values empty, too long, duplicated, over
// MaxAttributeValues, or a name starting with "aws:" or "connect:"),
// *DuplicateResourceException for a name in use, *LimitExceededException past
// MaxPredefinedAttributes. A failed call changes nothing. The cost is O(v) for v values.
func (in *Instance) CreatePredefinedAttribute(a PredefinedAttribute) error {
	now := in.lock()
	defer in.mu.Unlock()
	if err := checkAttribute(a); err != nil {
		return err
	}
	switch {
	case in.attrs[a.Name] != nil:
		return &DuplicateResourceException{Message: fmt.Sprintf("predefined attribute %q already exists in instance %q", a.Name, in.id)}
	case len(in.attrs) >= MaxPredefinedAttributes:
		return &LimitExceededException{Message: fmt.Sprintf("instance %q has %d predefined attributes; at most %d", in.id, len(in.attrs), MaxPredefinedAttributes)}
	}
	in.putAttr(a.Name, a.Values.StringList, now)
	return nil
}

// DescribePredefinedAttribute returns a predefined attribute, its values in the order given.
// Error: *ResourceNotFoundException. The cost is O(v).
func (in *Instance) DescribePredefinedAttribute(name string) (PredefinedAttribute, error) {
	in.lock()
	defer in.mu.Unlock()
	d := in.attrs[name]
	if d == nil {
		return PredefinedAttribute{}, notFound("predefined attribute %q not found in instance %q", name, in.id)
	}
	return d.describe(), nil
}

func (d *attrDef) describe() PredefinedAttribute {
	t := d.modified
	return PredefinedAttribute{Name: d.name, Values: PredefinedAttributeValues{StringList: slices.Clone(d.values)}, LastModifiedTime: &t}
}

// PredefinedAttributes returns every predefined attribute of the instance, by name. The cost
// is O(k log k + total values) for k attributes.
func (in *Instance) PredefinedAttributes() []PredefinedAttribute {
	in.lock()
	defer in.mu.Unlock()
	out := make([]PredefinedAttribute, 0, len(in.attrs))
	for _, d := range in.attrs {
		out = append(out, d.describe())
	}
	slices.SortFunc(out, func(a, b PredefinedAttribute) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// UpdatePredefinedAttribute replaces the values of a predefined attribute. A value that an
// agent's proficiency or a waiting contact's criteria uses cannot be dropped. Errors:
// *ResourceNotFoundException, *InvalidParameterException (as for Create, or a value in use).
// A failed call changes nothing. The cost is O(v + a·p + n·s) for a agents of p
// proficiencies and n waiting contacts of s criteria conditions.
func (in *Instance) UpdatePredefinedAttribute(a PredefinedAttribute) error {
	now := in.lock()
	defer in.mu.Unlock()
	d := in.attrs[a.Name]
	if d == nil {
		return notFound("predefined attribute %q not found in instance %q", a.Name, in.id)
	}
	if err := checkAttribute(a); err != nil {
		return err
	}
	for _, v := range d.values {
		if slices.Contains(a.Values.StringList, v) {
			continue
		}
		if who := in.userOf(a.Name, v); who != "" {
			return fieldErr("Values.StringList", "drops value %q, which %s uses", v, who)
		}
	}
	in.putAttr(a.Name, a.Values.StringList, now)
	return nil
}

// DeletePredefinedAttribute deletes a predefined attribute. Errors: *ResourceNotFoundException;
// *ResourceInUseException while an agent holds a proficiency in it or a waiting contact's
// criteria (any step) names it. A failed call changes nothing. The cost is O(a·p + n·s).
func (in *Instance) DeletePredefinedAttribute(name string) error {
	in.lock()
	defer in.mu.Unlock()
	if in.attrs[name] == nil {
		return notFound("predefined attribute %q not found in instance %q", name, in.id)
	}
	if who := in.userOf(name, ""); who != "" {
		return &ResourceInUseException{Message: fmt.Sprintf("predefined attribute %q is in use by %s", name, who)}
	}
	delete(in.attrs, name)
	in.attrGen++
	return nil
}

// userOf names an agent or waiting contact that uses attribute name (and value, unless
// value is empty), or returns "".
func (in *Instance) userOf(name, value string) string {
	for _, a := range in.aorder {
		for _, p := range a.profs {
			if p.AttributeName == name && (value == "" || p.AttributeValue == value) {
				return fmt.Sprintf("agent %q", a.id)
			}
		}
	}
	for r := range in.contacts.records() {
		if r.state != Waiting || !r.hasCrit {
			continue
		}
		for _, s := range r.cs.crit.steps {
			if s.x.n.uses(name, value) {
				return fmt.Sprintf("the routing criteria of contact %q", r.c.ID)
			}
		}
	}
	return ""
}

func sortProfs(ps []Proficiency) {
	slices.SortFunc(ps, func(a, b Proficiency) int {
		return cmp.Or(strings.Compare(a.AttributeName, b.AttributeName), strings.Compare(a.AttributeValue, b.AttributeValue))
	})
}

// checkProfs checks proficiencies given to an agent, naming the bad entry.
func (in *Instance) checkProfs(ps []Proficiency) error {
	if len(ps) == 0 {
		return fieldErr("UserProficiencies", "must hold at least one proficiency")
	}
	for i, p := range ps {
		f := fmt.Sprintf("UserProficiencies[%d]", i)
		switch d := in.attrs[p.AttributeName]; {
		case d == nil:
			return fieldErr(f+".AttributeName", "predefined attribute %q not found", p.AttributeName)
		case !d.set[p.AttributeValue]:
			return fieldErr(f+".AttributeValue", "%q is not a value of predefined attribute %q", p.AttributeValue, p.AttributeName)
		}
		if _, err := checkLevel(&p.Level, f+".Level"); err != nil {
			return err
		}
		for j := range i {
			if ps[j].AttributeName == p.AttributeName && ps[j].AttributeValue == p.AttributeValue {
				return fieldErr(f, "proficiency %s=%s appears twice", p.AttributeName, p.AttributeValue)
			}
		}
	}
	return nil
}

// changeProfs applies a checked change to agent a's proficiencies: the new list, then the
// exprs it matches, then routing.
func (in *Instance) changeProfs(a *agent, profs []Proficiency, now time.Time) {
	sortProfs(profs)
	a.profs = profs
	in.rematch(a)
	in.offerAgent(a, now)
}

// agentFor resolves an agent ID for the proficiency operations.
func (in *Instance) agentFor(id string) (*agent, error) {
	a, ok := in.agents[id]
	if !ok {
		return nil, notFound("agent %q not found in instance %q", id, in.id)
	}
	return a, nil
}

// AssociateUserProficiencies gives an agent proficiencies; one it already holds takes the new
// level. Routing follows at once: the agent, if it has room, takes a waiting contact it now
// matches. Errors: *ResourceNotFoundException for an unknown agent,
// *InvalidParameterException naming the bad entry (unknown attribute or value, level not a
// whole 1..5, the same proficiency twice, more than MaxAgentProficiencies in all). A failed
// call changes nothing. The cost is O(p + x·s) for p proficiencies and x expressions of s
// conditions in use, plus a routing decision.
func (in *Instance) AssociateUserProficiencies(agentID string, ps []Proficiency) error {
	return in.editProfs(agentID, func(profs []Proficiency) ([]Proficiency, error) {
		if err := in.checkProfs(ps); err != nil {
			return nil, err
		}
		for _, p := range ps {
			if i := indexProficiency(profs, p.AttributeName, p.AttributeValue); i >= 0 {
				profs[i].Level = p.Level
			} else {
				profs = append(profs, p)
			}
		}
		if len(profs) > MaxAgentProficiencies {
			return nil, fieldErr("UserProficiencies", "would give agent %q %d proficiencies; at most %d", agentID, len(profs), MaxAgentProficiencies)
		}
		return profs, nil
	})
}

// UpdateUserProficiencies sets the levels of proficiencies an agent already holds. Errors,
// atomicity and cost as AssociateUserProficiencies, plus *InvalidParameterException for a
// proficiency the agent does not hold.
func (in *Instance) UpdateUserProficiencies(agentID string, ps []Proficiency) error {
	return in.editProfs(agentID, func(profs []Proficiency) ([]Proficiency, error) {
		if err := in.checkProfs(ps); err != nil {
			return nil, err
		}
		for i, p := range ps {
			j := indexProficiency(profs, p.AttributeName, p.AttributeValue)
			if j < 0 {
				return nil, fieldErr(fmt.Sprintf("UserProficiencies[%d]", i), "agent %q has no proficiency %s=%s; associate it first", agentID, p.AttributeName, p.AttributeValue)
			}
			profs[j].Level = p.Level
		}
		return profs, nil
	})
}

// DisassociateUserProficiencies takes proficiencies from an agent. Contacts it holds stay;
// it stops matching the steps that needed them (and may start matching a
// NotAttributeCondition, and then take a contact). Errors: *ResourceNotFoundException,
// *InvalidParameterException for an empty list or a proficiency the agent does not hold. A
// failed call changes nothing. Cost as AssociateUserProficiencies.
func (in *Instance) DisassociateUserProficiencies(agentID string, ks []ProficiencyKey) error {
	return in.editProfs(agentID, func(profs []Proficiency) ([]Proficiency, error) {
		if len(ks) == 0 {
			return nil, fieldErr("UserProficiencies", "must hold at least one proficiency")
		}
		for i, k := range ks {
			j := indexProficiency(profs, k.AttributeName, k.AttributeValue)
			if j < 0 {
				return nil, fieldErr(fmt.Sprintf("UserProficiencies[%d]", i), "agent %q has no proficiency %s=%s", agentID, k.AttributeName, k.AttributeValue)
			}
			profs = slices.Delete(profs, j, j+1)
		}
		return profs, nil
	})
}

// editProfs runs edit on a copy of the agent's proficiencies under the instance lock and, if
// it succeeds, makes the result the agent's (routing follows at once); on error nothing
// changes. It is the one path of the three proficiency operations.
func (in *Instance) editProfs(agentID string, edit func([]Proficiency) ([]Proficiency, error)) error {
	now := in.lock()
	defer in.mu.Unlock()
	a, err := in.agentFor(agentID)
	if err != nil {
		return err
	}
	profs, err := edit(slices.Clone(a.profs))
	if err != nil {
		return err
	}
	in.changeProfs(a, profs, now)
	return nil
}

// UserProficiencies returns an agent's proficiencies, by (AttributeName, AttributeValue).
// Error: *ResourceNotFoundException. The cost is O(p).
func (in *Instance) UserProficiencies(agentID string) ([]Proficiency, error) {
	in.lock()
	defer in.mu.Unlock()
	a, err := in.agentFor(agentID)
	if err != nil {
		return nil, err
	}
	return slices.Clone(a.profs), nil
}

// indexProficiency returns the index in profs of the proficiency in the attribute value
// (name, value), or -1. The cost is O(len(profs)).
func indexProficiency(profs []Proficiency, name, value string) int {
	return slices.IndexFunc(profs, func(q Proficiency) bool {
		return q.AttributeName == name && q.AttributeValue == value
	})
}
