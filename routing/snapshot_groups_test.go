package routing_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/contact"
	"github.com/routesim/routesim/routing"
)

const (
	frThenS1 = `{"Steps":[
	{"Expression":{"AttributeCondition":{"Name":"lang","Value":"fr","ProficiencyLevel":5.0,"ComparisonOperator":"NumberGreaterOrEqualTo"}},
	 "Expiry":{"DurationInSeconds":5}},
	{"Expression":{"AttributeCondition":{"Name":"skill","Value":"s1","ProficiencyLevel":5.0,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`
	s1Only = `{"Steps":[
	{"Expression":{"AttributeCondition":{"Name":"skill","Value":"s1","ProficiencyLevel":5.0,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}`
)

// TestRestoreKeepsGroupQueueRuns: a contact whose step expires into a group behind a later
// arrival waits in the group queue's heap, not its run (grpqueue.go); once the later one has
// left, a plain push would put it in the empty run. The snapshot says where it waits
// (ContactSnapshot.Runs) and the restored instance keeps it there: its snapshot equals the
// original's, and both route alike afterwards. A Runs naming a queue the contact is not in
// is refused.
func TestRestoreKeepsGroupQueueRuns(t *testing.T) {
	clk := routing.NewManualClock(t0)
	in, err := routing.NewInstance(snapConfig(), clk)
	require.NoError(t, err)
	tw := twin{clk, in}
	start := func(id, js string) {
		_, err := in.StartContact(routing.ContactSpec{ID: contact.ID(id), QueueID: "q1", Channel: voiceCh, RoutingCriteria: criteria(t, js)})
		require.NoError(t, err)
	}
	start("x", frThenS1)
	moveTo(tw, t0.Add(time.Second))
	start("y", s1Only)
	moveTo(tw, t0.Add(6*time.Second)) // x's first step expires: x enters y's group ahead of y
	require.NoError(t, in.EndContact("y", routing.Abandoned, 0))
	start("z", frThenS1) // a contact that will follow x into the group
	_, st := in.Snapshot()
	var runs uint64 = 1
	for _, c := range st.Contacts {
		if c.ID == "x" {
			runs = c.Runs
		}
	}
	require.Zero(t, runs, "x waits in its group queue's heap")

	back := restoreTwin(t, tw)
	require.Equal(t, tw.state(t), back.state(t), "snapshot after restore differs from before")
	for _, w := range []twin{tw, back} {
		moveTo(w, t0.Add(12*time.Second)) // z's first step expires into the group
		require.NoError(t, w.in.Verify())
	}
	require.Equal(t, tw.state(t), back.state(t), "snapshots differ after the restore")

	_, bad := in.Snapshot()
	for i := range bad.Contacts {
		if bad.Contacts[i].State == "WAITING" {
			bad.Contacts[i].Runs = 1 << 5 // a delay x has not reached
		}
	}
	fresh, err := routing.NewInstance(snapConfig(), routing.NewManualClock(bad.Time))
	require.NoError(t, err)
	err = fresh.Restore(bad)
	var se *routing.SnapshotError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Contains(t, se.Error(), ".runs")
	require.NoError(t, fresh.Verify(), "a refused restore leaves no expression behind")
}
