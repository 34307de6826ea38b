package connectapi

import (
	"context"
	"fmt"
)

// HoursOfOperationConfig is an hours of operation of an instance. routesim does not model
// opening hours: queues route at all times. It keeps them so that CreateQueue can name one,
// DescribeQueue report it and ListHoursOfOperations list it, as a suite written against
// Connect expects.
type HoursOfOperationConfig struct {
	// ID identifies the hours of operation; required, unique within the instance.
	ID string `json:"id"`
	// Name is required and unique within the instance.
	Name string `json:"name"`
	// Description and TimeZone are kept and not used.
	Description string `json:"description,omitempty"`
	TimeZone    string `json:"timeZone,omitempty"`
}

// validateHours checks the instance's hours of operation and the queues' references to
// them.
func (in *InstanceConfig) validateHours(f string) error {
	ids := make(map[string]bool, len(in.HoursOfOperations))
	names := make(map[string]bool, len(in.HoursOfOperations))
	for i, ho := range in.HoursOfOperations {
		g := fmt.Sprintf("%s.hoursOfOperations[%d]", f, i)
		switch {
		case ho.ID == "":
			return configErr(g+".id", "must not be empty")
		case len(ho.ID) > maxOtherID:
			return configErr(g+".id", "longer than %d characters", maxOtherID)
		case ids[ho.ID]:
			return configErr(g+".id", "duplicate hours of operation id %q", ho.ID)
		case ho.Name == "":
			return configErr(g+".name", "must not be empty")
		case names[ho.Name]:
			return configErr(g+".name", "duplicate hours of operation name %q", ho.Name)
		}
		ids[ho.ID], names[ho.Name] = true, true
	}
	for i, q := range in.Queues {
		if q.HoursOfOperationID != "" && !ids[q.HoursOfOperationID] {
			return configErr(fmt.Sprintf("%s.queues[%d].hoursOfOperationId", f, i), "unknown hours of operation %q", q.HoursOfOperationID)
		}
	}
	return nil
}

// hoursByID returns an instance's hours of operation by ID.
func (ia *instanceAPI) hoursByID(id string) (HoursOfOperationConfig, bool) {
	if ia == nil {
		return HoursOfOperationConfig{}, false
	}
	for _, ho := range ia.hours {
		if ho.ID == id {
			return ho, true
		}
	}
	return HoursOfOperationConfig{}, false
}

type listHoursOutput struct {
	HoursOfOperationSummaryList []summaryJSON `json:"HoursOfOperationSummaryList"`
	NextToken                   *string       `json:"NextToken,omitempty"`
}

func decodeListHoursOfOperations(h *Handler, p params, _ []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	pg, err := queryPage(p, 1000)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (any, error) {
		_, ia, err := h.instanceWithAPI(inst)
		if err != nil {
			return nil, err
		}
		var all []summaryJSON
		for _, ho := range ia.hours {
			all = append(all, summaryJSON{Id: ho.ID, Arn: h.arn(inst, "operating-hours", ho.ID), Name: ho.Name,
				LastModifiedTime: epochPtr(ia.created), LastModifiedRegion: h.region})
		}
		page, next, err := cutPage(all, pg)
		if err != nil {
			return nil, err
		}
		return listHoursOutput{HoursOfOperationSummaryList: page, NextToken: next}, nil
	}, nil
}
