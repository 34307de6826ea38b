package routing_test

import (
	"slices"
	"time"

	"github.com/routesim/routesim/routing"
)

// The reference router's routing criteria, from doc.go's "Routing criteria": expressions are
// evaluated from the API structs on every decision, with no caching.

// matches reports whether agent a may take contact c as far as c's criteria go.
func matches(c *refContact, a *refAgent) bool {
	if c.crit == nil || c.active >= len(c.crit.Steps) {
		return true
	}
	return evalExpr(c.crit.Steps[c.active].Expression, a)
}

func evalExpr(e *routing.Expression, a *refAgent) bool {
	switch {
	case e.AttributeCondition != nil:
		return evalCond(e.AttributeCondition, a)
	case e.NotAttributeCondition != nil:
		return !evalCond(e.NotAttributeCondition, a)
	case e.AndExpression != nil:
		for i := range e.AndExpression {
			if !evalExpr(&e.AndExpression[i], a) {
				return false
			}
		}
		return true
	}
	for i := range e.OrExpression {
		if evalExpr(&e.OrExpression[i], a) {
			return true
		}
	}
	return false
}

func evalCond(c *routing.AttributeCondition, a *refAgent) bool {
	if c.MatchCriteria != nil {
		return slices.Contains(c.MatchCriteria.AgentsCriteria.AgentIds, a.id)
	}
	l, ok := a.profs[[2]string{c.Name, c.Value}]
	if !ok {
		return false
	}
	if c.Range != nil {
		return float64(l) >= *c.Range.MinProficiencyLevel && float64(l) <= *c.Range.MaxProficiencyLevel
	}
	return float64(l) >= *c.ProficiencyLevel
}

// stepEnd returns when step i of c expires, or false when it never does.
func stepEnd(c *refContact, i int) (time.Duration, bool) {
	end := c.critAt
	for j := 0; j <= i; j++ {
		x := c.crit.Steps[j].Expiry
		if x == nil || x.DurationInSeconds == nil {
			return 0, false
		}
		end += sec(int(*x.DurationInSeconds))
	}
	return end, true
}

// armStep passes over the steps of c that have expired by at, and arms a timer for the
// active step if it expires.
func (r *refRouter) armStep(c *refContact, at time.Duration) {
	for c.active < len(c.crit.Steps) {
		end, ok := stepEnd(c, c.active)
		if !ok {
			return
		}
		if end > at {
			r.addTimer(refTimer{at: end, contact: c.id, isStep: true, step: c.active, critN: c.critN})
			return
		}
		c.active++
	}
}

// setCriteria gives c new criteria, step 1 active now.
func (r *refRouter) setCriteria(c *refContact, rc *routing.RoutingCriteriaInput) {
	c.crit, c.active, c.joined, c.critAt = rc, 0, false, r.now
	c.critN++
	r.armStep(c, r.now)
}

// updateCriteria is UpdateContactRoutingData with RoutingCriteria; valid tells whether rc is
// valid. It returns the exception code expected, or "".
func (r *refRouter) updateCriteria(id string, prio *int64, adj *time.Duration, rc *routing.RoutingCriteriaInput, valid bool) string {
	c, ok := r.contacts[id]
	switch {
	case prio != nil && adj != nil || prio != nil && *prio < 1:
		return "InvalidParameterException"
	case !ok:
		return "ResourceNotFoundException"
	case c.state != routing.Waiting:
		return "ResourceConflictException"
	case !valid:
		return "InvalidParameterException"
	case prio != nil:
		c.prio = *prio
	case adj != nil:
		c.adj += *adj
	}
	r.setCriteria(c, rc)
	r.offer(c)
	return ""
}

// setProf sets (level > 0) or removes (0) an agent's proficiency, then lets it take what it
// now matches.
func (r *refRouter) setProfs(a *refAgent, profs map[[2]string]int) {
	a.profs = profs
	r.takeAll(a)
}

// stepStatuses returns c's step statuses as DescribeContact reports them.
func stepStatuses(c *refContact) []routing.StepStatus {
	if c.crit == nil {
		return nil
	}
	out := make([]routing.StepStatus, len(c.crit.Steps))
	for i := range out {
		switch {
		case i < c.active:
			out[i] = routing.StepExpired
		case i > c.active:
			out[i] = routing.StepInactive
		case c.joined:
			out[i] = routing.StepJoined
		default:
			out[i] = routing.StepActive
		}
	}
	return out
}
