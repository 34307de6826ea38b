package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestEmulatePrintConfigIsTheDefault(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"emulate", "-print-config"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	def := connectapi.DefaultConfig()
	if !bytes.Equal(out.Bytes(), def.JSON()) {
		t.Errorf("printed\n%s\nwant the default\n%s", out.String(), def.JSON())
	}
	if _, err := connectapi.LoadConfig(&out); err != nil {
		t.Errorf("the printed configuration does not load: %v", err)
	}
}

func TestEmulatePrintConfigFromFile(t *testing.T) {
	cfg := connectapi.DefaultConfig()
	cfg.Instances[0].ID = "from-file"
	cfg.Faults = &connectapi.FaultConfig{Rate: 0.1, Seed: 3}
	path := filepath.Join(t.TempDir(), "emulator.json")
	if err := os.WriteFile(path, cfg.JSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"emulate", "-config", path, "-print-config"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"from-file"`) || !strings.Contains(out.String(), `"seed": 3`) {
		t.Errorf("printed configuration is not the file's:\n%s", out.String())
	}
}

// TestEmulatePrintConfigCriteria: predefined attributes, proficiencies and a flow's routing
// criteria in a file are printed back by -print-config, and the printed file loads to the
// same configuration; a bad criteria field is refused naming it.
func TestEmulatePrintConfigCriteria(t *testing.T) {
	cfg := connectapi.DefaultConfig()
	lvl := 4.0
	cfg.Instances[0].Flows = append(cfg.Instances[0].Flows, connectapi.FlowConfig{ID: "flow-french", QueueID: connectapi.DefaultSupportQueueID,
		RoutingCriteria: &routing.RoutingCriteriaInput{Steps: []routing.RoutingCriteriaInputStep{{
			Expiry: &routing.RoutingCriteriaInputStepExpiry{DurationInSeconds: aws.Int32(30)},
			Expression: &routing.Expression{AttributeCondition: &routing.AttributeCondition{Name: connectapi.DefaultAttribute,
				Value: "French", ProficiencyLevel: &lvl, ComparisonOperator: routing.OpGreaterOrEqual}}}}}})
	dir := t.TempDir()
	path := filepath.Join(dir, "emulator.json")
	if err := os.WriteFile(path, cfg.JSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runMain(context.Background(), []string{"emulate", "-config", path, "-print-config"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !bytes.Equal(out.Bytes(), cfg.JSON()) {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), cfg.JSON())
	}
	back, err := connectapi.LoadConfig(&out)
	if err != nil {
		t.Fatalf("the printed configuration does not load: %v", err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("round trip changed the configuration: got %+v; want %+v", back, cfg)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, bytes.Replace(cfg.JSON(), []byte(`"Value": "French"`), []byte(`"Value": "German"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	want := "instances[0].flows[3].routingCriteria.Steps[0].Expression.AttributeCondition.Value"
	if code := runMain(context.Background(), []string{"emulate", "-config", bad, "-print-config"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), want) {
		t.Errorf("exit %d, stderr %q; want exit 1 naming %s", code, errb.String(), want)
	}
}

func TestEmulateErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"instances": [], "retries": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown field", []string{"emulate", "-config", bad}, 1, `unknown field "retries"`},
		{"missing file", []string{"emulate", "-config", filepath.Join(dir, "none.json")}, 1, "none.json"},
		{"extra argument", []string{"emulate", "now"}, 2, "unexpected argument"},
		{"bad flag", []string{"emulate", "-port", "1"}, 2, "flag provided but not defined"},
		{"bad address", []string{"emulate", "-addr", "256.0.0.1:bad"}, 1, "listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runMain(context.Background(), tt.args, &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errb.String(), tt.code, tt.want)
			}
		})
	}
}

// TestEmulateServesSDKClients starts the command on a free port, drives it with the AWS SDK
// through a task's life, and stops it as SIGINT would.
func TestEmulateServesSDKClients(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	exit := make(chan int, 1)
	go func() { exit <- runMain(ctx, []string{"emulate", "-addr", "127.0.0.1:0"}, &out, &errb) }()
	endpoint := waitForEndpoint(t, &out, exit)
	for _, want := range []string{connectapi.DefaultInstanceID, connectapi.DefaultSalesFlowID, connectapi.DefaultAvailableStatus, "agent-1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, out.String())
		}
	}
	c := connect.New(connect.Options{Region: "eu-central-1", BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "any", SecretAccessKey: "any"}, nil
		})})
	inst := aws.String(connectapi.DefaultInstanceID)
	started, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst,
		ContactFlowId: aws.String(connectapi.DefaultUrgentFlowID), Name: aws.String("demo")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutUserStatus(ctx, &connect.PutUserStatusInput{InstanceId: inst, UserId: aws.String("agent-1"),
		AgentStatusId: aws.String(connectapi.DefaultAvailableStatus)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: started.ContactId})
	if err != nil {
		t.Fatal(err)
	}
	if d.Contact.AgentInfo == nil || aws.ToString(d.Contact.AgentInfo.Id) != "agent-1" ||
		aws.ToInt64(d.Contact.QueuePriority) != 1 || aws.ToInt32(d.Contact.QueueTimeAdjustmentSeconds) != 60 {
		t.Errorf("contact %+v; want with agent-1, priority 1, adjustment 60", d.Contact)
	}
	if since := time.Since(aws.ToTime(d.Contact.QueueInfo.EnqueueTimestamp)); since < 0 || since > time.Minute {
		t.Errorf("EnqueueTimestamp %v is not the wall clock's now", aws.ToTime(d.Contact.QueueInfo.EnqueueTimestamp))
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d after shutdown: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the emulator did not shut down")
	}
}

var endpointRE = regexp.MustCompile(`endpoint\s+(http://\S+)`)

func waitForEndpoint(t *testing.T, out *lockedBuffer, exit chan int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := endpointRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-exit:
			t.Fatalf("emulate exited %d before serving", code)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("no endpoint printed within 10 s")
	return ""
}
