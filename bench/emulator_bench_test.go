package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/routesim/routesim/routing/connectapi"
)

// The emulator benchmark: the requests a test suite sends to `routesim emulate`, on its
// built-in configuration (agents offline, so contacts wait). One op is one contact's round
// trip of four requests: StartTaskContact, UpdateContactRoutingData (QueuePriority),
// DescribeContact and StopContact, sent one after another as a test suite sends them;
// requests/s is per second of wall time.
//   - path=handler: the emulator's own work, requests built once and answered by
//     Emulator.ServeHTTP into a recorder: no network, no client.
//   - path=sdk: what a Go test suite sees: the AWS SDK for Go's Connect client over loopback
//     HTTP, its own marshalling and middleware included.
//   - path=sdkfloor: the same client against a handler that answers each of the four with a
//     canned body: the floor under path=sdk on the same machine, which no emulator can beat.

const emuOpsPerRoundTrip = 4

func newBenchEmulator(b *testing.B) *connectapi.Emulator {
	emu, err := connectapi.NewEmulator(connectapi.DefaultConfig(), connectapi.EmulatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return emu
}

// serve answers one request through emu and returns the body, failing on a status other
// than 200.
func serve(b *testing.B, emu *connectapi.Emulator, method, path string, body []byte) []byte {
	req, err := http.NewRequest(method, path, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	emu.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.Bytes())
	}
	return w.Body.Bytes()
}

func benchEmulatorHandler(b *testing.B) {
	emu := newBenchEmulator(b)
	inst := connectapi.DefaultInstanceID
	start := []byte(`{"InstanceId":"` + inst + `","ContactFlowId":"flow-sales","Name":"bench"}`)
	var out struct{ ContactId string }
	b.ReportAllocs()
	for b.Loop() {
		if err := json.Unmarshal(serve(b, emu, "PUT", "/contact/task", start), &out); err != nil {
			b.Fatal(err)
		}
		c := "/contacts/" + inst + "/" + out.ContactId
		serve(b, emu, "POST", c+"/routing-data", []byte(`{"QueuePriority":2}`))
		if d := serve(b, emu, "GET", c, nil); !bytes.Contains(d, []byte(`"QueuePriority":2`)) {
			b.Fatalf("DescribeContact: %s; want QueuePriority 2", d)
		}
		serve(b, emu, "POST", "/contact/stop", []byte(`{"InstanceId":"`+inst+`","ContactId":"`+out.ContactId+`"}`))
	}
	b.ReportMetric(float64(b.N*emuOpsPerRoundTrip)/b.Elapsed().Seconds(), "requests/s")
}

// cannedConnect answers the four requests of the round trip with the least the SDK accepts.
var cannedConnect = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "PUT":
		_, _ = w.Write([]byte(`{"ContactId":"c"}`))
	case r.Method == "GET":
		_, _ = w.Write([]byte(`{"Contact":{"Id":"c","QueuePriority":2}}`))
	default:
		_, _ = w.Write([]byte(`{}`))
	}
})

func benchEmulatorSDK(b *testing.B) { benchSDK(b, newBenchEmulator(b)) }

func benchEmulatorSDKFloor(b *testing.B) { benchSDK(b, cannedConnect) }

// benchSDK runs the round trip through the Go SDK against h.
func benchSDK(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := connect.New(connect.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "bench", SecretAccessKey: "bench"}, nil
		}),
	})
	inst, ctx := aws.String(connectapi.DefaultInstanceID), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		st, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst,
			ContactFlowId: aws.String("flow-sales"), Name: aws.String("bench")})
		if err != nil {
			b.Fatal(err)
		}
		id := st.ContactId
		if _, err := c.UpdateContactRoutingData(ctx, &connect.UpdateContactRoutingDataInput{
			InstanceId: inst, ContactId: id, QueuePriority: aws.Int64(2)}); err != nil {
			b.Fatal(err)
		}
		d, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: id})
		if err != nil {
			b.Fatal(err)
		}
		if got := aws.ToInt64(d.Contact.QueuePriority); got != 2 {
			b.Fatalf("contact %s has priority %d; want 2", aws.ToString(id), got)
		}
		if _, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: id}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*emuOpsPerRoundTrip)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkEmulator times one contact's round trip of four requests (see above); ns/op is
// per round trip.
func BenchmarkEmulator(b *testing.B) {
	b.Run("path=handler", benchEmulatorHandler)
	b.Run("path=sdk", benchEmulatorSDK)
	b.Run("path=sdkfloor", benchEmulatorSDKFloor)
}
