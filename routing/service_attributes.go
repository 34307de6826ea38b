package routing

import (
	"context"
	"strconv"
	"time"
)

// The predefined-attribute and user-proficiency operations of Service, with the shapes of the
// AWS SDK for Go v2 (connect.CreatePredefinedAttributeInput and so on). UserId is the agent's
// ID.

// DefaultMaxResults is the page size of the List operations when MaxResults is not set.
const DefaultMaxResults = 100

// CreatePredefinedAttributeInput mirrors connect.CreatePredefinedAttributeInput.
type CreatePredefinedAttributeInput struct {
	InstanceId *string
	Name       *string
	Values     *PredefinedAttributeValues
}

// CreatePredefinedAttributeOutput is empty, as in the AWS SDK.
type CreatePredefinedAttributeOutput struct{}

// CreatePredefinedAttribute creates a predefined attribute; see
// Instance.CreatePredefinedAttribute for its errors and cost.
func (s *Service) CreatePredefinedAttribute(ctx context.Context, in *CreatePredefinedAttributeInput) (*CreatePredefinedAttributeOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, name, err := s.resolve(ctx, in.InstanceId, "Name", in.Name)
	if err != nil {
		return nil, err
	}
	a := PredefinedAttribute{Name: name}
	if in.Values != nil {
		a.Values = *in.Values
	}
	if err := inst.CreatePredefinedAttribute(a); err != nil {
		return nil, err
	}
	return &CreatePredefinedAttributeOutput{}, nil
}

// DescribePredefinedAttributeInput mirrors connect.DescribePredefinedAttributeInput.
type DescribePredefinedAttributeInput struct {
	InstanceId *string
	Name       *string
}

// DescribePredefinedAttributeOutput mirrors connect.DescribePredefinedAttributeOutput.
type DescribePredefinedAttributeOutput struct {
	PredefinedAttribute *PredefinedAttribute
}

// DescribePredefinedAttribute returns a predefined attribute. Errors:
// *InvalidParameterException, *ResourceNotFoundException. The cost is O(v) for v values.
func (s *Service) DescribePredefinedAttribute(ctx context.Context, in *DescribePredefinedAttributeInput) (*DescribePredefinedAttributeOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, name, err := s.resolve(ctx, in.InstanceId, "Name", in.Name)
	if err != nil {
		return nil, err
	}
	a, err := inst.DescribePredefinedAttribute(name)
	if err != nil {
		return nil, err
	}
	return &DescribePredefinedAttributeOutput{PredefinedAttribute: &a}, nil
}

// ListPredefinedAttributesInput mirrors connect.ListPredefinedAttributesInput.
type ListPredefinedAttributesInput struct {
	InstanceId *string
	// MaxResults is 1..100; nil means DefaultMaxResults.
	MaxResults *int32
	// NextToken is the NextToken of the previous page, or nil for the first.
	NextToken *string
}

// PredefinedAttributeSummary mirrors the API's PredefinedAttributeSummary.
type PredefinedAttributeSummary struct {
	Name             *string
	LastModifiedTime *time.Time
}

// ListPredefinedAttributesOutput mirrors connect.ListPredefinedAttributesOutput.
type ListPredefinedAttributesOutput struct {
	PredefinedAttributeSummaryList []PredefinedAttributeSummary
	NextToken                      *string
}

// ListPredefinedAttributes lists the instance's predefined attributes by name, a page at a
// time. Errors: *InvalidParameterException (MaxResults out of 1..100, bad NextToken),
// *ResourceNotFoundException. The cost is O(k log k) for k attributes.
func (s *Service) ListPredefinedAttributes(ctx context.Context, in *ListPredefinedAttributesInput) (*ListPredefinedAttributesOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, err := s.instance(ctx, in.InstanceId)
	if err != nil {
		return nil, err
	}
	all := inst.PredefinedAttributes()
	lo, hi, next, err := page(len(all), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListPredefinedAttributesOutput{NextToken: next,
		PredefinedAttributeSummaryList: make([]PredefinedAttributeSummary, 0, hi-lo)}
	for _, a := range all[lo:hi] {
		out.PredefinedAttributeSummaryList = append(out.PredefinedAttributeSummaryList, PredefinedAttributeSummary{Name: &a.Name, LastModifiedTime: a.LastModifiedTime})
	}
	return out, nil
}

// UpdatePredefinedAttributeInput mirrors connect.UpdatePredefinedAttributeInput.
type UpdatePredefinedAttributeInput struct {
	InstanceId *string
	Name       *string
	Values     *PredefinedAttributeValues
}

// UpdatePredefinedAttributeOutput is empty, as in the AWS SDK.
type UpdatePredefinedAttributeOutput struct{}

// UpdatePredefinedAttribute replaces a predefined attribute's values; see
// Instance.UpdatePredefinedAttribute. Values nil changes nothing.
func (s *Service) UpdatePredefinedAttribute(ctx context.Context, in *UpdatePredefinedAttributeInput) (*UpdatePredefinedAttributeOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, name, err := s.resolve(ctx, in.InstanceId, "Name", in.Name)
	if err != nil {
		return nil, err
	}
	if in.Values == nil {
		if _, err := inst.DescribePredefinedAttribute(name); err != nil {
			return nil, err
		}
		return &UpdatePredefinedAttributeOutput{}, nil
	}
	if err := inst.UpdatePredefinedAttribute(PredefinedAttribute{Name: name, Values: *in.Values}); err != nil {
		return nil, err
	}
	return &UpdatePredefinedAttributeOutput{}, nil
}

// DeletePredefinedAttributeInput mirrors connect.DeletePredefinedAttributeInput.
type DeletePredefinedAttributeInput struct {
	InstanceId *string
	Name       *string
}

// DeletePredefinedAttributeOutput is empty, as in the AWS SDK.
type DeletePredefinedAttributeOutput struct{}

// DeletePredefinedAttribute deletes a predefined attribute that nothing uses; see
// Instance.DeletePredefinedAttribute.
func (s *Service) DeletePredefinedAttribute(ctx context.Context, in *DeletePredefinedAttributeInput) (*DeletePredefinedAttributeOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, name, err := s.resolve(ctx, in.InstanceId, "Name", in.Name)
	if err != nil {
		return nil, err
	}
	if err := inst.DeletePredefinedAttribute(name); err != nil {
		return nil, err
	}
	return &DeletePredefinedAttributeOutput{}, nil
}

// AssociateUserProficienciesInput mirrors connect.AssociateUserProficienciesInput.
type AssociateUserProficienciesInput struct {
	InstanceId        *string
	UserId            *string
	UserProficiencies []Proficiency
}

// AssociateUserProficienciesOutput is empty, as in the AWS SDK.
type AssociateUserProficienciesOutput struct{}

// AssociateUserProficiencies gives an agent proficiencies; see
// Instance.AssociateUserProficiencies.
func (s *Service) AssociateUserProficiencies(ctx context.Context, in *AssociateUserProficienciesInput) (*AssociateUserProficienciesOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "UserId", in.UserId)
	if err != nil {
		return nil, err
	}
	if err := inst.AssociateUserProficiencies(id, in.UserProficiencies); err != nil {
		return nil, err
	}
	return &AssociateUserProficienciesOutput{}, nil
}

// UpdateUserProficienciesInput mirrors connect.UpdateUserProficienciesInput.
type UpdateUserProficienciesInput struct {
	InstanceId        *string
	UserId            *string
	UserProficiencies []Proficiency
}

// UpdateUserProficienciesOutput is empty, as in the AWS SDK.
type UpdateUserProficienciesOutput struct{}

// UpdateUserProficiencies sets the levels of an agent's proficiencies; see
// Instance.UpdateUserProficiencies.
func (s *Service) UpdateUserProficiencies(ctx context.Context, in *UpdateUserProficienciesInput) (*UpdateUserProficienciesOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "UserId", in.UserId)
	if err != nil {
		return nil, err
	}
	if err := inst.UpdateUserProficiencies(id, in.UserProficiencies); err != nil {
		return nil, err
	}
	return &UpdateUserProficienciesOutput{}, nil
}

// DisassociateUserProficienciesInput mirrors connect.DisassociateUserProficienciesInput.
type DisassociateUserProficienciesInput struct {
	InstanceId        *string
	UserId            *string
	UserProficiencies []ProficiencyKey
}

// DisassociateUserProficienciesOutput is empty, as in the AWS SDK.
type DisassociateUserProficienciesOutput struct{}

// DisassociateUserProficiencies takes proficiencies from an agent; see
// Instance.DisassociateUserProficiencies.
func (s *Service) DisassociateUserProficiencies(ctx context.Context, in *DisassociateUserProficienciesInput) (*DisassociateUserProficienciesOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "UserId", in.UserId)
	if err != nil {
		return nil, err
	}
	if err := inst.DisassociateUserProficiencies(id, in.UserProficiencies); err != nil {
		return nil, err
	}
	return &DisassociateUserProficienciesOutput{}, nil
}

// ListUserProficienciesInput mirrors connect.ListUserProficienciesInput.
type ListUserProficienciesInput struct {
	InstanceId *string
	UserId     *string
	// MaxResults is 1..100; nil means DefaultMaxResults.
	MaxResults *int32
	NextToken  *string
}

// ListUserProficienciesOutput mirrors connect.ListUserProficienciesOutput.
type ListUserProficienciesOutput struct {
	UserProficiencyList []Proficiency
	NextToken           *string
}

// ListUserProficiencies lists an agent's proficiencies by (AttributeName, AttributeValue), a
// page at a time. Errors: *InvalidParameterException, *ResourceNotFoundException. The cost is
// O(p log p).
func (s *Service) ListUserProficiencies(ctx context.Context, in *ListUserProficienciesInput) (*ListUserProficienciesOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "UserId", in.UserId)
	if err != nil {
		return nil, err
	}
	all, err := inst.UserProficiencies(id)
	if err != nil {
		return nil, err
	}
	lo, hi, next, err := page(len(all), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ListUserProficienciesOutput{UserProficiencyList: all[lo:hi:hi], NextToken: next}, nil
}

// page cuts n items into the page [lo, hi) that maxResults and token ask for, and returns the
// token of the next page (nil after the last). A token is the decimal offset of its page.
func page(n int, maxResults *int32, token *string) (lo, hi int, next *string, err error) {
	size := DefaultMaxResults
	if maxResults != nil {
		if *maxResults < 1 || *maxResults > 100 {
			return 0, 0, nil, invalidParam("MaxResults %d is out of range 1..100", *maxResults)
		}
		size = int(*maxResults)
	}
	if token != nil {
		lo, err = strconv.Atoi(*token)
		if err != nil || lo < 0 || lo > n {
			return 0, 0, nil, invalidParam("NextToken %q is not a token this operation returned", *token)
		}
	}
	hi = min(n, lo+size)
	if hi < n {
		t := strconv.Itoa(hi)
		next = &t
	}
	return lo, hi, next, nil
}
