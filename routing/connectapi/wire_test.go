package connectapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		{"criteria: no steps", "POST", update, `{"RoutingCriteria": {"Steps": []}}`, "RoutingCriteria.Steps: must hold at least one step"},
		{"criteria: steps not a list", "POST", update, `{"RoutingCriteria": {"Steps": {}}}`, "RoutingCriteria.Steps must be a list"},
		{"criteria: level as string", "POST", update, `{"RoutingCriteria": {"Steps": [{"Expression": {"AttributeCondition": {"Name": "a", "Value": "b", "ProficiencyLevel": "3"}}}]}}`, "RoutingCriteria.Steps.Expression.AttributeCondition.ProficiencyLevel must be a number"},
		{"criteria: duration fractional", "POST", update, `{"RoutingCriteria": {"Steps": [{"Expiry": {"DurationInSeconds": 1.5}}]}}`, "RoutingCriteria.Steps.Expiry.DurationInSeconds must be an integer"},
		{"attribute: values not a union", "PUT", "/predefined-attributes/" + inst, `{"Name": "a", "Values": ["x"]}`, "Values must be an object"},
		{"attribute: values without StringList", "PUT", "/predefined-attributes/" + inst, `{"Name": "a", "Values": {}}`, "Values must set its member StringList"},
		{"attribute: no name", "PUT", "/predefined-attributes/" + inst, `{"Values": {"StringList": ["x"]}}`, "Name is required"},
		{"attribute: name too long", "PUT", "/predefined-attributes/" + inst, `{"Name": "` + long(101) + `", "Values": {"StringList": ["x"]}}`, "Name is 101 characters"},
		{"attribute: path name too long", "DELETE", "/predefined-attributes/" + inst + "/" + long(101), ``, "Name is 101 characters"},
		{"attributes: maxResults not a number", "GET", "/predefined-attributes/" + inst + "?maxResults=ten", ``, "maxResults \"ten\""},
		{"attributes: maxResults twice", "GET", "/predefined-attributes/" + inst + "?maxResults=1&maxResults=2", ``, "maxResults is given 2 times"},
		{"attributes: maxResults 0", "GET", "/predefined-attributes/" + inst + "?maxResults=0", ``, "MaxResults 0 is out of range 1..100"},
		{"attributes: bad token", "GET", "/predefined-attributes/" + inst + "?nextToken=zz", ``, "NextToken \"zz\""},
		{"attributes: bad query", "GET", "/predefined-attributes/" + inst + "?maxResults=%zz", ``, "malformed query string"},
		{"proficiencies: missing list", "POST", "/users/" + inst + "/" + agent1 + "/associate-proficiencies", `{}`, "UserProficiencies is required"},
		{"proficiencies: missing level", "POST", "/users/" + inst + "/" + agent1 + "/associate-proficiencies", `{"UserProficiencies": [{"AttributeName": "a", "AttributeValue": "b"}]}`, "UserProficiencies[0].Level is required"},
		{"proficiencies: missing value", "POST", "/users/" + inst + "/" + agent1 + "/proficiencies", `{"UserProficiencies": [{"AttributeName": "a", "Level": 1}]}`, "UserProficiencies[0].AttributeValue is required"},
		{"proficiencies: level NaN", "POST", "/users/" + inst + "/" + agent1 + "/proficiencies", `{"UserProficiencies": [{"AttributeName": "a", "AttributeValue": "b", "Level": "NaN"}]}`, "UserProficiencies.Level must be a number"},
		{"proficiencies: missing name", "POST", "/users/" + inst + "/" + agent1 + "/disassociate-proficiencies", `{"UserProficiencies": [{"AttributeValue": "b"}]}`, "UserProficiencies[0].AttributeName is required"},
		{"proficiencies: user id too long", "GET", "/users/" + inst + "/" + long(257) + "/proficiencies", ``, "UserId is 257 characters"},
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
			assert.Contains(t, r.message, tt.want, "got Message %q; want it to contain %q", r.message, tt.want)
		})
	}
	got := e.describe(c, id)
	assert.Equal(t, int64(5), aws.ToInt64(got.QueuePriority), "contact changed by bad requests: %+v", got)
	assert.Equal(t, int32(0), aws.ToInt32(got.QueueTimeAdjustmentSeconds), "contact changed by bad requests: %+v", got)
	assert.Nil(t, got.DisconnectTimestamp, "contact changed by bad requests: %+v", got)
	n := metrics(t, e, c, nil, nil, "CONTACTS_IN_QUEUE", "AGENTS_ONLINE")[key{}]
	assert.Equal(t, 1.0, n["CONTACTS_IN_QUEUE"], "metrics changed by bad requests: %v", n)
	assert.Equal(t, 0.0, n["AGENTS_ONLINE"], "metrics changed by bad requests: %v", n)
	e.verify()
}

// TestRawUpdateWire checks the exact wire of a successful call: status 200, {} and a
// request ID; an empty body counts as {} (and is then missing both members).
func TestRawUpdateWire(t *testing.T) {
	e := newEnv(t, testConfig())
	id := e.startTask(e.sdk(), flowQ1)
	r := e.raw("POST", "/contacts/"+inst+"/"+id+"/routing-data", []byte(`{"QueueTimeAdjustmentSeconds": -30}`))
	assert.Equal(t, 200, r.status, "got %d %q %q; want 200 {}", r.status, r.errorType, r.body)
	assert.Equal(t, "{}", string(r.body), "got %d %q %q; want 200 {}", r.status, r.errorType, r.body)
	assert.Empty(t, r.errorType, "got %d %q %q; want 200 {}", r.status, r.errorType, r.body)
	r = e.raw("POST", "/contacts/"+inst+"/"+id+"/routing-data", nil)
	r.wantError(t, 400, "InvalidParameterException")
	// Escaped path segments are unescaped.
	r = e.raw("GET", "/contacts/"+inst+"/"+strings.ReplaceAll(id, "-", "%2D"), nil)
	assert.Equal(t, 200, r.status, "escaped contact ID: got %d %q; want 200", r.status, r.body)
	var out struct{ Contact map[string]any }
	require.NoError(t, json.Unmarshal(r.body, &out))
	for _, m := range []string{"Id", "Arn", "Channel", "QueueInfo", "QueuePriority", "QueueTimeAdjustmentSeconds", "InitiationTimestamp"} {
		assert.Contains(t, out.Contact, m, "DescribeContact lacks %s: %s", m, r.body)
	}
	assert.Equal(t, float64(t0.Unix()), out.Contact["InitiationTimestamp"],
		"InitiationTimestamp %v; want the JSON number %d (epoch seconds)", out.Contact["InitiationTimestamp"], t0.Unix())
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
	assert.NotEqual(t, a.requestID, b.requestID, "two requests share the ID %q", a.requestID)
}

// TestHeaderSpelling checks the header names byte for byte, as Amazon Connect spells them: in
// the handler's header map, and in the response bytes a client reads off the connection.
func TestHeaderSpelling(t *testing.T) {
	e := newEnv(t, testConfig())
	const body = `{"QueuePriority":1}`
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest("POST", "/contacts/"+inst+"/nope/routing-data", strings.NewReader(body)))
	assert.Len(t, exactHeader(rec.Header(), wireRequestID), 1, "headers %v; want one %s", rec.Header(), wireRequestID)
	assert.Equal(t, []string{"ResourceNotFoundException"}, exactHeader(rec.Header(), wireErrorType),
		"headers %v; want %s: ResourceNotFoundException", rec.Header(), wireErrorType)

	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /contacts/%s/nope/routing-data HTTP/1.1\r\nHost: emulator\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", inst, len(body), body)
	require.NoError(t, err)
	resp, err := io.ReadAll(conn)
	require.NoError(t, err)
	head, _, _ := strings.Cut(string(resp), "\r\n\r\n")
	assert.Contains(t, head, "\r\n"+wireRequestID+": ", "got response head %q; want a %s line", head, wireRequestID)
	assert.Contains(t, head, "\r\n"+wireErrorType+": ResourceNotFoundException\r\n",
		"got response head %q; want %s: ResourceNotFoundException", head, wireErrorType)
}
