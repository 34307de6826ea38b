package connectapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

func signedConfig() connectapi.Config {
	cfg := testConfig()
	cfg.Credentials = []connectapi.Credential{{AccessKeyID: testKey, SecretAccessKey: testSec},
		{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}}
	return cfg
}

// signed builds a request signed with the SDK's signer, as a client would.
func signed(t *testing.T, url, method string, body []byte, key, secret string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "connect", "eu-west-2", at)
	require.NoError(t, err)
	return req
}

func TestSigV4(t *testing.T) {
	clock := &settableNow{}
	e := newEnv(t, signedConfig(), connectapi.WithNow(clock.now))
	good := e.sdk()
	id := e.startTask(good, flowQ1)
	unchanged := func(t *testing.T) {
		t.Helper()
		got := e.describe(good, id)
		assert.Equal(t, int64(5), aws.ToInt64(got.QueuePriority),
			"contact changed by a denied request: priority %d; want 5", aws.ToInt64(got.QueuePriority))
		assert.Equal(t, int32(0), aws.ToInt32(got.QueueTimeAdjustmentSeconds),
			"contact changed by a denied request: adjustment %d; want 0", aws.ToInt32(got.QueueTimeAdjustmentSeconds))
	}
	adj := ptr[int32](30)

	t.Run("second key works", func(t *testing.T) {
		_, err := e.client("AKIDOTHER", "other-secret").DescribeContact(ctx, &connect.DescribeContactInput{
			InstanceId: aws.String(inst), ContactId: aws.String(id)})
		require.NoError(t, err)
	})
	t.Run("session token is signed too", func(t *testing.T) {
		c := connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.srv.URL), RetryMaxAttempts: 1,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSec, SessionToken: "tok"}, nil
			})})
		_, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
		require.NoError(t, err)
	})
	// Codes and messages as AWS's JSON endpoints send them (the "Signature expired" and
	// "not yet current" forms are what SDKs parse for clock-skew correction).
	denied := []struct {
		name string
		c    *connect.Client
		skew time.Duration
		code string
		msg  string
	}{
		{"wrong secret", e.client(testKey, "not-the-secret"), 0, "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided."},
		{"unknown key", e.client("AKIDUNKNOWN", testSec), 0, "UnrecognizedClientException",
			"The security token included in the request is invalid."},
		{"stale date", good, 6 * time.Minute, "InvalidSignatureException", "Signature expired: "},
		{"future date", good, -6 * time.Minute, "InvalidSignatureException", "Signature not yet current: "},
		{"unsigned (anonymous)", connect.New(connect.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.srv.URL),
			RetryMaxAttempts: 1, Credentials: aws.AnonymousCredentials{}}), 0, "MissingAuthenticationTokenException",
			"Missing Authentication Token"},
	}
	for _, tt := range denied {
		t.Run(tt.name, func(t *testing.T) {
			clock.set(tt.skew)
			defer clock.set(0)
			err := e.update(tt.c, id, nil, adj)
			wantCode(t, err, tt.code)
			assert.Contains(t, err.Error(), tt.msg, "error %v; want it to say %q", err, tt.msg)
			var re *awshttp.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 403, re.HTTPStatusCode(), "status of %s", tt.code)
			clock.set(0)
			unchanged(t)
		})
	}
	t.Run("within the skew", func(t *testing.T) {
		clock.set(4 * time.Minute)
		defer clock.set(0)
		_, err := good.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(inst), ContactId: aws.String(id)})
		require.NoError(t, err)
	})

	url := e.srv.URL + "/contacts/" + inst + "/" + id + "/routing-data"
	body := []byte(`{"QueueTimeAdjustmentSeconds":30}`)
	t.Run("hand-signed request works", func(t *testing.T) {
		r := do(t, signed(t, url, "POST", []byte(`{"QueueTimeAdjustmentSeconds":0}`), testKey, testSec, time.Now()))
		require.Equal(t, 200, r.status, "got %d %s %q; want 200", r.status, r.errorType, r.body)
	})
	t.Run("tampered body", func(t *testing.T) {
		req := signed(t, url, "POST", body, testKey, testSec, time.Now())
		evil := []byte(`{"QueueTimeAdjustmentSeconds":99}`)
		req.Body, req.ContentLength = nopCloser(evil), int64(len(evil))
		do(t, req).wantError(t, 403, "InvalidSignatureException")
		unchanged(t)
	})
	t.Run("tampered path", func(t *testing.T) {
		req := signed(t, url, "POST", body, testKey, testSec, time.Now())
		req.URL.Path = "/contacts/" + inst + "/other/routing-data"
		do(t, req).wantError(t, 403, "InvalidSignatureException")
	})
	t.Run("raw unsigned", func(t *testing.T) {
		e.raw("POST", "/contacts/"+inst+"/"+id+"/routing-data", body).wantError(t, 403, "MissingAuthenticationTokenException")
		unchanged(t)
	})
	t.Run("unsigned unknown operation", func(t *testing.T) {
		e.raw("GET", "/nope", nil).wantError(t, 403, "MissingAuthenticationTokenException")
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func nopCloser(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }

// TestSigV4QueryAndEscapedPath: signed requests whose signature covers a query string
// (the List operations' maxResults and nextToken) and an escaped path parameter (an
// attribute name with a space and a slash) are accepted; a wrong secret is still denied.
func TestSigV4QueryAndEscapedPath(t *testing.T) {
	cfg := critConfig()
	cfg.Credentials = signedConfig().Credentials
	e := newEnv(t, cfg)
	c := e.sdk()
	require.NoError(t, e.createAttr(c, "Skill set/2", "a b", "c"))
	a := e.describeAttr(c, "Skill set/2")
	assert.Equal(t, "Skill set/2", aws.ToString(a.Name), "Name of an attribute with a space and a slash")
	names, pages := e.listAttrs(c, 1)
	assert.Equal(t, []string{lang, "Skill set/2", tier}, names, "signed, paged list")
	assert.Equal(t, 3, pages, "pages of 1 for 3 attributes")
	got, _ := e.profs(c, agent2, 1)
	assert.Equal(t, []string{"Language=French:5"}, got, "signed ListUserProficiencies")
	_, err := e.client(testKey, "wrong-secret").ListPredefinedAttributes(ctx, &connect.ListPredefinedAttributesInput{
		InstanceId: aws.String(inst), MaxResults: aws.Int32(1)})
	wantCode(t, err, "InvalidSignatureException")
}
