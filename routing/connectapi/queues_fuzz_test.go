package connectapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing"
	"github.com/routesim/routesim/routing/connectapi"
)

// queueFuzzOps are the bindings of queues.go, hours.go and contacts.go; %s is where the
// fuzzed path or query parameter goes.
var queueFuzzOps = []struct{ method, path string }{
	{"GET", "/queues-summary/" + inst + "?%s"},
	{"GET", "/queues/" + inst + "/%s"},
	{"PUT", "/queues/%s"},
	{"POST", "/queues/" + inst + "/%s/name"},
	{"POST", "/queues/" + inst + "/%s/status"},
	{"POST", "/queues/" + inst + "/%s/max-contacts"},
	{"GET", "/hours-of-operations-summary/" + inst + "?%s"},
	{"POST", "/contact/transfer"},
	{"POST", "/contact/attributes"},
	{"GET", "/contact/attributes/" + inst + "/%s"},
	{"PUT", "/contact/task"},
}

// FuzzQueueRequests is FuzzRequestDecoding for the queue, transfer and attribute operations:
// the handler never panics, answers JSON with a request ID and a status of the operations'
// models, and the routing core's invariants hold after every call.
func FuzzQueueRequests(f *testing.F) {
	seeds := []struct {
		op    uint8
		param string
		body  string
	}{
		{0, "maxResults=1&nextToken=b2Zmc2V0OjE", ``},
		{0, "queueTypes=AGENT", ``},
		{1, q1, ``},
		{2, inst, `{"Name":"N","HoursOfOperationId":"hours-1","MaxContacts":1,"Tags":{"a":"b"}}`},
		{3, q1, `{"Name":"Two"}`},
		{4, q2, `{"Status":"DISABLED"}`},
		{5, q1, `{"MaxContacts":0}`},
		{6, "maxResults=0", ``},
		{7, "", `{"InstanceId":"inst-1","ContactId":"00000000-0000-4000-8000-000000000001","ContactFlowId":"flow-q1","QueueId":"q2"}`},
		{8, "", `{"InstanceId":"inst-1","InitialContactId":"00000000-0000-4000-8000-000000000001","Attributes":{"a":"b"}}`},
		{9, "00000000-0000-4000-8000-000000000001", ``},
		{10, "", `{"InstanceId":"arn:aws:connect:us-east-1:123456789012:instance/inst-1","ContactFlowId":"flow-q1","Name":"t","Attributes":{"k":"v"}}`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.param, []byte(s.body))
	}
	svc := routing.NewService(routing.WithClock(routing.NewManualClock(t0)))
	h, err := connectapi.NewHandler(svc, queueConfig())
	require.NoError(f, err)
	in, _ := svc.Instance(inst)
	f.Fuzz(func(t *testing.T, op uint8, param string, body []byte) {
		o := queueFuzzOps[int(op)%len(queueFuzzOps)]
		p := url.PathEscape(param)
		if strings.Contains(o.path, "?") {
			p = param
		}
		req, err := http.NewRequest(o.method, "http://emulator"+strings.Replace(o.path, "%s", p, 1), bytes.NewReader(body))
		if err != nil {
			t.Skip("not a request")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Contains(t, []int{200, 400, 402, 404, 409, 429}, rec.Code,
			"%s %s %q: got status %d %s", o.method, req.URL, body, rec.Code, rec.Body)
		require.Len(t, exactHeader(rec.Header(), wireRequestID), 1)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), "body %q is not a JSON object", rec.Body)
		if rec.Code != http.StatusOK {
			msg, _ := out["Message"].(string)
			require.NotEmpty(t, msg, "error %d without a message: %s", rec.Code, rec.Body)
		}
		require.NoError(t, in.Verify())
	})
}
