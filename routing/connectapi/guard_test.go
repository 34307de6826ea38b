package connectapi_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// retrying makes a client retry up to 50 times at once, as retry logic under test would.
func retrying(o *connect.Options) {
	o.RetryMaxAttempts = 50
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = 50
		so.RateLimiter = ratelimit.None
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

func TestThrottling(t *testing.T) {
	cfg := testConfig()
	cfg.Throttle = &connectapi.ThrottleConfig{Rate: 1, Burst: 2,
		Operations: map[string]connectapi.RateLimit{"DescribeContact": {Rate: 0}}}
	frozen := time.Now()
	e := newEnv(t, cfg, connectapi.WithNow(func() time.Time { return frozen }))
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	for i := range 2 {
		require.NoError(t, e.update(c, id, nil, ptr[int32](10)), "update %d within the burst", i)
	}
	err := e.update(c, id, nil, ptr[int32](10))
	wantCode(t, err, "ThrottlingException")
	var te *types.ThrottlingException
	assert.ErrorAs(t, err, &te, "error %T; want *types.ThrottlingException", err)
	var re interface{ HTTPStatusCode() int }
	if assert.ErrorAs(t, err, &re, "error %v: want HTTP 429", err) {
		assert.Equal(t, 429, re.HTTPStatusCode(), "error %v: HTTP %d; want 429", err, re.HTTPStatusCode())
	}
	// DescribeContact is not limited; each operation has its own bucket.
	for range 5 {
		got := aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds)
		require.Equal(t, int32(20), got, "QueueTimeAdjustmentSeconds %d; want 20 (the throttled call changed nothing)", got)
	}
	assert.NoError(t, e.setStatus(c, agent1, statusOff), "PutUserStatus throttled by another operation's bucket")
	// Time refills the bucket.
	frozen = frozen.Add(time.Second)
	assert.NoError(t, e.update(c, id, nil, ptr[int32](10)), "after 1 s at 1/s")
}

// faultRun starts a contact and sends n single-attempt updates of +1 under a 30% fault rate
// with the given seed; it returns which calls failed and the adjustment reached.
func faultRun(t *testing.T, seed uint64, n int) (failed []bool, adj int32, e *env) {
	cfg := testConfig()
	cfg.Faults = &connectapi.FaultConfig{Rate: 0.3, Seed: seed}
	e = newEnv(t, cfg)
	rc := e.client(testKey, testSec, retrying)
	id := e.startTask(rc, flowQ1)
	c := e.sdk()
	for range n {
		err := e.update(c, id, nil, ptr[int32](1))
		if err != nil {
			var ie *types.InternalServiceException
			require.ErrorAs(t, err, &ie, "error %v; want *types.InternalServiceException", err)
		}
		failed = append(failed, err != nil)
	}
	return failed, aws.ToInt32(e.describe(rc, id).QueueTimeAdjustmentSeconds), e
}

func TestFaultInjection(t *testing.T) {
	const n = 200
	failed, adj, e := faultRun(t, 7, n)
	nf := 0
	for _, f := range failed {
		if f {
			nf++
		}
	}
	// Binomial(200, 0.3): mean 60, standard deviation 6.5; 30..90 is over 4.5 of them.
	assert.GreaterOrEqual(t, nf, 30, "%d of %d calls failed; want about 30%%", nf, n)
	assert.LessOrEqual(t, nf, 90, "%d of %d calls failed; want about 30%%", nf, n)
	assert.Equal(t, n-nf, int(adj), "adjustment %d; want %d, one per successful call (faulted calls change nothing)", adj, n-nf)
	again, _, _ := faultRun(t, 7, n)
	assert.True(t, slices.Equal(failed, again), "the same seed gave a different fault sequence")
	other, _, _ := faultRun(t, 8, n)
	assert.False(t, slices.Equal(failed, other), "seeds 7 and 8 gave the same fault sequence")
	// Retry logic gets every call through.
	rc := e.client(testKey, testSec, retrying)
	out, err := rc.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowQ1), Name: aws.String("r")})
	require.NoError(t, err)
	for range 50 {
		require.NoError(t, e.update(rc, aws.ToString(out.ContactId), nil, ptr[int32](2)), "with retries")
	}
	got := aws.ToInt32(e.describe(rc, aws.ToString(out.ContactId)).QueueTimeAdjustmentSeconds)
	assert.Equal(t, int32(100), got, "adjustment %d after 50 retried +2 calls; want 100", got)
	e.verify()
}
