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

// fuzzOps are the operations' bindings; %s is where the fuzzed path parameter goes.
var fuzzOps = []struct{ method, path string }{
	{"PUT", "/contact/task"},
	{"PUT", "/contact/chat"},
	{"POST", "/contact/stop"},
	{"GET", "/contacts/" + inst + "/%s"},
	{"POST", "/contacts/" + inst + "/%s/routing-data"},
	{"PUT", "/users/" + inst + "/%s/status"},
	{"POST", "/metrics/current/%s"},
	{"POST", "/metrics/contact"},
	{"PUT", "/predefined-attributes/" + inst},
	{"GET", "/predefined-attributes/" + inst + "?maxResults=%s"},
	{"GET", "/predefined-attributes/" + inst + "/%s"},
	{"POST", "/predefined-attributes/" + inst + "/%s"},
	{"DELETE", "/predefined-attributes/" + inst + "/%s"},
	{"POST", "/users/" + inst + "/%s/associate-proficiencies"},
	{"POST", "/users/" + inst + "/%s/proficiencies"},
	{"POST", "/users/" + inst + "/%s/disassociate-proficiencies"},
	{"GET", "/users/" + inst + "/%s/proficiencies?nextToken=1"},
}

// FuzzRequestDecoding sends arbitrary bodies and path (or query) parameters to every
// operation, over the criteria configuration: the
// handler never panics (a recovered panic would answer 500), always answers JSON with a
// request ID and a known status, and the routing core's invariants hold after every call.
func FuzzRequestDecoding(f *testing.F) {
	seeds := []struct {
		op    uint8
		param string
		body  string
	}{
		{0, "", `{"InstanceId":"inst-1","ContactFlowId":"flow-q1","Name":"t","ClientToken":"a"}`},
		{1, "", `{"InstanceId":"inst-1","ContactFlowId":"flow-q1-urgent","ParticipantDetails":{"DisplayName":"x"}}`},
		{2, "", `{"InstanceId":"inst-1","ContactId":"00000000-0000-4000-8000-000000000001"}`},
		{3, "00000000-0000-4000-8000-000000000001", ``},
		{4, "00000000-0000-4000-8000-000000000001", `{"QueuePriority":1}`},
		{4, "00000000-0000-4000-8000-000000000001", `{"QueueTimeAdjustmentSeconds":-60}`},
		{4, "x", `{"QueuePriority":1,"QueueTimeAdjustmentSeconds":2}`},
		{5, "agent-1", `{"AgentStatusId":"st-available"}`},
		{6, "inst-1", `{"Filters":{"Queues":["q1"],"Channels":["TASK"]},"Groupings":["QUEUE","CHANNEL"],"CurrentMetrics":[{"Name":"OLDEST_CONTACT_AGE","Unit":"SECONDS"}],"MaxResults":1,"NextToken":"1"}`},
		{7, "", `{"InstanceId":"inst-1","ContactId":"00000000-0000-4000-8000-000000000001","Metrics":[{"Name":"POSITION_IN_QUEUE"}]}`},
		{4, "x", `{"QueuePriority":"1"}`},
		{4, "x", `[{"QueuePriority":1}]`},
		{4, "x", `{"QueuePriority":1e400}`},
		{6, "inst-1", `{"Filters":null,"CurrentMetrics":[{"Name":null}]}`},
		{4, "x", `{"RoutingCriteria":{"Steps":[{"Expiry":{"DurationInSeconds":0},"Expression":{"AttributeCondition":{"Name":"Language","Value":"French","ProficiencyLevel":4,"ComparisonOperator":"NumberGreaterOrEqualTo"}}}]}}`},
		{4, "x", `{"RoutingCriteria":{"Steps":[{"Expression":{"OrExpression":[{"NotAttributeCondition":{"Name":"Tier","Value":"Gold","Range":{"MinProficiencyLevel":1,"MaxProficiencyLevel":3}}},{"AttributeCondition":{"MatchCriteria":{"AgentsCriteria":{"AgentIds":["agent-1"]}}}}]}}]}}`},
		{8, "", `{"Name":"Skill","Values":{"StringList":["a","b"]}}`},
		{9, "1", ``},
		{10, "Language", ``},
		{11, "Tier", `{"Values":{"StringList":["Gold"]}}`},
		{12, "Skill", ``},
		{13, "agent-1", `{"UserProficiencies":[{"AttributeName":"Language","AttributeValue":"French","Level":4}]}`},
		{14, "agent-2", `{"UserProficiencies":[{"AttributeName":"Language","AttributeValue":"French","Level":"NaN"}]}`},
		{15, "agent-2", `{"UserProficiencies":[{"AttributeName":"Language","AttributeValue":"French"}]}`},
		{16, "agent-1", ``},
	}
	for _, s := range seeds {
		f.Add(s.op, s.param, []byte(s.body))
	}
	svc := routing.NewService(routing.WithClock(routing.NewManualClock(t0)))
	h, err := connectapi.NewHandler(svc, critConfig())
	require.NoError(f, err)
	in, _ := svc.Instance(inst)
	f.Fuzz(func(t *testing.T, op uint8, param string, body []byte) {
		o := fuzzOps[int(op)%len(fuzzOps)]
		path := strings.Replace(o.path, "%s", url.PathEscape(param), 1)
		req := httptest.NewRequest(o.method, "http://emulator"+path, bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		// 429 is LimitExceededException, once the fuzzer has created 150 predefined attributes.
		require.Contains(t, []int{http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests}, rec.Code,
			"%s %s %q: got status %d %s; want 200, 400, 404, 409 or 429", o.method, path, body, rec.Code, rec.Body)
		require.Len(t, exactHeader(rec.Header(), wireRequestID), 1, "headers %v; want one %s", rec.Header(), wireRequestID)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), "body %q is not a JSON object", rec.Body)
		if rec.Code != http.StatusOK {
			msg, _ := out["Message"].(string)
			require.Len(t, exactHeader(rec.Header(), wireErrorType), 1, "error %d: headers %v; want one %s", rec.Code, rec.Header(), wireErrorType)
			require.NotEmpty(t, msg, "error %d without a message: %s", rec.Code, rec.Body)
		}
		require.NoError(t, in.Verify())
	})
}
