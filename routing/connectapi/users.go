package connectapi

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

// The user operations: ListUsers, DescribeUser, CreateUser, UpdateUserRoutingProfile and
// ListSecurityProfiles. A user is an agent of the routing core; its UserId is the agent's
// ID (a configured agent's ID, or the UUID CreateUser made). Members routesim does not model
// (identity, phone settings, per-channel settings, security profiles, hierarchy group,
// tags) are checked as the API model states them, kept and returned by DescribeUser.

// identityInfoJSON is the API's UserIdentityInfo.
type identityInfoJSON struct {
	FirstName      *string `json:"FirstName,omitempty"`
	LastName       *string `json:"LastName,omitempty"`
	Email          *string `json:"Email,omitempty"`
	SecondaryEmail *string `json:"SecondaryEmail,omitempty"`
	Mobile         *string `json:"Mobile,omitempty"`
}

// phoneConfigJSON is the API's UserPhoneConfig.
type phoneConfigJSON struct {
	PhoneType                 *string `json:"PhoneType,omitempty"`
	AutoAccept                *bool   `json:"AutoAccept,omitempty"`
	AfterContactWorkTimeLimit *int32  `json:"AfterContactWorkTimeLimit,omitempty"`
	DeskPhoneNumber           *string `json:"DeskPhoneNumber,omitempty"`
	PersistentConnection      *bool   `json:"PersistentConnection,omitempty"`
}

// createUserInput is CreateUser's body, as kept for DescribeUser (Password is checked,
// never kept).
type createUserInput struct {
	Username                    *string           `json:"Username"`
	Password                    *string           `json:"Password,omitempty"`
	IdentityInfo                *identityInfoJSON `json:"IdentityInfo,omitempty"`
	PhoneConfig                 *phoneConfigJSON  `json:"PhoneConfig,omitempty"`
	DirectoryUserId             *string           `json:"DirectoryUserId,omitempty"`
	SecurityProfileIds          []string          `json:"SecurityProfileIds"`
	RoutingProfileId            *string           `json:"RoutingProfileId"`
	HierarchyGroupId            *string           `json:"HierarchyGroupId,omitempty"`
	AutoAcceptConfigs           []json.RawMessage `json:"AutoAcceptConfigs,omitempty"`
	AfterContactWorkConfigs     []json.RawMessage `json:"AfterContactWorkConfigs,omitempty"`
	PhoneNumberConfigs          []json.RawMessage `json:"PhoneNumberConfigs,omitempty"`
	PersistentConnectionConfigs []json.RawMessage `json:"PersistentConnectionConfigs,omitempty"`
	VoiceEnhancementConfigs     []json.RawMessage `json:"VoiceEnhancementConfigs,omitempty"`
	Tags                        map[string]string `json:"Tags,omitempty"`
}

var (
	phoneRE    = regexp.MustCompile(`\+[1-9]\d{1,14}$`)
	passwordRE = regexp.MustCompile(`^[a-zA-Z\d\S]{8,64}$`)
	lowerRE    = regexp.MustCompile(`[a-z]`)
	upperRE    = regexp.MustCompile(`[A-Z]`)
	digitRE    = regexp.MustCompile(`\d`)
)

// channelConfigs names, per list member of CreateUser, the member besides Channel that
// each entry requires and the values it may take (nil: any).
var channelConfigs = []struct {
	list, member string
	values       []string
}{
	{"AutoAcceptConfigs", "AutoAccept", nil},
	{"AfterContactWorkConfigs", "AfterContactWorkConfig", nil},
	{"PhoneNumberConfigs", "PhoneType", []string{"SOFT_PHONE", "DESK_PHONE"}},
	{"PersistentConnectionConfigs", "PersistentConnection", nil},
	{"VoiceEnhancementConfigs", "VoiceEnhancementMode", []string{"VOICE_ISOLATION", "NOISE_SUPPRESSION", "NONE"}},
}

// check validates CreateUser's members that need no instance state.
func (in *createUserInput) check() error {
	if _, err := requireID("Username", in.Username, maxUsername); err != nil {
		return err
	}
	if _, err := requireID("RoutingProfileId", in.RoutingProfileId, maxOtherID); err != nil {
		return err
	}
	if n := len(in.SecurityProfileIds); n < 1 || n > maxSecurityProfIDs {
		return invalidParam("SecurityProfileIds lists %d IDs; 1..%d required", n, maxSecurityProfIDs)
	}
	if p := in.Password; p != nil && (!passwordRE.MatchString(*p) || !lowerRE.MatchString(*p) || !upperRE.MatchString(*p) || !digitRE.MatchString(*p)) {
		return invalidParam("Password must be 8..64 characters with a lowercase letter, an uppercase letter and a digit")
	}
	if id := in.IdentityInfo; id != nil {
		switch {
		case id.FirstName != nil && len([]rune(*id.FirstName)) > 255:
			return invalidParam("IdentityInfo.FirstName is longer than 255 characters")
		case id.LastName != nil && len([]rune(*id.LastName)) > 300:
			return invalidParam("IdentityInfo.LastName is longer than 300 characters")
		case id.Mobile != nil && !phoneRE.MatchString(*id.Mobile):
			return invalidParam("IdentityInfo.Mobile %q is not a phone number in E.164 format", *id.Mobile)
		}
	}
	if pc := in.PhoneConfig; pc != nil {
		switch {
		case pc.PhoneType != nil && *pc.PhoneType != "SOFT_PHONE" && *pc.PhoneType != "DESK_PHONE":
			return invalidParam("PhoneConfig.PhoneType %q is not SOFT_PHONE or DESK_PHONE", *pc.PhoneType)
		case pc.AfterContactWorkTimeLimit != nil && *pc.AfterContactWorkTimeLimit < 0:
			return invalidParam("PhoneConfig.AfterContactWorkTimeLimit %d is negative", *pc.AfterContactWorkTimeLimit)
		case pc.DeskPhoneNumber != nil && !phoneRE.MatchString(*pc.DeskPhoneNumber):
			return invalidParam("PhoneConfig.DeskPhoneNumber %q is not a phone number in E.164 format", *pc.DeskPhoneNumber)
		}
	}
	lists := [][]json.RawMessage{in.AutoAcceptConfigs, in.AfterContactWorkConfigs, in.PhoneNumberConfigs,
		in.PersistentConnectionConfigs, in.VoiceEnhancementConfigs}
	for i, l := range lists {
		if err := checkChannelConfigs(channelConfigs[i].list, channelConfigs[i].member, channelConfigs[i].values, l); err != nil {
			return err
		}
	}
	return checkTags(in.Tags)
}

// checkChannelConfigs checks a per-channel list: each entry an object with a valid Channel
// and its required member (of the allowed values, when listed).
func checkChannelConfigs(list, member string, values []string, entries []json.RawMessage) error {
	for i, raw := range entries {
		f := fmt.Sprintf("%s[%d]", list, i)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return invalidParam("%s must be an object", f)
		}
		var ch, v string
		if err := json.Unmarshal(m["Channel"], &ch); err != nil || !contact.Channel(ch).Valid() {
			return invalidParam("%s.Channel %s is not VOICE, CHAT, TASK or EMAIL", f, m["Channel"])
		}
		if !isSet(m[member]) {
			return invalidParam("%s.%s is required", f, member)
		}
		if values != nil && (json.Unmarshal(m[member], &v) != nil || !slices.Contains(values, v)) {
			return invalidParam("%s.%s %s is not one of %v", f, member, m[member], values)
		}
	}
	return nil
}

func decodeCreateUser(h *Handler, p params, body []byte) (call, error) {
	inst, err := pathID(p, "InstanceId", maxInstanceID)
	if err != nil {
		return nil, err
	}
	var in createUserInput
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	in.Password = nil
	profileID := resourceID(*in.RoutingProfileId)
	in.RoutingProfileId = &profileID
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			for i, id := range in.SecurityProfileIds {
				if !slices.ContainsFunc(s.secProfiles, func(sp SecurityProfileConfig) bool { return sp.ID == resourceID(id) }) {
					return nil, notFound("SecurityProfileIds[%d]: security profile %q not found in instance %q", i, id, inst)
				}
			}
			switch {
			case s.usernames[*in.Username] != "":
				return nil, &routing.DuplicateResourceException{Message: fmt.Sprintf("a user named %q already exists in instance %q", *in.Username, inst)}
			case len(s.users) >= maxUsers:
				return nil, &routing.LimitExceededException{Message: fmt.Sprintf("instance %q has %d users; at most %d", inst, len(s.users), maxUsers)}
			}
			id := newUUID()
			if err := ri.CreateAgent(routing.AgentConfig{ID: id, RoutingProfileID: profileID}); err != nil {
				return nil, err
			}
			s.users[id] = &userRecord{in: in, modified: h.svc.Clock().Now()}
			s.usernames[*in.Username] = id
			s.userOrder = append(s.userOrder, id)
			return struct {
				UserId  string `json:"UserId"`
				UserArn string `json:"UserArn"`
			}{id, h.arn(inst, "agent", id)}, nil
		})
	}, nil
}

// userJSON is the API's User.
type userJSON struct {
	Id  string `json:"Id"`
	Arn string `json:"Arn"`
	createUserInput
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

func decodeDescribeUser(h *Handler, p params, _ []byte) (call, error) {
	inst, user, err := instanceAndUser(p)
	if err != nil {
		return nil, err
	}
	user = resourceID(user)
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			info, err := ri.DescribeAgent(user)
			if err != nil {
				return nil, err
			}
			u := userJSON{Id: user, Arn: h.arn(inst, "agent", user), LastModifiedRegion: h.region,
				LastModifiedTime: epochPtr(s.started)} // a configured agent: made at start
			if rec := s.users[user]; rec != nil {
				u.createUserInput = rec.in
				u.LastModifiedTime = epochPtr(rec.modified)
			}
			if u.Username == nil {
				u.Username = &user
			}
			if len(u.SecurityProfileIds) == 0 { // a configured agent: the instance's first profile
				u.SecurityProfileIds = []string{s.secProfiles[0].ID}
			}
			u.RoutingProfileId = &info.RoutingProfileID
			return struct {
				User userJSON `json:"User"`
			}{u}, nil
		})
	}, nil
}

type userSummaryJSON struct {
	Id                 string     `json:"Id"`
	Arn                string     `json:"Arn"`
	Username           string     `json:"Username"`
	LastModifiedTime   *epochTime `json:"LastModifiedTime,omitempty"`
	LastModifiedRegion string     `json:"LastModifiedRegion"`
}

func decodeListUsers(h *Handler, p params, _ []byte) (call, error) {
	return listAdmin(h, p, 1000, "UserSummaryList", func(inst string, s *adminState, _ *routing.Instance) []userSummaryJSON {
		list := make([]userSummaryJSON, 0, len(s.userOrder))
		for _, id := range s.userOrder {
			rec := s.users[id]
			list = append(list, userSummaryJSON{Id: id, Arn: h.arn(inst, "agent", id), Username: *rec.in.Username,
				LastModifiedTime: epochPtr(rec.modified), LastModifiedRegion: h.region})
		}
		return list
	})
}

func decodeUpdateUserRoutingProfile(h *Handler, p params, body []byte) (call, error) {
	inst, user, err := instanceAndUser(p)
	if err != nil {
		return nil, err
	}
	var in struct{ RoutingProfileId *string }
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	profile, err := requireID("RoutingProfileId", in.RoutingProfileId, maxOtherID)
	if err != nil {
		return nil, err
	}
	user, profile = resourceID(user), resourceID(profile)
	return func(context.Context) (any, error) {
		return h.withAdmin(inst, func(s *adminState, ri *routing.Instance) (any, error) {
			if err := ri.UpdateAgentRoutingProfile(user, profile); err != nil {
				return nil, err
			}
			if rec := s.users[user]; rec != nil {
				rec.modified = h.svc.Clock().Now()
			}
			return empty{}, nil
		})
	}, nil
}

// securityProfileSummaryJSON is the API's SecurityProfileSummary.
type securityProfileSummaryJSON struct {
	Id                 string `json:"Id"`
	Arn                string `json:"Arn"`
	Name               string `json:"Name"`
	LastModifiedRegion string `json:"LastModifiedRegion"`
}

func decodeListSecurityProfiles(h *Handler, p params, _ []byte) (call, error) {
	return listAdmin(h, p, 1000, "SecurityProfileSummaryList", func(inst string, s *adminState, _ *routing.Instance) []securityProfileSummaryJSON {
		list := make([]securityProfileSummaryJSON, 0, len(s.secProfiles))
		for _, sp := range s.secProfiles {
			list = append(list, securityProfileSummaryJSON{Id: sp.ID, Arn: h.arn(inst, "security-profile", sp.ID),
				Name: sp.Name, LastModifiedRegion: h.region})
		}
		return list
	})
}
