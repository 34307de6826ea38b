package connectapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemberNamesAreExact: a member whose name differs from the model's only in case is an
// unknown member, ignored, as AWS's deserializers do; Go's encoding/json alone would take it.
func TestMemberNamesAreExact(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	path := "/contacts/" + inst + "/" + id + "/routing-data"
	for _, body := range []string{
		`{"queuePriority":7}`,
		`{"QUEUEPRIORITY":7}`,
		`{"queueTimeAdjustmentSeconds":30}`,
		`{"routingCriteria":{"Steps":[]}}`,
	} {
		t.Run(body, func(t *testing.T) {
			r := e.raw("POST", path, []byte(body))
			r.wantError(t, 400, "InvalidParameterException")
			got := e.describe(c, id)
			assert.Equal(t, int64(5), aws.ToInt64(got.QueuePriority), "priority after %s; want 5 (unchanged)", body)
			assert.Equal(t, int32(0), aws.ToInt32(got.QueueTimeAdjustmentSeconds), "adjustment after %s; want 0", body)
		})
	}
	t.Run("exact name with a wrongly cased twin", func(t *testing.T) {
		r := e.raw("POST", path, []byte(`{"QueuePriority":3,"queuePriority":7}`))
		require.Equal(t, 200, r.status, "got %d %s %q", r.status, r.errorType, r.body)
		assert.Equal(t, int64(3), aws.ToInt64(e.describe(c, id).QueuePriority), "QueuePriority; want 3, the exact member's")
	})
	t.Run("nested members too", func(t *testing.T) {
		// StartChatContact's ParticipantDetails.displayName is unknown: DisplayName is missing.
		r := e.raw("PUT", "/contact/chat", []byte(`{"InstanceId":"`+inst+`","ContactFlowId":"`+flowQ1+
			`","ParticipantDetails":{"displayName":"x"}}`))
		r.wantError(t, 400, "InvalidParameterException")
		assert.Contains(t, r.message, "DisplayName", "message %q", r.message)
	})
	t.Run("a wrong type in an unknown member is ignored", func(t *testing.T) {
		r := e.raw("POST", path, []byte(`{"QueuePriority":4,"queuepriority":"x"}`))
		require.Equal(t, 200, r.status, "got %d %s %q", r.status, r.errorType, r.body)
	})
}

// TestClientTokenPerOperation: a token is idempotent within one operation and instance only.
func TestClientTokenPerOperation(t *testing.T) {
	e := newEnv(t, testConfig())
	c := e.sdk()
	task := func() string {
		out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(inst),
			ContactFlowId: aws.String(flowQ1), Name: aws.String("t"), ClientToken: aws.String("tok")})
		require.NoError(t, err)
		return aws.ToString(out.ContactId)
	}
	chat := func() string {
		out, err := c.StartChatContact(ctx, &connect.StartChatContactInput{InstanceId: aws.String(inst),
			ContactFlowId: aws.String(flowQ1), ClientToken: aws.String("tok"),
			ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("c")}})
		require.NoError(t, err)
		return aws.ToString(out.ContactId)
	}
	a := task()
	b := chat()
	assert.NotEqual(t, a, b, "StartChatContact with StartTaskContact's token returned the task %q", a)
	assert.Equal(t, "CHAT", string(e.describe(c, b).Channel), "channel of the chat")
	assert.Equal(t, a, task(), "the task's token again")
	assert.Equal(t, b, chat(), "the chat's token again")
	e.clock.Advance(7*24*time.Hour + time.Second)
	assert.NotEqual(t, a, task(), "a token older than 7 days starts a new contact")
}

// TestLongInputIsClipped: error messages quote at most ~200 characters of input.
func TestLongInputIsClipped(t *testing.T) {
	e := newEnv(t, testConfig())
	long := strings.Repeat("x", 5000)
	r := e.raw("GET", "/contacts/"+inst+"/"+long[:250], nil)
	r.wantError(t, 404, "ResourceNotFoundException")
	assert.Less(t, len(r.message), 400, "message of %d bytes: %q", len(r.message), r.message)
	r = e.raw("GET", "/"+long, nil)
	r.wantError(t, 404, "UnknownOperationException")
	assert.Less(t, len(r.message), 400, "message of %d bytes", len(r.message))
	r = e.raw("PUT", "/contact/task", []byte(`{"InstanceId":"`+inst+`","ContactFlowId":"`+long[:400]+`","Name":"t"}`))
	require.Equal(t, 404, r.status, "%s", r.body)
	assert.Less(t, len(r.message), 400, "message of %d bytes", len(r.message))
}

// TestPresigned: a query-string (presigned) SigV4 signature is verified like header auth,
// over the body's hash or UNSIGNED-PAYLOAD.
func TestPresigned(t *testing.T) {
	e := newEnv(t, signedConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	target := e.srv.URL + "/contacts/" + inst + "/" + id
	presign := func(t *testing.T, method, u, secret, payload string, at time.Time, expires int) *http.Request {
		t.Helper()
		req, err := http.NewRequest(method, u, nil)
		require.NoError(t, err)
		if expires > 0 {
			q := req.URL.Query()
			q.Set("X-Amz-Expires", strconv.Itoa(expires))
			req.URL.RawQuery = q.Encode()
		}
		signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(),
			aws.Credentials{AccessKeyID: testKey, SecretAccessKey: secret}, req, payload, "connect", "eu-west-1", at)
		require.NoError(t, err)
		out, err := http.NewRequest(method, signedURL, nil)
		require.NoError(t, err)
		return out
	}
	empty := sha256.Sum256(nil)
	bodyHash := hex.EncodeToString(empty[:])
	t.Run("UNSIGNED-PAYLOAD", func(t *testing.T) {
		r := do(t, presign(t, "GET", target, testSec, "UNSIGNED-PAYLOAD", time.Now(), 0))
		require.Equal(t, 200, r.status, "%d %s %s", r.status, r.errorType, r.body)
	})
	t.Run("body hash", func(t *testing.T) {
		r := do(t, presign(t, "GET", target, testSec, bodyHash, time.Now(), 0))
		require.Equal(t, 200, r.status, "%d %s %s", r.status, r.errorType, r.body)
	})
	t.Run("wrong secret", func(t *testing.T) {
		do(t, presign(t, "GET", target, "nope", bodyHash, time.Now(), 0)).wantError(t, 403, "InvalidSignatureException")
	})
	t.Run("tampered query", func(t *testing.T) {
		req := presign(t, "GET", target, testSec, bodyHash, time.Now(), 0)
		req.URL.RawQuery += "&extra=1"
		do(t, req).wantError(t, 403, "InvalidSignatureException")
	})
	t.Run("expired", func(t *testing.T) {
		r := do(t, presign(t, "GET", target, testSec, bodyHash, time.Now().Add(-10*time.Minute), 300))
		r.wantError(t, 403, "InvalidSignatureException")
		assert.Contains(t, r.message, "Signature expired", "message %q", r.message)
	})
	t.Run("within X-Amz-Expires", func(t *testing.T) {
		r := do(t, presign(t, "GET", target, testSec, bodyHash, time.Now().Add(-7*time.Minute), 900))
		require.Equal(t, 200, r.status, "%d %s %s", r.status, r.errorType, r.body)
	})
	t.Run("incomplete", func(t *testing.T) {
		u, _ := url.Parse(target)
		u.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
		req, _ := http.NewRequest("GET", u.String(), nil)
		do(t, req).wantError(t, 403, "IncompleteSignatureException")
	})
}

// TestMalformedAuthorization: a malformed Authorization header is
// IncompleteSignatureException, 403, and changes nothing.
func TestMalformedAuthorization(t *testing.T) {
	e := newEnv(t, signedConfig())
	c := e.sdk()
	id := e.startTask(c, flowQ1)
	for _, h := range []string{
		"AWS4-HMAC-SHA256 Credential=" + testKey + "/20250301/us-east-1/connect/aws4_request",
		"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
		"Basic dXNlcjpwYXNz",
		"AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=00",
	} {
		t.Run(h, func(t *testing.T) {
			req, err := http.NewRequest("POST", e.srv.URL+"/contacts/"+inst+"/"+id+"/routing-data",
				strings.NewReader(`{"QueuePriority":1}`))
			require.NoError(t, err)
			req.Header.Set("Authorization", h)
			req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
			do(t, req).wantError(t, 403, "IncompleteSignatureException")
			assert.Equal(t, int64(5), aws.ToInt64(e.describe(c, id).QueuePriority), "priority after a denied call")
		})
	}
}
