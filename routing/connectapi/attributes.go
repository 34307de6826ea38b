package connectapi

import (
	"context"
	"fmt"

	"github.com/routesim/routesim/routing"
)

// The predefined-attribute operations: CreatePredefinedAttribute, DescribePredefinedAttribute,
// ListPredefinedAttributes, UpdatePredefinedAttribute and DeletePredefinedAttribute.

// Limits of the API model: PredefinedAttributeName and PredefinedAttributeStringValue are
// 1..100 characters.
const (
	maxAttrName  = 100
	maxAttrValue = 100
)

// attributeInput holds the body members of CreatePredefinedAttribute and
// UpdatePredefinedAttribute that routesim reads. Purposes and AttributeConfiguration are
// not modelled and are ignored.
type attributeInput struct {
	Name   *string
	Values *valuesJSON
}

// valuesJSON is the API's PredefinedAttributeValues union; StringList is its one member.
type valuesJSON struct {
	StringList []string `json:"StringList"`
}

// values checks the Values union: when present, it must set StringList.
func (v *valuesJSON) values() (*routing.PredefinedAttributeValues, error) {
	if v == nil {
		return nil, nil
	}
	if v.StringList == nil {
		return nil, invalidParam("Values must set its member StringList")
	}
	return &routing.PredefinedAttributeValues{StringList: v.StringList}, nil
}

// instanceAndName reads the InstanceId and Name path parameters.
func instanceAndName(p params) (string, string, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return "", "", err
	}
	name, err := pathID(p, "Name", maxAttrName)
	return inst, name, err
}

func decodeCreatePredefinedAttribute(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in attributeInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	name, err := requireID("Name", in.Name, maxAttrName)
	if err != nil {
		return nil, err
	}
	vals, err := in.Values.values()
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.CreatePredefinedAttribute(ctx, &routing.CreatePredefinedAttributeInput{
			InstanceId: &inst, Name: &name, Values: vals})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

// attributeJSON is the API's PredefinedAttribute as DescribePredefinedAttribute returns it.
type attributeJSON struct {
	Name               string     `json:"Name"`
	Values             valuesJSON `json:"Values"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

type describeAttributeOutput struct {
	PredefinedAttribute attributeJSON `json:"PredefinedAttribute"`
}

func decodeDescribePredefinedAttribute(h *Handler, p params, _ []byte) (call, error) {
	inst, name, err := instanceAndName(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		out, err := h.svc.DescribePredefinedAttribute(ctx, &routing.DescribePredefinedAttributeInput{InstanceId: &inst, Name: &name})
		if err != nil {
			return nil, err
		}
		a := out.PredefinedAttribute
		return describeAttributeOutput{PredefinedAttribute: attributeJSON{Name: a.Name,
			Values: valuesJSON{StringList: a.Values.StringList}, LastModifiedTime: epochTimePtr(a.LastModifiedTime),
			LastModifiedRegion: h.region}}, nil
	}, nil
}

// attributeSummaryJSON is the API's PredefinedAttributeSummary.
type attributeSummaryJSON struct {
	Name               string     `json:"Name"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

type listAttributesOutput struct {
	PredefinedAttributeSummaryList []attributeSummaryJSON `json:"PredefinedAttributeSummaryList"`
	NextToken                      *string                `json:"NextToken,omitempty"`
}

func decodeListPredefinedAttributes(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	maxResults, token, err := pageQuery(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		out, err := h.svc.ListPredefinedAttributes(ctx, &routing.ListPredefinedAttributesInput{InstanceId: &inst,
			MaxResults: maxResults, NextToken: token})
		if err != nil {
			return nil, err
		}
		list := make([]attributeSummaryJSON, len(out.PredefinedAttributeSummaryList))
		for i, s := range out.PredefinedAttributeSummaryList {
			list[i] = attributeSummaryJSON{Name: *s.Name, LastModifiedTime: epochTimePtr(s.LastModifiedTime), LastModifiedRegion: h.region}
		}
		return listAttributesOutput{PredefinedAttributeSummaryList: list, NextToken: out.NextToken}, nil
	}, nil
}

func decodeUpdatePredefinedAttribute(h *Handler, p params, body []byte) (call, error) {
	inst, name, err := instanceAndName(p)
	if err != nil {
		return nil, err
	}
	var in attributeInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	vals, err := in.Values.values()
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		if vals != nil {
			if f := h.insts[inst].flowDropping(name, vals.StringList); f != "" {
				return nil, invalidParam("Values.StringList: drops a value of predefined attribute %q that the routing criteria of contact flow %q use", name, f)
			}
		}
		_, err := h.svc.UpdatePredefinedAttribute(ctx, &routing.UpdatePredefinedAttributeInput{
			InstanceId: &inst, Name: &name, Values: vals})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

func decodeDeletePredefinedAttribute(h *Handler, p params, _ []byte) (call, error) {
	inst, name, err := instanceAndName(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		if _, ok := h.svc.Instance(inst); ok {
			if f := h.insts[inst].flowUsing(name); f != "" {
				return nil, &routing.ResourceInUseException{Message: fmt.Sprintf("predefined attribute %q is in use by the routing criteria of contact flow %q", name, f)}
			}
		}
		_, err := h.svc.DeletePredefinedAttribute(ctx, &routing.DeletePredefinedAttributeInput{InstanceId: &inst, Name: &name})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}
