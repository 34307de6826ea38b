package connectapi

import (
	"context"
	"slices"
)

// contactFlowTypes are the API's ContactFlowType values. routesim's flows are all
// CONTACT_FLOW: they put a contact into a queue, optionally setting its priority, age and
// routing criteria.
var contactFlowTypes = []string{"CONTACT_FLOW", "CUSTOMER_QUEUE", "CUSTOMER_HOLD", "CUSTOMER_WHISPER",
	"AGENT_HOLD", "AGENT_WHISPER", "OUTBOUND_WHISPER", "AGENT_TRANSFER", "QUEUE_TRANSFER", "CAMPAIGN"}

type contactFlowSummaryJSON struct {
	Id                string `json:"Id"`
	Arn               string `json:"Arn"`
	Name              string `json:"Name"`
	ContactFlowType   string `json:"ContactFlowType"`
	ContactFlowState  string `json:"ContactFlowState"`
	ContactFlowStatus string `json:"ContactFlowStatus"`
}

type listContactFlowsOutput struct {
	ContactFlowSummaryList []contactFlowSummaryJSON `json:"ContactFlowSummaryList"`
	NextToken              *string                  `json:"NextToken,omitempty"`
}

// decodeListContactFlows serves ListContactFlows (GET /contact-flows-summary/{InstanceId}):
// the configured flows in configuration order, each a published, active CONTACT_FLOW named
// by its name (or its ID). contactFlowTypes filters them (at most 10 values of the enum); a
// filter without CONTACT_FLOW lists none. The cost is O(flows).
func decodeListContactFlows(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	types := p.query["contactFlowTypes"]
	if len(types) > 10 {
		return nil, invalidParam("ContactFlowTypes has %d members; at most 10", len(types))
	}
	for _, t := range types {
		if !slices.Contains(contactFlowTypes, t) {
			return nil, invalidParam("ContactFlowTypes member %q is not one of %v", clipInput(t), contactFlowTypes)
		}
	}
	listed := len(types) == 0 || slices.Contains(types, "CONTACT_FLOW")
	pg, err := queryPage(p, 1000)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		_, ia, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		all := []contactFlowSummaryJSON{}
		for _, id := range ia.flowOrder {
			if !listed {
				break
			}
			f := ia.flows[id]
			name := f.Name
			if name == "" {
				name = f.ID
			}
			all = append(all, contactFlowSummaryJSON{Id: f.ID, Arn: h.arn(inst, "contact-flow", f.ID), Name: name,
				ContactFlowType: "CONTACT_FLOW", ContactFlowState: "ACTIVE", ContactFlowStatus: "PUBLISHED"})
		}
		page, next, err := cutPage(all, pg)
		if err != nil {
			return nil, err
		}
		return listContactFlowsOutput{ContactFlowSummaryList: page, NextToken: next}, nil
	}, nil
}
