package connectapi

import (
	"context"
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// getContactMetricsInput holds GetContactMetrics's body.
type getContactMetricsInput struct {
	InstanceId *string
	ContactId  *string
	Metrics    []struct{ Name *string }
}

type getContactMetricsOutput struct {
	Id            string                `json:"Id"`
	Arn           string                `json:"Arn"`
	MetricResults []contactMetricResult `json:"MetricResults"`
}

// contactMetricResult is one metric; Value is the union ContactMetricValue, whose one member
// Number is left out when there is no value (ESTIMATED_WAIT_TIME without an estimate).
type contactMetricResult struct {
	Name  string `json:"Name"`
	Value struct {
		Number *float64 `json:"Number,omitempty"`
	} `json:"Value"`
}

// maxInstanceIDOrArn is the longest InstanceIdOrArn (and ContactId, which the model gives the
// same shape) the model allows.
const maxInstanceIDOrArn = 250

func decodeGetContactMetrics(h *Handler, _ params, body []byte) (call, error) {
	var in getContactMetricsInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	inst, err := requireID("InstanceId", in.InstanceId, maxInstanceIDOrArn)
	if err != nil {
		return nil, err
	}
	inst = instanceIDOf(inst)
	id, err := requireID("ContactId", in.ContactId, maxInstanceIDOrArn)
	if err != nil {
		return nil, err
	}
	id = resourceIDOf(id, "contact") // the model gives ContactId the InstanceIdOrArn shape too
	if len(in.Metrics) == 0 {
		return nil, invalidParam("Metrics is required")
	}
	if len(in.Metrics) > maxListLen {
		return nil, invalidParam("Metrics has %d entries; the limit is %d", len(in.Metrics), maxListLen)
	}
	names := make([]string, len(in.Metrics))
	for i, m := range in.Metrics {
		switch {
		case m.Name == nil:
			return nil, invalidParam("Metrics[%d].Name is required", i)
		case *m.Name != "POSITION_IN_QUEUE" && *m.Name != "ESTIMATED_WAIT_TIME":
			return nil, invalidParam("Metrics[%d].Name: %q is not POSITION_IN_QUEUE or ESTIMATED_WAIT_TIME", i, *m.Name)
		}
		names[i] = *m.Name
	}
	return func(ctx context.Context) (any, error) { return h.contactMetrics(ctx, inst, id, names) }, nil
}

// contactMetrics answers GetContactMetrics: POSITION_IN_QUEUE, and ESTIMATED_WAIT_TIME in
// whole seconds from routing.Instance.EstimatedWait.
func (h *Handler) contactMetrics(ctx context.Context, inst, id string, names []string) (any, error) {
	out, err := h.svc.GetContactPosition(ctx, &routing.GetContactPositionInput{InstanceId: &inst, ContactId: &id})
	if err != nil {
		return nil, err
	}
	in, _ := h.svc.Instance(inst) // GetContactPosition found it
	res := getContactMetricsOutput{Id: id, Arn: h.arn(inst, "contact", id)}
	for _, n := range names {
		r := contactMetricResult{Name: n}
		switch n {
		case "POSITION_IN_QUEUE":
			v := float64(out.Position)
			r.Value.Number = &v
		case "ESTIMATED_WAIT_TIME":
			w, ok, err := in.EstimatedWait(contact.ID(id))
			if err != nil {
				return nil, err
			}
			if ok {
				v := float64(w / time.Second)
				r.Value.Number = &v
			}
		}
		res.MetricResults = append(res.MetricResults, r)
	}
	return res, nil
}
