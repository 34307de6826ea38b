package connectapi

import (
	"errors"
	"slices"
	"strings"

	"github.com/routesim/routesim/routing"
)

// Routing criteria on the wire (DescribeContact's RoutingCriteria) and in contact flows (the
// "Set routing criteria" block of FlowConfig).

// criteriaJSON is the API's RoutingCriteria: routing.RoutingCriteria with its timestamps as
// epoch seconds.
type criteriaJSON struct {
	Steps               []stepJSON `json:"Steps"`
	ActivationTimestamp *epochTime `json:"ActivationTimestamp,omitempty"`
	Index               *int32     `json:"Index,omitempty"`
}

// stepJSON is the API's Step.
type stepJSON struct {
	Expiry     *expiryJSON         `json:"Expiry,omitempty"`
	Expression *routing.Expression `json:"Expression,omitempty"`
	Status     routing.StepStatus  `json:"Status"`
}

// expiryJSON is the API's Expiry.
type expiryJSON struct {
	DurationInSeconds *int32     `json:"DurationInSeconds,omitempty"`
	ExpiryTimestamp   *epochTime `json:"ExpiryTimestamp,omitempty"`
}

// toCriteriaJSON converts a contact's criteria for DescribeContact; nil stays nil.
func toCriteriaJSON(rc *routing.RoutingCriteria) *criteriaJSON {
	if rc == nil {
		return nil
	}
	out := &criteriaJSON{Steps: make([]stepJSON, len(rc.Steps)), ActivationTimestamp: epochTimePtr(rc.ActivationTimestamp), Index: rc.Index}
	for i, s := range rc.Steps {
		out.Steps[i] = stepJSON{Expression: s.Expression, Status: s.Status}
		if s.Expiry != nil {
			out.Steps[i].Expiry = &expiryJSON{DurationInSeconds: s.Expiry.DurationInSeconds, ExpiryTimestamp: epochTimePtr(s.Expiry.ExpiryTimestamp)}
		}
	}
	return out
}

// validateFlowCriteria checks a flow's routing criteria against the instance built from the
// configuration (its attributes and agents), naming the field below f.
func validateFlowCriteria(in *routing.Instance, rc *routing.RoutingCriteriaInput, f string) error {
	err := in.ValidateRoutingCriteria(rc)
	if err == nil {
		return nil
	}
	var ip *routing.InvalidParameterException
	if !errors.As(err, &ip) {
		return configErr(f, "%v", err)
	}
	// The message starts with the field path below RoutingCriteria, then ": ".
	path, reason, ok := strings.Cut(ip.Message, ": ")
	if !ok {
		return configErr(f, "%s", ip.Message)
	}
	return configErr(f+strings.TrimPrefix(path, "RoutingCriteria"), "%s", reason)
}

// flowUsing returns the ID of a flow whose routing criteria name predefined attribute name,
// or "". A nil receiver has no flows. The cost is O(flows · conditions).
func (ia *instanceAPI) flowUsing(name string) string {
	if vs := ia.flowValues(name); len(vs) > 0 {
		return vs[0].flow
	}
	return ""
}

// flowDropping returns the ID of a flow whose routing criteria name a value of attribute
// name that is not in values, or "". A nil receiver has no flows.
func (ia *instanceAPI) flowDropping(name string, values []string) string {
	for _, v := range ia.flowValues(name) {
		if !slices.Contains(values, v.value) {
			return v.flow
		}
	}
	return ""
}

type flowValue struct{ flow, value string }

// flowValues lists the values of attribute name that flows' criteria name, with the flow,
// in configuration order.
func (ia *instanceAPI) flowValues(name string) []flowValue {
	if ia == nil {
		return nil
	}
	var out []flowValue
	for _, id := range ia.flowOrder {
		rc := ia.flows[id].RoutingCriteria
		if rc == nil {
			continue
		}
		for _, s := range rc.Steps {
			walkConditions(s.Expression, func(c *routing.AttributeCondition) {
				if c.Name == name && c.MatchCriteria == nil {
					out = append(out, flowValue{id, c.Value})
				}
			})
		}
	}
	return out
}

// walkConditions calls fn for every condition of e, negated ones included.
func walkConditions(e *routing.Expression, fn func(*routing.AttributeCondition)) {
	if e == nil {
		return
	}
	if e.AttributeCondition != nil {
		fn(e.AttributeCondition)
	}
	if e.NotAttributeCondition != nil {
		fn(e.NotAttributeCondition)
	}
	for i := range e.AndExpression {
		walkConditions(&e.AndExpression[i], fn)
	}
	for i := range e.OrExpression {
		walkConditions(&e.OrExpression[i], fn)
	}
}
