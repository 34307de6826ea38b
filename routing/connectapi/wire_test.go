package connectapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestBadInput sends what the SDK never would: every case answers 400
// InvalidParameterException with a message naming the problem, and changes nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	update := "/contacts/" + inst + "/" + id + "/routing-data"
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name, method, path, body, want string
	}{
		{"malformed JSON", "POST", update, `{"QueuePriority": `, "malformed JSON"},
		{"syntax error", "POST", update, `{"QueuePriority" 1}`, "malformed JSON"},
		{"data after the object", "POST", update, `{"QueuePriority": 1} {}`, "data after"},
		{"array body", "POST", update, `[1]`, "JSON object"},
		{"priority as string", "POST", update, `{"QueuePriority": "1"}`, "QueuePriority must be a long"},
		{"priority fractional", "POST", update, `{"QueuePriority": 1.5}`, "QueuePriority must be a long"},
		{"priority over int64", "POST", update, `{"QueuePriority": 9223372036854775808}`, "QueuePriority must be a long"},
		{"adjustment over int32", "POST", update, `{"QueueTimeAdjustmentSeconds": 2147483648}`, "QueueTimeAdjustmentSeconds must be an integer"},
		{"adjustment as bool", "POST", update, `{"QueueTimeAdjustmentSeconds": true}`, "QueueTimeAdjustmentSeconds must be an integer"},
		{"routing criteria", "POST", update, `{"RoutingCriteria": {"Steps": []}}`, "RoutingCriteria is not supported"},
		{"instance id too long", "POST", "/contacts/" + long(101) + "/" + id + "/routing-data", `{"QueuePriority": 1}`, "InstanceId is 101 characters"},
		{"contact id too long", "POST", "/contacts/" + inst + "/" + long(257) + "/routing-data", `{"QueuePriority": 1}`, "ContactId is 257 characters"},
		{"stop: contact id type", "POST", "/contact/stop", `{"InstanceId": "` + inst + `", "ContactId": 7}`, "ContactId must be a string"},
		{"stop: contact id too long", "POST", "/contact/stop", `{"InstanceId": "` + inst + `", "ContactId": "` + long(257) + `"}`, "ContactId is 257"},
		{"task: name too long", "PUT", "/contact/task", `{"InstanceId": "` + inst + `", "ContactFlowId": "` + flowQ1 + `", "Name": "` + long(513) + `"}`, "Name is 513"},
		{"task: flow id too long", "PUT", "/contact/task", `{"InstanceId": "` + inst + `", "ContactFlowId": "` + long(501) + `", "Name": "n"}`, "ContactFlowId is 501"},
		{"task: no name", "PUT", "/contact/task", `{"InstanceId": "` + inst + `", "ContactFlowId": "` + flowQ1 + `"}`, "Name is required"},
		{"status: wrong type", "PUT", "/users/" + inst + "/" + agent1 + "/status", `{"AgentStatusId": ["x"]}`, "AgentStatusId must be a string"},
		{"metrics: queues not a list", "POST", "/metrics/current/" + inst, `{"Filters": {"Queues": "q1"}, "CurrentMetrics": [{"Name": "CONTACTS_IN_QUEUE"}]}`, "Filters.Queues must be a list"},
		{"metrics: max results", "POST", "/metrics/current/" + inst, `{"Filters": {}, "MaxResults": 101, "CurrentMetrics": [{"Name": "CONTACTS_IN_QUEUE"}]}`, "MaxResults 101"},
		{"metrics: too many queues", "POST", "/metrics/current/" + inst, `{"Filters": {"Queues": [` + strings.Repeat(`"q1",`, 100) + `"q1"]}, "CurrentMetrics": [{"Name": "CONTACTS_IN_QUEUE"}]}`, "101 entries"},
		{"body over 1 MiB", "POST", update, `{"QueuePriority": 1, "Pad": "` + long(1<<20) + `"}`, "larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.raw(tt.method, tt.path, []byte(tt.body))
			r.wantError(t, http.StatusBadRequest, "InvalidParameterException")
			if !contains(r.message, tt.want) {
				t.Errorf("Message %q; want it to contain %q", r.message, tt.want)
			}
		})
	}
	got := e.describe(c, id)
	if aws.ToInt64(got.QueuePriority) != 5 || aws.ToInt32(got.QueueTimeAdjustmentSeconds) != 0 || got.DisconnectTimestamp != nil {
		t.Errorf("contact changed by bad requests: %+v", got)
	}
	if n := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE", "AGENTS_ONLINE")[key{}]; n["CONTACTS_IN_QUEUE"] != 1 || n["AGENTS_ONLINE"] != 0 {
		t.Errorf("metrics changed by bad requests: %v", n)
	}
	e.verify()
}

// TestRawUpdateWire checks the exact wire of a successful call: status 200, {} and a
// request ID; an empty body counts as {} (and is then missing both members).
func TestRawUpdateWire(t *testing.T) {
	e := newEnv(t, testConfig())
	id := e.startTask(e.sdk(), flowQ1)
	r := e.raw("POST", "/contacts/"+inst+"/"+id+"/routing-data", []byte(`{"QueueTimeAdjustmentSeconds": -30}`))
	if r.status != 200 || string(r.body) != "{}" || r.errorType != "" {
		t.Errorf("got %d %q %q; want 200 {}", r.status, r.errorType, r.body)
	}
	r = e.raw("POST", "/contacts/"+inst+"/"+id+"/routing-data", nil)
	r.wantError(t, 400, "InvalidParameterException")
	// Escaped path segments are unescaped.
	r = e.raw("GET", "/contacts/"+inst+"/"+strings.ReplaceAll(id, "-", "%2D"), nil)
	if r.status != 200 {
		t.Errorf("escaped contact ID: %d %q", r.status, r.body)
	}
	var out struct{ Contact map[string]any }
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"Id", "Arn", "Channel", "QueueInfo", "QueuePriority", "QueueTimeAdjustmentSeconds", "InitiationTimestamp"} {
		if _, ok := out.Contact[m]; !ok {
			t.Errorf("DescribeContact lacks %s: %s", m, r.body)
		}
	}
	ts, ok := out.Contact["InitiationTimestamp"].(float64)
	if !ok || ts != float64(t0.Unix()) {
		t.Errorf("InitiationTimestamp %v; want the JSON number %d (epoch seconds)", out.Contact["InitiationTimestamp"], t0.Unix())
	}
}

func TestUnknownOperation(t *testing.T) {
	e := newEnv(t, testConfig())
	tests := []struct{ method, path string }{
		{"GET", "/"},
		{"POST", "/instance"},
		{"GET", "/contacts/" + inst + "/x/routing-data"}, // wrong method
		{"DELETE", "/contact/task"},
		{"POST", "/contacts/" + inst + "/x/routing-data/extra"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			e.raw(tt.method, tt.path, []byte(`{}`)).wantError(t, http.StatusNotFound, "UnknownOperationException")
		})
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	e := newEnv(t, testConfig())
	a := e.raw("GET", "/nope", nil)
	b := e.raw("GET", "/nope", nil)
	if a.requestID == b.requestID {
		t.Errorf("two requests share the ID %q", a.requestID)
	}
}

// TestHeaderSpelling checks the header names byte for byte, as Amazon Connect spells them.
func TestHeaderSpelling(t *testing.T) {
	e := newEnv(t, testConfig())
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest("POST", "/contacts/"+inst+"/nope/routing-data", strings.NewReader(`{"QueuePriority":1}`)))
	if len(rec.Header()["x-amzn-RequestId"]) != 1 || rec.Header()["X-Amzn-ErrorType"][0] != "ResourceNotFoundException" {
		t.Errorf("headers %v; want x-amzn-RequestId and X-Amzn-ErrorType: ResourceNotFoundException", rec.Header())
	}
}
