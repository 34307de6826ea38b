package routing

import (
	"github.com/routesim/routesim/contact"
)

// notYet is the body of the operations the API commit declares before the core implements
// them.
func notYet(op string) error {
	return &InternalServiceException{Message: "routing: " + op + " is not implemented yet"}
}

// CreatePredefinedAttribute adds a predefined attribute. Errors: *InvalidParameterException
// naming the bad field (name or values empty, too long, duplicated, over
// MaxAttributeValues, or a name starting with "aws:" or "connect:"),
// *DuplicateResourceException for a name in use, *LimitExceededException past
// MaxPredefinedAttributes. A failed call changes nothing. The cost is O(v) for v values.
func (in *Instance) CreatePredefinedAttribute(a PredefinedAttribute) error {
	return notYet("CreatePredefinedAttribute")
}

// DescribePredefinedAttribute returns a predefined attribute, its values in the order given.
// Error: *ResourceNotFoundException. The cost is O(v).
func (in *Instance) DescribePredefinedAttribute(name string) (PredefinedAttribute, error) {
	return PredefinedAttribute{}, notYet("DescribePredefinedAttribute")
}

// PredefinedAttributes returns every predefined attribute of the instance, by name. The cost
// is O(k log k + total values) for k attributes.
func (in *Instance) PredefinedAttributes() []PredefinedAttribute {
	return nil
}

// UpdatePredefinedAttribute replaces the values of a predefined attribute. A value that an
// agent's proficiency or a waiting contact's criteria uses cannot be dropped. Errors:
// *ResourceNotFoundException, *InvalidParameterException (as for Create, or a value in use).
// A failed call changes nothing. The cost is O(v + a·p + n·s) for a agents of p
// proficiencies and n waiting contacts of s criteria conditions, when a value is dropped;
// O(v) otherwise.
func (in *Instance) UpdatePredefinedAttribute(a PredefinedAttribute) error {
	return notYet("UpdatePredefinedAttribute")
}

// DeletePredefinedAttribute deletes a predefined attribute. Errors: *ResourceNotFoundException;
// *ResourceInUseException while an agent holds a proficiency in it or a waiting contact's
// criteria (any step) names it. A failed call changes nothing. The cost is O(a·p + n·s).
func (in *Instance) DeletePredefinedAttribute(name string) error {
	return notYet("DeletePredefinedAttribute")
}

// AssociateUserProficiencies gives an agent proficiencies; one it already holds takes the new
// level. Routing follows at once: the agent, if it has room, takes a waiting contact it now
// matches. Errors: *ResourceNotFoundException for an unknown agent,
// *InvalidParameterException naming the bad entry (unknown attribute or value, level not a
// whole 1..5, the same proficiency twice, more than MaxAgentProficiencies in all). A failed
// call changes nothing. The cost is O(p + x·s) for p proficiencies and x expressions of s
// conditions in use, plus a routing decision.
func (in *Instance) AssociateUserProficiencies(agentID string, ps []Proficiency) error {
	return notYet("AssociateUserProficiencies")
}

// UpdateUserProficiencies sets the levels of proficiencies an agent already holds. Errors,
// atomicity and cost as AssociateUserProficiencies, plus *InvalidParameterException for a
// proficiency the agent does not hold.
func (in *Instance) UpdateUserProficiencies(agentID string, ps []Proficiency) error {
	return notYet("UpdateUserProficiencies")
}

// DisassociateUserProficiencies takes proficiencies from an agent. Contacts it holds stay;
// it stops matching the steps that needed them (and may start matching a
// NotAttributeCondition). Errors: *ResourceNotFoundException, *InvalidParameterException for a
// proficiency the agent does not hold. A failed call changes nothing. Cost as
// AssociateUserProficiencies.
func (in *Instance) DisassociateUserProficiencies(agentID string, ks []ProficiencyKey) error {
	return notYet("DisassociateUserProficiencies")
}

// UserProficiencies returns an agent's proficiencies, by (AttributeName, AttributeValue).
// Error: *ResourceNotFoundException. The cost is O(p log p).
func (in *Instance) UserProficiencies(agentID string) ([]Proficiency, error) {
	return nil, notYet("ListUserProficiencies")
}

// UpdateRoutingCriteria replaces a waiting contact's routing criteria with rc, step 1 active
// from now, and, when u sets something, applies u too, both or neither. The contact goes to
// an agent at once if one that serves its queue and matches step 1 is free. Errors:
// *ResourceNotFoundException, *ResourceConflictException (not waiting),
// *InvalidParameterException naming the bad field. A failed call changes nothing. The cost
// is O(size of rc + log n) per heap holding the contact, plus O(a·s) the first time an
// expression of s conditions is in use, plus a routing decision.
func (in *Instance) UpdateRoutingCriteria(id contact.ID, rc *RoutingCriteriaInput, u contact.RoutingUpdate) error {
	return notYet("UpdateRoutingCriteria")
}

// ValidateRoutingCriteria checks rc against the instance's predefined attributes and agents,
// as UpdateRoutingCriteria and StartContact do; see the package function of that name.
func (in *Instance) ValidateRoutingCriteria(rc *RoutingCriteriaInput) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return ValidateRoutingCriteria(rc, nil)
}
