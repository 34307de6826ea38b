package connectapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/routesim/routesim/routing"
)

// MaxClockSkew is how far a request's X-Amz-Date may be from the handler's clock.
const MaxClockSkew = 5 * time.Minute

// signingService is the SigV4 service name of Amazon Connect.
const signingService = "connect"

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
)

// verifier checks SigV4 signatures by signing the request again with the AWS SDK's signer
// and the secret of the access key it names, and comparing. It is safe for concurrent use.
type verifier struct {
	secrets map[string]string
	now     func() time.Time
	signer  *v4.Signer
}

func newVerifier(creds []Credential, now func() time.Time) *verifier {
	v := &verifier{secrets: make(map[string]string, len(creds)), now: now, signer: v4.NewSigner()}
	for _, c := range creds {
		v.secrets[c.AccessKeyID] = c.SecretAccessKey
	}
	return v
}

// authHeader is a parsed Authorization header.
type authHeader struct {
	keyID, date, region, service string
	signedHeaders                string
	signature                    string
}

func denied(format string, args ...any) error {
	return &routing.AccessDeniedException{Message: fmt.Sprintf(format, args...)}
}

// verify returns nil when r carries a valid, current SigV4 signature by a configured key
// over its method, path, query, signed headers and body; else an *AccessDeniedException.
func (v *verifier) verify(r *http.Request, body []byte) error {
	a, err := parseAuth(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	secret, ok := v.secrets[a.keyID]
	if !ok {
		return denied("the access key ID %q is not known to this emulator", a.keyID)
	}
	t, err := v.checkDate(r, a)
	if err != nil {
		return err
	}
	payloadHash, err := checkPayload(r, body)
	if err != nil {
		return err
	}
	signed := strings.Split(a.signedHeaders, ";")
	if !slices.Contains(signed, "host") || !slices.Contains(signed, "x-amz-date") {
		return denied("the signature must cover the host and x-amz-date headers")
	}
	req, creds := resignable(r, signed, a.keyID, secret)
	if err := v.signer.SignHTTP(context.Background(), creds, req, payloadHash, a.service, a.region, t); err != nil {
		return denied("signature check failed: %v", err)
	}
	want, err := parseAuth(req.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	if want.signedHeaders != a.signedHeaders ||
		subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return denied("the request signature does not match: check the secret access key and the signing method")
	}
	return nil
}

// parseAuth parses "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=hex".
func parseAuth(h string) (authHeader, error) {
	var a authHeader
	if h == "" {
		return a, denied("the request is not signed: Authorization header missing")
	}
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return a, denied("the Authorization header must use %s", sigAlgorithm)
	}
	var cred string
	for part := range strings.SplitSeq(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			cred = val
		case "SignedHeaders":
			a.signedHeaders = val
		case "Signature":
			a.signature = val
		}
	}
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || scope[0] == "" || scope[4] != "aws4_request" || a.signedHeaders == "" || a.signature == "" {
		return a, denied("the Authorization header is malformed")
	}
	a.keyID, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	return a, nil
}

// checkDate returns the signing time when X-Amz-Date is well formed, agrees with the
// credential scope and is within MaxClockSkew of now.
func (v *verifier) checkDate(r *http.Request, a authHeader) (time.Time, error) {
	t, err := time.Parse(amzDateFmt, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return time.Time{}, denied("X-Amz-Date is missing or not in the form %s", amzDateFmt)
	}
	if t.Format("20060102") != a.date {
		return time.Time{}, denied("the credential scope date %s does not match X-Amz-Date", a.date)
	}
	if a.service != signingService {
		return time.Time{}, denied("the request is signed for service %q, not %q", a.service, signingService)
	}
	now := v.now()
	if d := now.Sub(t); d > MaxClockSkew || d < -MaxClockSkew {
		return time.Time{}, denied("signature expired: the request was signed at %s, more than %v from the server time %s",
			t.Format(amzDateFmt), MaxClockSkew, now.UTC().Format(amzDateFmt))
	}
	return t, nil
}

// checkPayload returns the hex SHA-256 of the body, which X-Amz-Content-Sha256 must equal
// when it is sent.
func checkPayload(r *http.Request, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != "" && got != h {
		return "", denied("X-Amz-Content-Sha256 does not match the body")
	}
	return h, nil
}

// resignable returns a copy of r with only the headers the client signed, ready for the
// signer, and the credentials to sign it with.
func resignable(r *http.Request, signed []string, keyID, secret string) (*http.Request, aws.Credentials) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	req := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: make(http.Header)}
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	for _, name := range signed {
		switch name {
		case "host":
		case "content-length":
			req.ContentLength = r.ContentLength
		default:
			if vals := r.Header.Values(name); len(vals) > 0 {
				req.Header[textproto.CanonicalMIMEHeaderKey(name)] = slices.Clone(vals)
			}
			if name == "x-amz-security-token" {
				creds.SessionToken = r.Header.Get(name)
			}
		}
	}
	return req, creds
}
