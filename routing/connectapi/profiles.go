package connectapi

import (
	"context"
	"fmt"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The routing-profile operations that create and read profiles: ListRoutingProfiles,
// DescribeRoutingProfile, ListRoutingProfileQueues and CreateRoutingProfile (the changes are
// in profile_queues.go). The routing core holds the profiles; the API
// state keeps their tags and modification times. Manual-assignment queues are not modelled:
// a request that names some is refused.

// profileRequest reads the InstanceId and RoutingProfileId path parameters.
func profileRequest(p params) (string, string, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return "", "", err
	}
	id, err := pathID(p, "RoutingProfileId", maxOtherID)
	return inst, resourceID(id), err
}

// touchProfile records a change of a profile at the clock's time; s.mu is held.
func (h *Handler) touchProfile(s *adminState, id string) {
	rec := s.profiles[id]
	if rec == nil {
		rec = &profileRecord{}
		s.profiles[id] = rec
	}
	rec.modified = h.svc.Clock().Now()
}

// profileChange runs a change of one profile under the API state's lock and records it.
func (h *Handler) profileChange(inst, id string, change func(ri *routing.Instance) error) (any, error) {
	return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
		if err := change(ri); err != nil {
			return nil, err
		}
		h.touchProfile(s, id)
		return empty{}, nil
	})
}

// createRoutingProfileInput is CreateRoutingProfile's body.
type createRoutingProfileInput struct {
	Name                         *string
	Description                  *string
	DefaultOutboundQueueId       *string
	QueueConfigs                 []queueConfigJSON
	ManualAssignmentQueueConfigs []any
	MediaConcurrencies           []mediaConcurrencyJSON
	Tags                         map[string]string
	AgentAvailabilityTimer       *string
}

func decodeCreateRoutingProfile(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in createRoutingProfileInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	pc := routing.ProfileConfig{ID: newUUID()}
	if pc.Name, err = requireID("Name", in.Name, maxProfileName); err != nil {
		return nil, err
	}
	if pc.Description, err = requireID("Description", in.Description, maxProfileDesc); err != nil {
		return nil, err
	}
	if pc.DefaultOutboundQueueID, err = requireID("DefaultOutboundQueueId", in.DefaultOutboundQueueId, maxOtherID); err != nil {
		return nil, err
	}
	pc.DefaultOutboundQueueID = resourceID(pc.DefaultOutboundQueueID)
	if in.MediaConcurrencies == nil {
		return nil, invalidParam("MediaConcurrencies is required")
	}
	if in.ManualAssignmentQueueConfigs != nil {
		return nil, invalidParam("ManualAssignmentQueueConfigs is not supported by routesim: it models no manual assignment")
	}
	if pc.Queues, err = toEntries(in.QueueConfigs, false); err != nil {
		return nil, err
	}
	if pc.Concurrency, pc.RouteAnyChannel, _, err = toConcurrency(in.MediaConcurrencies); err != nil {
		return nil, err
	}
	if in.AgentAvailabilityTimer != nil {
		pc.AgentAvailabilityTimer = *in.AgentAvailabilityTimer
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			if n := len(ri.RoutingProfiles()); n >= maxProfiles {
				return nil, &routing.LimitExceededException{Message: fmt.Sprintf("instance %q has %d routing profiles; at most %d", inst, n, maxProfiles)}
			}
			if err := ri.CreateRoutingProfile(pc); err != nil {
				return nil, err
			}
			s.profiles[pc.ID] = &profileRecord{tags: in.Tags, modified: h.svc.Clock().Now()}
			return struct {
				RoutingProfileArn string `json:"RoutingProfileArn"`
				RoutingProfileId  string `json:"RoutingProfileId"`
			}{h.arn(inst, "routing-profile", pc.ID), pc.ID}, nil
		})
	}, nil
}

// routingProfileJSON is the API's RoutingProfile.
type routingProfileJSON struct {
	InstanceId                               string                 `json:"InstanceId"`
	Name                                     string                 `json:"Name"`
	RoutingProfileArn                        string                 `json:"RoutingProfileArn"`
	RoutingProfileId                         string                 `json:"RoutingProfileId"`
	Description                              string                 `json:"Description,omitempty"`
	MediaConcurrencies                       []mediaConcurrencyJSON `json:"MediaConcurrencies"`
	DefaultOutboundQueueId                   string                 `json:"DefaultOutboundQueueId,omitempty"`
	Tags                                     map[string]string      `json:"Tags,omitempty"`
	NumberOfAssociatedQueues                 int64                  `json:"NumberOfAssociatedQueues"`
	NumberOfAssociatedManualAssignmentQueues int64                  `json:"NumberOfAssociatedManualAssignmentQueues"`
	NumberOfAssociatedUsers                  int64                  `json:"NumberOfAssociatedUsers"`
	AgentAvailabilityTimer                   string                 `json:"AgentAvailabilityTimer"`
	LastModifiedTime                         *epochTime             `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion                       string                 `json:"LastModifiedRegion"`
	IsDefault                                bool                   `json:"IsDefault"`
	AssociatedQueueIds                       []string               `json:"AssociatedQueueIds"`
}

// profileJSON renders a profile; s.mu is held.
func (h *Handler) profileJSON(s *adminState, inst string, info routing.ProfileInfo) routingProfileJSON {
	j := routingProfileJSON{InstanceId: inst, Name: info.Name, RoutingProfileArn: h.arn(inst, "routing-profile", info.ID),
		RoutingProfileId: info.ID, Description: info.Description, DefaultOutboundQueueId: info.DefaultOutboundQueueID,
		NumberOfAssociatedQueues: int64(len(info.Queues)), NumberOfAssociatedUsers: int64(info.Agents),
		AgentAvailabilityTimer: info.AgentAvailabilityTimer, LastModifiedRegion: h.region, AssociatedQueueIds: []string{},
		MediaConcurrencies: []mediaConcurrencyJSON{}}
	if j.Name == "" {
		j.Name = info.ID
	}
	j.LastModifiedTime = epochPtr(s.started) // a configured profile: made at start
	if rec := s.profiles[info.ID]; rec != nil {
		j.Tags, j.LastModifiedTime = rec.tags, epochPtr(rec.modified)
	}
	for _, ch := range contact.Channels {
		n, ok := info.Concurrency[ch]
		if !ok {
			continue
		}
		b := routeCurrentOnly
		if slices.Contains(info.RouteAnyChannel, ch) {
			b = routeAnyChannel
		}
		c, n32 := string(ch), int32(n)
		j.MediaConcurrencies = append(j.MediaConcurrencies, mediaConcurrencyJSON{Channel: &c, Concurrency: &n32,
			CrossChannelBehavior: &crossChannelBehavior{BehaviorType: &b}})
	}
	for _, e := range info.Queues {
		if !slices.Contains(j.AssociatedQueueIds, e.QueueID) {
			j.AssociatedQueueIds = append(j.AssociatedQueueIds, e.QueueID)
		}
	}
	return j
}

// describeProfile returns a profile's information under the API state's lock.
func (h *Handler) describeProfile(inst, id string, render func(s *adminState, info routing.ProfileInfo) (any, error)) (any, error) {
	return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
		info, err := ri.DescribeRoutingProfile(id)
		if err != nil {
			return nil, err
		}
		return render(s, info)
	})
}

func decodeDescribeRoutingProfile(h *Handler, p params, _ []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.describeProfile(inst, id, func(s *adminState, info routing.ProfileInfo) (any, error) {
			return struct {
				RoutingProfile routingProfileJSON `json:"RoutingProfile"`
			}{h.profileJSON(s, inst, info)}, nil
		})
	}, nil
}

func decodeListRoutingProfiles(h *Handler, p params, _ []byte) (call, error) {
	return listAdmin(h, p, 1000, "RoutingProfileSummaryList", func(inst string, s *adminState, ri *routing.Instance) []summaryJSON {
		all := ri.RoutingProfiles()
		list := make([]summaryJSON, 0, len(all))
		for _, info := range all {
			j := h.profileJSON(s, inst, info)
			list = append(list, summaryJSON{Id: info.ID, Arn: j.RoutingProfileArn, Name: j.Name,
				LastModifiedTime: j.LastModifiedTime, LastModifiedRegion: h.region})
		}
		return list
	})
}

type queueConfigSummaryJSON struct {
	QueueId   string `json:"QueueId"`
	QueueArn  string `json:"QueueArn"`
	QueueName string `json:"QueueName"`
	Priority  int    `json:"Priority"`
	Delay     int    `json:"Delay"`
	Channel   string `json:"Channel"`
}

func decodeListRoutingProfileQueues(h *Handler, p params, _ []byte) (call, error) {
	inst, id, err := profileRequest(p)
	if err != nil {
		return nil, err
	}
	pg, err := queryPage(p, 100)
	if err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		return h.describeProfile(inst, id, func(s *adminState, info routing.ProfileInfo) (any, error) {
			entries, next, err := cutPage(info.Queues, pg)
			if err != nil {
				return nil, err
			}
			list := make([]queueConfigSummaryJSON, 0, len(entries))
			for _, e := range entries {
				name := info.QueueNames[e.QueueID]
				if name == "" {
					name = e.QueueID
				}
				list = append(list, queueConfigSummaryJSON{QueueId: e.QueueID, QueueArn: h.arn(inst, "queue", e.QueueID),
					QueueName: name, Priority: e.Priority, Delay: e.DelaySeconds, Channel: string(e.Channel)})
			}
			j := h.profileJSON(s, inst, info)
			return struct {
				NextToken                            *string                  `json:"NextToken,omitempty"`
				RoutingProfileQueueConfigSummaryList []queueConfigSummaryJSON `json:"RoutingProfileQueueConfigSummaryList"`
				LastModifiedTime                     *epochTime               `json:"LastModifiedTime,omitempty"`
				LastModifiedRegion                   string                   `json:"LastModifiedRegion"`
			}{next, list, j.LastModifiedTime, h.region}, nil
		})
	}, nil
}
