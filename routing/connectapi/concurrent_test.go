package connectapi_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
)

// TestConcurrentUpdates runs 16 SDK clients sending 500 signed updates each to shared
// contacts; afterwards each contact's adjustment is the sum of what was sent to it: no
// update was lost or applied twice.
func TestConcurrentUpdates(t *testing.T) {
	const clients, updates, nContacts = 16, 500, 24
	e := newEnv(t, signedConfig())
	setup := e.sdk()
	ids := make([]string, nContacts)
	for i := range ids {
		ids[i] = e.startTask(setup, flowQ1)
	}
	sums := make([][nContacts]int64, clients)
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for k := range clients {
		wg.Go(func() {
			c := e.sdk()
			rng := rand.New(rand.NewPCG(uint64(k), 1))
			for i := range updates {
				j := rng.IntN(nContacts)
				adj := int32(rng.IntN(121) - 60)
				if err := e.update(c, ids[j], nil, &adj); err != nil {
					errs <- fmt.Errorf("client %d update %d: %w", k, i, err)
					return
				}
				sums[k][j] += int64(adj)
				if i%100 == 0 {
					if _, err := c.GetContactMetrics(ctx, positionInput(ids[j])); err != nil {
						errs <- fmt.Errorf("client %d read %d: %w", k, i, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for j, id := range ids {
		var want int64
		for k := range clients {
			want += sums[k][j]
		}
		got := aws.ToInt32(e.describe(setup, id).QueueTimeAdjustmentSeconds)
		assert.Equal(t, want, int64(got), "contact %s: adjustment %d; want %d, the sum of what its clients sent", id, got, want)
	}
	e.verify()
}

func positionInput(id string) *connect.GetContactMetricsInput {
	return &connect.GetContactMetricsInput{InstanceId: aws.String(inst), ContactId: aws.String(id),
		Metrics: []types.ContactMetricInfo{{Name: "POSITION_IN_QUEUE"}}}
}
