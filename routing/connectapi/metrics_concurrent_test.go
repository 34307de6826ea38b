package connectapi_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/require"
)

// TestConcurrentMetrics: 8 clients start and stop tasks while 4 read real-time, contact and
// historical metrics; afterwards CONTACTS_QUEUED counts every task stopped, once.
func TestConcurrentMetrics(t *testing.T) {
	const writers, readers, tasks = 8, 4, 40
	e := newEnv(t, testConfig())
	setup := e.sdk()
	e.clock.Advance(time.Second) // to the EndTime of v2ForAll
	require.NoError(t, e.setStatus(setup, agent1, statusAv))
	errs := make(chan error, writers+readers)
	var wg sync.WaitGroup
	for k := range writers {
		wg.Go(func() {
			c := e.sdk()
			for i := range tasks {
				id := e.startTask(c, flowQ1)
				if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)}); err != nil {
					errs <- fmt.Errorf("writer %d stop %d: %w", k, i, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	var rg sync.WaitGroup
	for k := range readers {
		rg.Go(func() {
			c := e.sdk()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				_, err := c.GetCurrentMetricData(ctx, &connect.GetCurrentMetricDataInput{InstanceId: aws.String(inst),
					Filters: &types.Filters{Queues: []string{q1}}, Groupings: []types.Grouping{types.GroupingQueue},
					CurrentMetrics: []types.CurrentMetric{{Name: "SLOTS_ACTIVE"}, {Name: "OLDEST_CONTACT_AGE"}, {Name: "AGENTS_STAFFED"}}})
				if err == nil {
					_, err = c.GetMetricDataV2(ctx, v2ForAll())
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d read %d: %w", k, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := metricsV2(t, setup, v2ForAll())
	wantValues(t, got[v2Key{start: "09:00"}], map[string]float64{"CONTACTS_QUEUED": writers * tasks})
	e.verify()
}

func v2ForAll() *connect.GetMetricDataV2Input {
	return &connect.GetMetricDataV2Input{ResourceArn: aws.String(instArn), StartTime: aws.Time(t0), EndTime: aws.Time(t0.Add(time.Second)),
		Filters: queuesFilter, Metrics: named("CONTACTS_QUEUED", "AVG_HANDLE_TIME")}
}
