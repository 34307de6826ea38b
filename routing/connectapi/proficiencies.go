package connectapi

import (
	"context"
	"fmt"

	"github.com/routesim/routesim/routing"
)

// The user-proficiency operations: AssociateUserProficiencies, UpdateUserProficiencies,
// DisassociateUserProficiencies and ListUserProficiencies. The UserId is the agent's ID.

// proficiencyJSON is the API's UserProficiency (and, without Level, its
// UserProficiencyDisassociate): every member is required.
type proficiencyJSON struct {
	AttributeName  *string  `json:"AttributeName"`
	AttributeValue *string  `json:"AttributeValue"`
	Level          *float64 `json:"Level,omitempty"`
}

// proficienciesInput is the body of the Associate, Update and Disassociate operations.
type proficienciesInput struct {
	UserProficiencies []proficiencyJSON
}

// instanceAndUser reads the InstanceId and UserId path parameters.
func instanceAndUser(p params) (string, string, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return "", "", err
	}
	user, err := pathID(p, "UserId", maxOtherID)
	return inst, user, err
}

// decodeProficiencies reads the path and the body of a proficiency change. withLevel says
// whether each entry needs a Level (Associate, Update) or must not care (Disassociate).
// Values and levels are checked by the routing core, against the instance's attributes.
func decodeProficiencies(p params, body []byte, withLevel bool) (inst, user string, list []proficiencyJSON, err error) {
	if inst, user, err = instanceAndUser(p); err != nil {
		return "", "", nil, err
	}
	var in proficienciesInput
	if err := decodeBody(body, &in); err != nil {
		return "", "", nil, err
	}
	if in.UserProficiencies == nil {
		return "", "", nil, invalidParam("UserProficiencies is required")
	}
	for i, pj := range in.UserProficiencies {
		f := fmt.Sprintf("UserProficiencies[%d]", i)
		if _, err := requireID(f+".AttributeName", pj.AttributeName, maxAttrName); err != nil {
			return "", "", nil, err
		}
		if _, err := requireID(f+".AttributeValue", pj.AttributeValue, maxAttrValue); err != nil {
			return "", "", nil, err
		}
		if withLevel && pj.Level == nil {
			return "", "", nil, invalidParam("%s.Level is required", f)
		}
	}
	return inst, user, in.UserProficiencies, nil
}

func toProficiencies(list []proficiencyJSON) []routing.Proficiency {
	out := make([]routing.Proficiency, len(list))
	for i, pj := range list {
		out[i] = routing.Proficiency{AttributeName: *pj.AttributeName, AttributeValue: *pj.AttributeValue, Level: *pj.Level}
	}
	return out
}

func decodeAssociateUserProficiencies(h *Handler, p params, body []byte) (call, error) {
	inst, user, list, err := decodeProficiencies(p, body, true)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.AssociateUserProficiencies(ctx, &routing.AssociateUserProficienciesInput{
			InstanceId: &inst, UserId: &user, UserProficiencies: toProficiencies(list)})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

func decodeUpdateUserProficiencies(h *Handler, p params, body []byte) (call, error) {
	inst, user, list, err := decodeProficiencies(p, body, true)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.UpdateUserProficiencies(ctx, &routing.UpdateUserProficienciesInput{
			InstanceId: &inst, UserId: &user, UserProficiencies: toProficiencies(list)})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

func decodeDisassociateUserProficiencies(h *Handler, p params, body []byte) (call, error) {
	inst, user, list, err := decodeProficiencies(p, body, false)
	if err != nil {
		return nil, err
	}
	keys := make([]routing.ProficiencyKey, len(list))
	for i, pj := range list {
		keys[i] = routing.ProficiencyKey{AttributeName: *pj.AttributeName, AttributeValue: *pj.AttributeValue}
	}
	return func(ctx context.Context) (any, error) {
		_, err := h.svc.DisassociateUserProficiencies(ctx, &routing.DisassociateUserProficienciesInput{
			InstanceId: &inst, UserId: &user, UserProficiencies: keys})
		if err != nil {
			return nil, err
		}
		return empty{}, nil
	}, nil
}

// listProficienciesOutput is ListUserProficiencies' response. routesim keeps no
// modification time per agent, so LastModifiedTime and LastModifiedRegion are absent.
type listProficienciesOutput struct {
	UserProficiencyList []routing.Proficiency `json:"UserProficiencyList"`
	NextToken           *string               `json:"NextToken,omitempty"`
}

func decodeListUserProficiencies(h *Handler, p params, _ []byte) (call, error) {
	inst, user, err := instanceAndUser(p)
	if err != nil {
		return nil, err
	}
	maxResults, token, err := pageQuery(p)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		out, err := h.svc.ListUserProficiencies(ctx, &routing.ListUserProficienciesInput{InstanceId: &inst,
			UserId: &user, MaxResults: maxResults, NextToken: token})
		if err != nil {
			return nil, err
		}
		list := out.UserProficiencyList
		if list == nil {
			list = []routing.Proficiency{}
		}
		return listProficienciesOutput{UserProficiencyList: list, NextToken: out.NextToken}, nil
	}, nil
}
