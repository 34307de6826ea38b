package routing

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/routesim/routesim/contact"
)

// Service holds instances and answers Connect-style API calls on them, with the request and
// response shapes of the AWS SDK for Go v2 and its exception types. It is safe for concurrent
// use. The zero value is not usable; build one with NewService.
type Service struct {
	mu        sync.RWMutex
	clock     Clock
	instances map[string]*Instance
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the service's instances read time from c. Without it they use a
// ManualClock at the Unix epoch, so that nothing reads the wall clock unless asked to.
func WithClock(c Clock) Option {
	return func(s *Service) { s.clock = c }
}

// NewService returns a service with no instances.
func NewService(opts ...Option) *Service {
	s := &Service{instances: make(map[string]*Instance)}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = NewManualClock(time.Unix(0, 0).UTC())
	}
	return s
}

// Clock returns the clock the service's instances read.
func (s *Service) Clock() Clock { return s.clock }

// AddInstance builds an instance from cfg and adds it. Errors: a *ConfigError (wrapping
// ErrInvalidConfig) naming the bad field, including a duplicate instance ID.
func (s *Service) AddInstance(cfg InstanceConfig) (*Instance, error) {
	in, err := NewInstance(cfg, s.clock)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.instances[cfg.ID]; dup {
		return nil, configErr("id", "instance %q already exists", cfg.ID)
	}
	s.instances[cfg.ID] = in
	return in, nil
}

// Instance returns the instance with the given ID.
func (s *Service) Instance(id string) (*Instance, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	in, ok := s.instances[id]
	return in, ok
}

// instance resolves a required instance ID parameter.
func (s *Service) instance(ctx context.Context, id *string) (*Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if id == nil || *id == "" {
		return nil, invalidParam("InstanceId is required")
	}
	in, ok := s.Instance(*id)
	if !ok {
		return nil, notFound("instance %q not found", *id)
	}
	return in, nil
}

// resolve resolves a call's instance and its other required ID parameter, named name.
func (s *Service) resolve(ctx context.Context, instanceID *string, name string, v *string) (*Instance, string, error) {
	inst, err := s.instance(ctx, instanceID)
	if err != nil {
		return nil, "", err
	}
	id, err := required(name, v)
	if err != nil {
		return nil, "", err
	}
	return inst, id, nil
}

func deref(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

func required(name string, v *string) (string, error) {
	if v == nil || *v == "" {
		return "", invalidParam("%s is required", name)
	}
	return *v, nil
}

// UpdateContactRoutingDataInput mirrors the AWS SDK's connect.UpdateContactRoutingDataInput.
// At least one of QueuePriority, QueueTimeAdjustmentSeconds and RoutingCriteria must be set,
// and QueuePriority and QueueTimeAdjustmentSeconds not both.
type UpdateContactRoutingDataInput struct {
	InstanceId                 *string
	ContactId                  *string
	QueuePriority              *int64
	QueueTimeAdjustmentSeconds *int32
	// RoutingCriteria replace the contact's criteria, step 1 active from the call.
	RoutingCriteria *RoutingCriteriaInput
}

// UpdateContactRoutingDataOutput is empty, as in the AWS SDK.
type UpdateContactRoutingDataOutput struct{}

// UpdateContactRoutingData sets a waiting contact's QueuePriority, adds
// QueueTimeAdjustmentSeconds to its routing age, and/or replaces its RoutingCriteria, as
// Amazon Connect's API of that name does. Errors: *InvalidParameterException (missing IDs;
// none of the three fields, or both QueuePriority and QueueTimeAdjustmentSeconds; priority
// < 1; bad criteria, naming the field), *ResourceNotFoundException (unknown instance or
// contact), *ResourceConflictException (the contact is not waiting in a queue). A failed
// call changes nothing. The cost is that of Instance.UpdateRoutingData, or of
// Instance.UpdateRoutingCriteria when RoutingCriteria is set.
func (s *Service) UpdateContactRoutingData(ctx context.Context, in *UpdateContactRoutingDataInput) (*UpdateContactRoutingDataOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "ContactId", in.ContactId)
	if err != nil {
		return nil, err
	}
	u := contact.RoutingUpdate{Priority: in.QueuePriority}
	if in.QueueTimeAdjustmentSeconds != nil {
		d := time.Duration(*in.QueueTimeAdjustmentSeconds) * time.Second
		u.AgeAdjustment = &d
	}
	if in.RoutingCriteria != nil {
		if u.Priority != nil || u.AgeAdjustment != nil {
			if err := u.Validate(); err != nil {
				return nil, &InvalidParameterException{Message: err.Error()}
			}
		}
		if err := inst.UpdateRoutingCriteria(contact.ID(id), in.RoutingCriteria, u); err != nil {
			return nil, err
		}
		return &UpdateContactRoutingDataOutput{}, nil
	}
	if err := u.Validate(); err != nil {
		return nil, &InvalidParameterException{Message: err.Error()}
	}
	if err := inst.UpdateRoutingData(contact.ID(id), u); err != nil {
		return nil, err
	}
	return &UpdateContactRoutingDataOutput{}, nil
}

// StartContactInput starts a contact in a queue, as a contact flow's "Set working queue" and
// "Set routing priority / age" blocks do.
type StartContactInput struct {
	InstanceId *string
	QueueId    *string
	// Channel is VOICE, CHAT, TASK or EMAIL; required.
	Channel contact.Channel
	// ContactId is optional; the instance makes one up when it is nil.
	ContactId *string
	// QueuePriority is the initial priority (default 5).
	QueuePriority *int64
	// QueueTimeAdjustmentSeconds is the initial routing-age adjustment.
	QueueTimeAdjustmentSeconds *int32
	// RoutingCriteria are the criteria a "Set routing criteria" block set before "Transfer
	// to queue"; step 1 is active from the contact's arrival.
	RoutingCriteria *RoutingCriteriaInput
	// Name, Description and Attributes are kept for DescribeContact and
	// GetContactAttributes (StartTaskContact's members).
	Name, Description *string
	Attributes        map[string]string
}

// StartContactOutput returns the contact's ID.
type StartContactOutput struct {
	ContactId *string
}

// StartContact puts a new contact in a queue and routes it if an agent can take it. Errors:
// *InvalidParameterException, *ResourceNotFoundException. A failed call changes nothing.
func (s *Service) StartContact(ctx context.Context, in *StartContactInput) (*StartContactOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, err := s.instance(ctx, in.InstanceId)
	if err != nil {
		return nil, err
	}
	spec := ContactSpec{Channel: in.Channel}
	if spec.QueueID, err = required("QueueId", in.QueueId); err != nil {
		return nil, err
	}
	if in.ContactId != nil {
		if *in.ContactId == "" {
			return nil, invalidParam("ContactId must not be empty when given")
		}
		spec.ID = contact.ID(*in.ContactId)
	}
	if in.QueuePriority != nil {
		if *in.QueuePriority < contact.MinPriority {
			return nil, invalidParam("QueuePriority %d is out of range %d..%d", *in.QueuePriority, contact.MinPriority, contact.MaxPriority)
		}
		spec.Priority = *in.QueuePriority
	}
	if in.QueueTimeAdjustmentSeconds != nil {
		spec.AgeAdjustment = time.Duration(*in.QueueTimeAdjustmentSeconds) * time.Second
	}
	spec.RoutingCriteria = in.RoutingCriteria
	spec.Name, spec.Description, spec.Attributes = deref(in.Name), deref(in.Description), in.Attributes
	id, err := inst.StartContact(spec)
	if err != nil {
		return nil, err
	}
	ids := string(id)
	return &StartContactOutput{ContactId: &ids}, nil
}

// DescribeContactInput names a contact.
type DescribeContactInput struct {
	InstanceId *string
	ContactId  *string
}

// DescribeContactOutput describes it.
type DescribeContactOutput struct {
	Contact ContactInfo
}

// DescribeContact returns a contact's queue, enqueue time, priority, age adjustment, agent,
// state and routing criteria (each step's status and expiry). Errors: *InvalidParameterException, *ResourceNotFoundException.
func (s *Service) DescribeContact(ctx context.Context, in *DescribeContactInput) (*DescribeContactOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "ContactId", in.ContactId)
	if err != nil {
		return nil, err
	}
	info, err := inst.DescribeContact(contact.ID(id))
	if err != nil {
		return nil, err
	}
	return &DescribeContactOutput{Contact: info}, nil
}

// SetAgentStateInput sets an agent available or offline (PutUserStatus).
type SetAgentStateInput struct {
	InstanceId *string
	AgentId    *string
	State      AgentState
}

// SetAgentStateOutput is empty.
type SetAgentStateOutput struct{}

// SetAgentState sets an agent's state; an agent made available takes what waits for it.
// Errors: *InvalidParameterException, *ResourceNotFoundException.
func (s *Service) SetAgentState(ctx context.Context, in *SetAgentStateInput) (*SetAgentStateOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "AgentId", in.AgentId)
	if err != nil {
		return nil, err
	}
	if err := inst.SetAgentState(id, in.State); err != nil {
		return nil, err
	}
	return &SetAgentStateOutput{}, nil
}

// EndContactInput ends a contact. Reason defaults to Stopped (StopContact); AfterContactWork
// holds the agent's slot that long after a contact with an agent ends.
type EndContactInput struct {
	InstanceId       *string
	ContactId        *string
	Reason           EndReason
	AfterContactWork time.Duration
}

// EndContactOutput is empty.
type EndContactOutput struct{}

// EndContact ends a contact (StopContact, an abandon, or an agent completing it). Errors:
// *InvalidParameterException, *ResourceNotFoundException, *ResourceConflictException for a
// contact already ended.
func (s *Service) EndContact(ctx context.Context, in *EndContactInput) (*EndContactOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "ContactId", in.ContactId)
	if err != nil {
		return nil, err
	}
	reason := in.Reason
	if reason == NotEnded {
		reason = Stopped
	}
	if err := inst.EndContact(contact.ID(id), reason, in.AfterContactWork); err != nil {
		return nil, err
	}
	return &EndContactOutput{}, nil
}

// GetCurrentMetricsInput asks for the current metrics of queues, over channels.
type GetCurrentMetricsInput struct {
	InstanceId *string
	// QueueIds lists the queues; empty means every queue of the instance.
	QueueIds []string
	// Channels filters by channel; empty means all.
	Channels []contact.Channel
}

// GetCurrentMetricsOutput holds one QueueMetrics per queue, in the order asked.
type GetCurrentMetricsOutput struct {
	Metrics []QueueMetrics
}

// GetCurrentMetrics returns current metrics per queue (GetCurrentMetricData). Errors:
// *InvalidParameterException, *ResourceNotFoundException for an unknown instance or queue.
func (s *Service) GetCurrentMetrics(ctx context.Context, in *GetCurrentMetricsInput) (*GetCurrentMetricsOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, err := s.instance(ctx, in.InstanceId)
	if err != nil {
		return nil, err
	}
	ids := in.QueueIds
	if len(ids) == 0 {
		ids = inst.QueueIDs()
	}
	out := &GetCurrentMetricsOutput{Metrics: make([]QueueMetrics, 0, len(ids))}
	for _, q := range ids {
		m, err := inst.QueueMetrics(q, in.Channels...)
		if err != nil {
			return nil, err
		}
		out.Metrics = append(out.Metrics, m)
	}
	return out, nil
}

// GetContactPositionInput names a waiting contact.
type GetContactPositionInput struct {
	InstanceId *string
	ContactId  *string
}

// GetContactPositionOutput holds its POSITION_IN_QUEUE.
type GetContactPositionOutput struct {
	Position int
}

// GetContactPosition returns a waiting contact's 1-based position in queue
// (GetContactMetrics POSITION_IN_QUEUE). Errors: *InvalidParameterException,
// *ResourceNotFoundException, *ResourceConflictException for a contact not waiting.
func (s *Service) GetContactPosition(ctx context.Context, in *GetContactPositionInput) (*GetContactPositionOutput, error) {
	if in == nil {
		return nil, invalidParam("input is required")
	}
	inst, id, err := s.resolve(ctx, in.InstanceId, "ContactId", in.ContactId)
	if err != nil {
		return nil, err
	}
	p, err := inst.ContactPosition(contact.ID(id))
	if err != nil {
		return nil, err
	}
	return &GetContactPositionOutput{Position: p}, nil
}

// String describes the service for logs.
func (s *Service) String() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fmt.Sprintf("routing.Service{%d instances}", len(s.instances))
}
