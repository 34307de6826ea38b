package connectapi_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

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
		if err := e.update(c, id, nil, ptr[int32](10)); err != nil {
			t.Fatalf("update %d within the burst: %v", i, err)
		}
	}
	err := e.update(c, id, nil, ptr[int32](10))
	wantCode(t, err, "ThrottlingException")
	var te *types.ThrottlingException
	if !errors.As(err, &te) {
		t.Errorf("error %T; want *types.ThrottlingException", err)
	}
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != 429 {
		t.Errorf("error %v: want HTTP 429", err)
	}
	// DescribeContact is not limited; each operation has its own bucket.
	for range 5 {
		if got := aws.ToInt32(e.describe(c, id).QueueTimeAdjustmentSeconds); got != 20 {
			t.Fatalf("QueueTimeAdjustmentSeconds %d; want 20 (the throttled call changed nothing)", got)
		}
	}
	if err := e.setStatus(c, agent1, statusOff); err != nil {
		t.Errorf("PutUserStatus throttled by another operation's bucket: %v", err)
	}
	// Time refills the bucket.
	frozen = frozen.Add(time.Second)
	if err := e.update(c, id, nil, ptr[int32](10)); err != nil {
		t.Errorf("after 1 s at 1/s: %v", err)
	}
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
			if !errors.As(err, &ie) {
				t.Fatalf("error %v; want *types.InternalServiceException", err)
			}
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
	if nf < 30 || nf > 90 {
		t.Errorf("%d of %d calls failed; want about 30%%", nf, n)
	}
	if int(adj) != n-nf {
		t.Errorf("adjustment %d; want %d, one per successful call (faulted calls change nothing)", adj, n-nf)
	}
	again, _, _ := faultRun(t, 7, n)
	if !slices.Equal(failed, again) {
		t.Error("the same seed gave a different fault sequence")
	}
	other, _, _ := faultRun(t, 8, n)
	if slices.Equal(failed, other) {
		t.Error("seeds 7 and 8 gave the same fault sequence")
	}
	// Retry logic gets every call through.
	rc := e.client(testKey, testSec, retrying)
	out, err := rc.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
		ContactFlowId: aws.String(flowQ1), Name: aws.String("r")})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if err := e.update(rc, aws.ToString(out.ContactId), nil, ptr[int32](2)); err != nil {
			t.Fatalf("with retries: %v", err)
		}
	}
	if got := aws.ToInt32(e.describe(rc, aws.ToString(out.ContactId)).QueueTimeAdjustmentSeconds); got != 100 {
		t.Errorf("adjustment %d after 50 retried +2 calls; want 100", got)
	}
	e.verify()
}
