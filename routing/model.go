package routing

import (
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/queue"
)

// AgentState is the state an agent asks for: offline or available. What the agent is doing
// (on contact, after-contact work) is reported separately as an AgentStatus.
type AgentState uint8

// Agent states an agent can be set to.
const (
	// AgentOffline agents take no new contacts; contacts in progress continue.
	AgentOffline AgentState = iota
	// AgentAvailable agents take contacts up to their profile's concurrency.
	AgentAvailable
	// AgentCustom agents are in a custom (not routable) status, such as a break: like
	// offline agents they take no new contacts and keep those in progress, but they count
	// as online.
	AgentCustom
)

// String returns "OFFLINE", "AVAILABLE" or "CUSTOM".
func (s AgentState) String() string {
	switch s {
	case AgentAvailable:
		return "AVAILABLE"
	case AgentCustom:
		return "CUSTOM"
	}
	return "OFFLINE"
}

// AgentStatus is what an agent is doing, derived from its state and its contacts.
type AgentStatus uint8

// Agent statuses.
const (
	StatusOffline AgentStatus = iota
	StatusAvailable
	StatusOnContact
	StatusAfterContactWork
	// StatusCustom: in a custom status (AgentCustom), holding nothing.
	StatusCustom
)

// String returns the status name.
func (s AgentStatus) String() string {
	return [...]string{"OFFLINE", "AVAILABLE", "ON_CONTACT", "AFTER_CONTACT_WORK", "CUSTOM"}[s]
}

// ContactState is where a contact is in its life.
type ContactState uint8

// Contact states.
const (
	// Waiting: in a queue.
	Waiting ContactState = iota + 1
	// WithAgent: routed to an agent.
	WithAgent
	// Ended: completed, abandoned or stopped (see EndReason).
	Ended
)

// String returns the state name.
func (s ContactState) String() string {
	switch s {
	case Waiting:
		return "WAITING"
	case WithAgent:
		return "WITH_AGENT"
	case Ended:
		return "ENDED"
	}
	return "UNKNOWN"
}

// EndReason says how a contact ended.
type EndReason uint8

// End reasons.
const (
	// NotEnded is the zero value: the contact has not ended.
	NotEnded EndReason = iota
	// Completed: an agent handled the contact to its end.
	Completed
	// Abandoned: the customer left while waiting.
	Abandoned
	// Stopped: StopContact ended it (waiting or with an agent). The history counts a
	// waiting contact stopped so as abandoned: the customer left the queue.
	Stopped
	// Removed: the API ended it for another reason than the customer leaving (StopContact
	// with a DisconnectReason other than CUSTOMER_DISCONNECT). It ends a contact as Stopped
	// does, but the history does not count a waiting contact removed so as abandoned.
	Removed
	// Transferred: TransferContact moved it to another queue as a new contact.
	Transferred
)

// String returns the reason's name.
func (r EndReason) String() string {
	return [...]string{"NOT_ENDED", "COMPLETED", "ABANDONED", "STOPPED", "REMOVED", "TRANSFERRED"}[r]
}

// record is the instance's whole record of a contact. Its lane's heaps hold &record.c; c must
// stay the first field (see recordOf, beside which a declaration fails to build otherwise).
type record struct {
	c   contact.Contact
	all queue.Handle // in lane.all, while waiting
	// runs has a grpQueue's bit set while the record is in that queue's run (see
	// grpqueue.go); 0 for a contact in no group. Here, among the lines prefetchRecord
	// loads, since popping a group's head reads it at once. (Records of 232 and 240 bytes
	// share a size class: it costs no memory.)
	runs    uint64
	tiers   []queue.Handle // in lane.tiers[i] for each i < len(tiers), while waiting
	seq     uint64         // instance-wide arrival sequence
	tag     int
	idHash  uint32 // the hash Instance.contacts files c.ID under
	state   ContactState
	reason  EndReason
	hasCrit bool // crit != nil, kept in the record's first lines for the routing path
	joined  bool // an agent took the contact while a restricting step was active
	lane    *lane
	// grp is the group of the active step's expression while the contact waits in one (its
	// step restricts it), else nil. It is here rather than in the critState (when that was
	// a separate allocation) because every routing and step-expiry path reads it: there it
	// cost a dependent cache miss per routed contact and per expired step (BenchmarkRouterCriteria: with prefetchSteps, 3.08 to 2.65 us per
	// routed contact; BenchmarkRouterSteadyState unchanged, p > 0.79, with records of 232
	// bytes rather than 224).
	grp   *group
	agent *agent
	// cs holds the routing criteria while hasCrit is set, zero otherwise. In the record
	// rather than a separate allocation (as it was), though every record grows by 16 bytes
	// for it: a routed contact and an expiring step read it, and as its own object it was
	// one more cold line, and page, per contact, whose prefetch stalled on the page walk.
	// Records are now 256 bytes (were 240), a size class whose objects start on a cache
	// line, so that a record spans exactly the four lines prefetchRecord loads.
	// BenchmarkRouterCriteria, alternating runs of each binary on the 2-core VM: 2.136 to
	// 1.876 us per routed contact (-12%, p=0.000, n=12); BenchmarkRouterSteadyState
	// delays=none 756 vs 779 ns (p=0.71, n=15).
	cs       critState
	stepWk   uint64 // the seq of the live timer of the active step, 0 for none
	routedAt time.Time
	endedAt  time.Time
}

// critState is a contact's routing criteria and where it is in them.
type critState struct {
	crit   *PreparedCriteria
	step   int32 // the active step; len(crit.steps) once every step has expired
	critN  int32 // how many criteria were set on the contact (Index is critN-1)
	critAt int64 // crit's ActivationTimestamp, Unix ns
}

// queueState is one routing queue: a lane per channel.
type queueState struct {
	id, name string
	lanes    [len(contact.Channels)]*lane
	profiles []*profile // profiles serving this queue on some channel
	adm      queueAdmin // status, capacity and what the API reports (queue_admin.go)
}

// lane holds the waiting contacts of one (queue, channel): all of them in one heap for
// metrics, position and delay-0 routing, and per distinct profile delay d > 0 a tier holding
// those whose real wait has reached d.
type lane struct {
	q     *queueState
	ch    int
	all   *queue.Heap
	tiers []*tier   // ascending delay
	refs  []laneRef // profiles that serve this lane
	// Contacts whose active step restricts who may take them wait not in all and the tiers
	// but in the group of the step's expression: groups[x.id] for expr x, made on first
	// use; glist lists the lane's groups in the order they were made.
	groups []*group
	glist  []*group
	// gheaps flattens the groups' queues for pickGroups: gheaps[x.id*(1+len(tiers)) + 1+i]
	// is groups[x.id].tiers[i], and at offset 0 its all; nil where no group was made.
	gheaps []*grpQueue
	// answered rings the times (Unix ns) of the lane's last len(answered) routed contacts,
	// for the wait estimator (see EstimatedWait); nAnswered counts every one.
	answered  [estimatorSamples]int64
	nAnswered uint64
}

// group holds the waiting contacts of a lane whose active step is one expression: all of
// them in all, and in tiers[i] those whose real wait reached lane.tiers[i].delay.
type group struct {
	all   grpQueue // first, on the lines a prefetch of the group brings (prefetchSteps)
	lane  *lane
	x     *expr
	tiers []*grpQueue
}

// tier holds the contacts of a lane whose real wait has reached delay.
type tier struct {
	lane     *lane
	delay    time.Duration
	eligible *queue.Heap
}

// laneRef is one profile's entry for a lane, seen from the lane.
type laneRef struct {
	p     *profile
	delay time.Duration
}

// profEntry is one entry of a profile: where to look and at what priority.
type profEntry struct {
	lane  *lane
	ch    int32 // lane.ch, kept here so that pickFor reads no lane
	ti    int32 // the index of src's tier in lane.tiers, or -1 for delay 0
	prio  int
	delay time.Duration
	src   *queue.Heap // lane.all for delay 0, else the lane's tier for delay
}

// profile is a routing profile and the agents of it ready to take each channel.
type profile struct {
	id      string
	entries []profEntry // ascending prio, then configuration order
	conc    [len(contact.Channels)]int
	cross   bool
	// anyCh has bit ch set when a contact of channel ch lets its agent be offered other
	// channels (ROUTE_ANY_CHANNEL); all bits when cross is set. It sits beside cross, which
	// canTake reads just before it.
	anyCh  uint8
	ready  [len(contact.Channels)]agentHeap
	agents []*agent
	// inbound is set for the TIME_SINCE_LAST_INBOUND availability timer: the idle order
	// counts from the end of the last contact only, not from status changes.
	inbound bool
	// name, desc and outbound are kept for DescribeRoutingProfile; routing reads none.
	name, desc, outbound string
	mark                 uint64 // Instance.markGen when readyMatching last found it serving the lane
}

// agent is one agent's state. used counts slots held per channel: contacts in progress and
// contacts in after-contact work.
type agent struct {
	id  string
	seq int
	p   *profile
	// xs lists the ids of the listed exprs the agent matches (those active since they were
	// interned; see activate), which pickFor reads beside p: ids, not *expr, since
	// pickGroups needs only the id, to index lane.gheaps.
	xs        []int
	state     AgentState
	used      [len(contact.Channels)]int
	busy      int   // sum of used
	acw       int   // slots in after-contact work
	lastFreed int64 // the idle-order key: lastAct or lastIn, as the profile's timer says
	lastAct   int64 // when the agent last went available or freed a slot
	lastIn    int64 // when the agent last freed a slot (ended an inbound contact)
	histAt    int64 // when the history last tracked the agent's time, Unix ns (0: never)
	// over holds, per channel, the slots the agent held past its concurrency when a change
	// lowered it (a profile move or a concurrency update): those contacts stay.
	over     [len(contact.Channels)]uint8 // concurrency is at most MaxConcurrency
	heapIdx  [len(contact.Channels)]int
	contacts []*record
	profs    []Proficiency // by (AttributeName, AttributeValue)
}

// canTake reports whether a may be offered a contact of channel ch now.
func (a *agent) canTake(ch int) bool {
	return a.state == AgentAvailable && a.used[ch] < a.p.conc[ch] &&
		(a.p.cross || a.busy == a.used[ch] || a.p.anyCh != 0 && a.crossOK(ch))
}

// crossOK reports whether every other channel a holds a contact of lets it be offered
// another channel (ROUTE_ANY_CHANNEL).
func (a *agent) crossOK(ch int) bool {
	for b, n := range a.used {
		if b != ch && n > 0 && a.p.anyCh&(1<<b) == 0 {
			return false
		}
	}
	return true
}

// freed records that a slot of a was freed at t: both idle clocks restart.
func (a *agent) freed(t int64) {
	a.lastAct, a.lastIn, a.lastFreed = t, t, t
}

// status derives what the agent is doing.
func (a *agent) status() AgentStatus {
	switch {
	case len(a.contacts) > 0:
		return StatusOnContact
	case a.acw > 0:
		return StatusAfterContactWork
	case a.state == AgentAvailable:
		return StatusAvailable
	case a.state == AgentCustom:
		return StatusCustom
	}
	return StatusOffline
}
