package routing

import (
	"time"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/internal/prefetch"
)

// The wait estimator behind ESTIMATED_WAIT_TIME. Each lane (queue, channel) remembers when it
// routed its last estimatorSamples contacts. At time now, let k be how many of them were
// routed within the last EstimatorWindow and t0 the earliest of those k: the lane has
// answered about k contacts in now - t0, one every (now - t0)/k. A contact with p contacts to
// be answered before it, itself included (its POSITION_IN_QUEUE p), waits about
//
//	p · (now - t0) / k
//
// more. With k = 0 (nothing answered in the window) there is no estimate. The estimate uses
// only the times contacts were routed, never their routing ages; it assumes the recent pace
// goes on, so it lags a change of staffing by up to the window. Answer times are recorded
// only by an instance that keeps a history (InstanceConfig.History, as the emulator's do);
// without one there is never an estimate, and routing pays no store for it.
const (
	// estimatorSamples is how many answer times a lane keeps.
	estimatorSamples = 10
	// EstimatorWindow is how far back the wait estimator looks for answers.
	EstimatorWindow = 15 * time.Minute
)

// noteAnswer records that the lane routed a contact at now. O(1).
func (l *lane) noteAnswer(now time.Time) {
	l.answered[l.nAnswered%estimatorSamples] = now.UnixNano()
	l.nAnswered++
}

// answerPace returns the mean time between the lane's answers over the window ending at now,
// (now - t0)/k, and false when it answered nothing in the window. O(estimatorSamples).
func (l *lane) answerPace(now time.Time) (time.Duration, bool) {
	ns, since := now.UnixNano(), now.Add(-EstimatorWindow).UnixNano()
	k, t0 := 0, ns
	for i := range min(l.nAnswered, estimatorSamples) {
		if t := l.answered[i]; t >= since && t <= ns {
			k++
			t0 = min(t0, t)
		}
	}
	if k == 0 {
		return 0, false
	}
	return time.Duration((ns - t0) / int64(k)), true
}

// EstimatedWait returns the estimated further wait of a waiting contact (ESTIMATED_WAIT_TIME
// of GetContactMetrics): its POSITION_IN_QUEUE times the recent mean time between answers of
// its queue and channel (see EstimatorWindow). ok is false when the lane answered nothing in
// the window, or the instance keeps no history: there is no estimate. Errors:
// *ResourceNotFoundException, *ResourceConflictException for a contact not waiting. The cost is that of ContactPosition.
func (in *Instance) EstimatedWait(id contact.ID) (wait time.Duration, ok bool, err error) {
	prefetch.String(string(id)) // overlaps the ID's cache miss with the lock; see prefetch.String
	now := in.lock()
	defer in.mu.Unlock()
	r, err := in.waiting(id)
	if err != nil {
		return 0, false, err
	}
	pace, ok := r.lane.answerPace(now)
	if !ok {
		return 0, false, nil
	}
	var p int
	if !r.lane.grouped() {
		p, _ = r.lane.all.Position(r.all)
	} else {
		p = r.lane.rank(r)
	}
	return time.Duration(p) * pace, true, nil
}

// LaneEstimatedWait returns the estimated wait of a contact that would join a queue on a
// channel now (ESTIMATED_WAIT_TIME of GetCurrentMetricData): (waiting contacts + 1) times
// the lane's recent mean time between answers; ok is false when it answered nothing in the
// window or the instance keeps no history. Errors: *ResourceNotFoundException, *InvalidParameterException for an invalid
// channel. The cost is O(g) for g groups of the lane.
func (in *Instance) LaneEstimatedWait(queueID string, ch contact.Channel) (wait time.Duration, ok bool, err error) {
	now := in.lock()
	defer in.mu.Unlock()
	qs, found := in.queues[queueID]
	if !found {
		return 0, false, notFound("queue %q not found in instance %q", queueID, in.id)
	}
	if !ch.Valid() {
		return 0, false, invalidParam("channel %q is not VOICE, CHAT, TASK or EMAIL", ch)
	}
	l := qs.lanes[ch.Index()]
	pace, ok := l.answerPace(now)
	if !ok {
		return 0, false, nil
	}
	n := l.all.Len()
	for _, g := range l.glist {
		n += g.all.len()
	}
	return time.Duration(n+1) * pace, true, nil
}
