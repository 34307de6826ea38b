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
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxClockSkew is how far a request's X-Amz-Date may be from the handler's clock.
const MaxClockSkew = 5 * time.Minute

// signingService is the SigV4 service name of Amazon Connect.
const signingService = "connect"

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
)

// verifier checks SigV4 signatures, in the Authorization header or in the query string
// (presigned), by signing the request again with the AWS SDK's signer and the secret of the
// access key it names, and comparing. It is safe for concurrent use.
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

// authHeader is a parsed Authorization header, or the same fields of a presigned query.
type authHeader struct {
	keyID, date, region, service string
	signedHeaders                string
	signature                    string
	amzDate                      string        // X-Amz-Date
	expires                      time.Duration // X-Amz-Expires of a presigned request, or 0
	presigned                    bool
}

// The messages of AWS's JSON endpoints for authentication failures, which SDKs act on
// (clock-skew correction on a signature expired or not yet current).
const (
	msgMissingAuth  = "Missing Authentication Token"
	msgUnknownKey   = "The security token included in the request is invalid."
	msgBadSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// authError is a 403 of one of AWS's authentication exceptions.
func authError(code, format string, args ...any) error {
	return &apiError{code: code, status: http.StatusForbidden, msg: fmt.Sprintf(format, args...)}
}

func incomplete(format string, args ...any) error {
	return authError("IncompleteSignatureException", format, args...)
}

func invalidSig(format string, args ...any) error {
	return authError("InvalidSignatureException", format, args...)
}

// verify returns nil when r carries a valid, current SigV4 signature by a configured key over
// its method, path, query, signed headers and body; else a 403 error with the code AWS
// sends: MissingAuthenticationTokenException (no signature), IncompleteSignatureException
// (a malformed one), UnrecognizedClientException (an unknown access key) or
// InvalidSignatureException (a mismatch, or a date outside the allowed window).
func (v *verifier) verify(r *http.Request, body []byte) error {
	a, err := parseRequestAuth(r)
	if err != nil {
		return err
	}
	secret, ok := v.secrets[a.keyID]
	if !ok {
		return authError("UnrecognizedClientException", msgUnknownKey)
	}
	t, err := v.checkDate(a)
	if err != nil {
		return err
	}
	signed := strings.Split(a.signedHeaders, ";")
	if !slices.Contains(signed, "host") {
		return incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !a.presigned && !slices.Contains(signed, "x-amz-date") && r.Header.Get("Date") == "" {
		return incomplete("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
	}
	for _, payloadHash := range payloadHashes(r, body, a.presigned) {
		if v.matches(r, a, signed, secret, payloadHash, t) {
			return nil
		}
	}
	return invalidSig(msgBadSignature)
}

// matches reports whether signing r again with secret gives a's signature.
func (v *verifier) matches(r *http.Request, a authHeader, signed []string, secret, payloadHash string, t time.Time) bool {
	req, creds := resignable(r, signed, a.keyID, secret, a.presigned)
	var got authHeader
	if a.presigned {
		u, _, err := v.signer.PresignHTTP(context.Background(), creds, req, payloadHash, a.service, a.region, t)
		if err != nil {
			return false
		}
		pu, err := url.Parse(u)
		if err != nil {
			return false
		}
		q := pu.Query()
		got.signedHeaders, got.signature = q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature")
	} else {
		if err := v.signer.SignHTTP(context.Background(), creds, req, payloadHash, a.service, a.region, t); err != nil {
			return false
		}
		var err error
		if got, err = parseAuth(req.Header.Get("Authorization")); err != nil {
			return false
		}
	}
	return got.signedHeaders == a.signedHeaders &&
		subtle.ConstantTimeCompare([]byte(got.signature), []byte(a.signature)) == 1
}

// parseRequestAuth reads the signature from the Authorization header, or from the query
// string of a presigned request (X-Amz-Algorithm and friends).
func parseRequestAuth(r *http.Request) (authHeader, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		a, err := parseAuth(h)
		a.amzDate = r.Header.Get("X-Amz-Date")
		return a, err
	}
	q := r.URL.Query()
	if !q.Has("X-Amz-Algorithm") && !q.Has("X-Amz-Signature") {
		return authHeader{}, authError("MissingAuthenticationTokenException", msgMissingAuth)
	}
	var missing []string
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if q.Get(k) == "" {
			missing = append(missing, fmt.Sprintf("AWS query-string parameters must include '%s'.", k))
		}
	}
	if len(missing) > 0 {
		return authHeader{}, incomplete("%s Re-examine the query-string parameters.", strings.Join(missing, " "))
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != sigAlgorithm {
		return authHeader{}, incomplete("Unsupported AWS 'algorithm': %q", alg)
	}
	a := authHeader{signedHeaders: q.Get("X-Amz-SignedHeaders"), signature: q.Get("X-Amz-Signature"),
		amzDate: q.Get("X-Amz-Date"), presigned: true}
	if err := a.setScope(q.Get("X-Amz-Credential")); err != nil {
		return a, err
	}
	if e := q.Get("X-Amz-Expires"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 1 || n > 604800 {
			return a, incomplete("X-Amz-Expires must be a whole number of seconds 1..604800, not %q", e)
		}
		a.expires = time.Duration(n) * time.Second
	}
	return a, nil
}

// parseAuth parses "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/connect/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=hex".
func parseAuth(h string) (authHeader, error) {
	var a authHeader
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		alg, _, _ := strings.Cut(h, " ")
		return a, incomplete("Unsupported AWS 'algorithm': %q; the Authorization header must use %s", alg, sigAlgorithm)
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
	var missing []string
	for _, p := range [][2]string{{"Credential", cred}, {"Signature", a.signature}, {"SignedHeaders", a.signedHeaders}} {
		if p[1] == "" {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", p[0]))
		}
	}
	if len(missing) > 0 {
		return a, incomplete("%s Authorization=%q", strings.Join(missing, " "), h)
	}
	return a, a.setScope(cred)
}

// setScope reads "AKID/20240101/us-east-1/connect/aws4_request".
func (a *authHeader) setScope(cred string) error {
	scope := strings.Split(cred, "/")
	if len(scope) != 5 || scope[0] == "" || scope[4] != "aws4_request" {
		return incomplete("Credential should be of the form <access key>/<date>/<region>/<service>/aws4_request, not %q", cred)
	}
	a.keyID, a.date, a.region, a.service = scope[0], scope[1], scope[2], scope[3]
	return nil
}

// checkDate returns the signing time when X-Amz-Date is well formed, agrees with the
// credential scope and is within MaxClockSkew of now (for a presigned request: not later
// than now + MaxClockSkew, and now not after the signing time + X-Amz-Expires, or
// MaxClockSkew without it).
func (v *verifier) checkDate(a authHeader) (time.Time, error) {
	t, err := time.Parse(amzDateFmt, a.amzDate)
	if err != nil {
		return time.Time{}, incomplete("Authorization requires existence of either a 'X-Amz-Date' or a 'Date' header, in the form %s", amzDateFmt)
	}
	if t.Format("20060102") != a.date {
		return time.Time{}, invalidSig("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: %q != %q", a.date, t.Format("20060102"))
	}
	if a.service != signingService {
		return time.Time{}, invalidSig("Credential should be scoped to correct service: '%s'.", signingService)
	}
	now := v.now().UTC()
	late := MaxClockSkew
	if a.expires > 0 {
		late = a.expires
	}
	switch {
	case now.Sub(t) > late:
		return time.Time{}, invalidSig("Signature expired: %s is now earlier than %s (%s - %s.)",
			t.Format(amzDateFmt), now.Add(-late).Format(amzDateFmt), now.Format(amzDateFmt), minutes(late))
	case t.Sub(now) > MaxClockSkew:
		return time.Time{}, invalidSig("Signature not yet current: %s is still later than %s (%s + %s.)",
			t.Format(amzDateFmt), now.Add(MaxClockSkew).Format(amzDateFmt), now.Format(amzDateFmt), minutes(MaxClockSkew))
	}
	return t, nil
}

// minutes writes d as AWS's messages do: "5 min", or seconds when not whole minutes.
func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d sec", d/time.Second)
}

// payloadHashes returns the payload hashes a signature may have used: the one
// X-Amz-Content-Sha256 gives (the body's hex SHA-256 or UNSIGNED-PAYLOAD), else the body's;
// for a presigned request, UNSIGNED-PAYLOAD too. A header naming another hash gives none.
func payloadHashes(r *http.Request, body []byte, presigned bool) []string {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	switch got := r.Header.Get("X-Amz-Content-Sha256"); got {
	case "":
	case h, unsignedPayload:
		return []string{got}
	default:
		return nil
	}
	if presigned {
		return []string{h, unsignedPayload}
	}
	return []string{h}
}

const unsignedPayload = "UNSIGNED-PAYLOAD"

// resignable returns a copy of r with only the headers the client signed, ready for the
// signer, and the credentials to sign it with.
// For a presigned request, the signature's own query parameters are left out, for the
// signer to add again; the session token comes from X-Amz-Security-Token.
func resignable(r *http.Request, signed []string, keyID, secret string, presigned bool) (*http.Request, aws.Credentials) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret}
	if presigned {
		q := r.URL.Query()
		creds.SessionToken = q.Get("X-Amz-Security-Token")
		for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"} {
			q.Del(k)
		}
		u.RawQuery = q.Encode()
	}
	req := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: make(http.Header)}
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
