package connectapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/routesim/routesim/routing"
)

// Response headers, spelt as Amazon Connect sends them (HTTP header names are
// case-insensitive; Go clients canonicalize them when reading).
const (
	headerRequestID = "x-amzn-RequestId"
	headerErrorType = "X-Amzn-ErrorType"
)

// MaxBodyBytes is the largest request body accepted: 1 MiB. A larger one answers 400
// InvalidParameterException.
const MaxBodyBytes = 1 << 20

// Handler is an http.Handler that speaks Amazon Connect's REST-JSON protocol and answers
// from a routing.Service. It is safe for concurrent use. Build one with NewHandler; the zero
// value is not usable.
type Handler struct {
	svc     *routing.Service
	now     func() time.Time
	log     *slog.Logger
	region  string
	account string
	insts   map[string]*instanceAPI
	ids     []string
	auth    *verifier
	limits  map[string]*rateLimiter
	faults  *faultInjector
	wake    chan struct{}
	reqBase uint64
	reqSeq  atomic.Uint64
}

// instanceAPI is what the API needs of an instance beyond its routing: flows, statuses,
// after-contact work and the ClientTokens already seen.
type instanceAPI struct {
	flows     map[string]FlowConfig
	flowOrder []string // flow IDs in configuration order
	statuses  AgentStatusConfig
	acw       time.Duration
	hours     []HoursOfOperationConfig // immutable
	created   time.Time                // the LastModifiedTime of what the configuration made
	mu        sync.Mutex               // serialises contact starts, guards tokens
	tokens    tokenStore
	admin     *adminState // users, statuses, security profiles (admin.go)
}

// Option configures a Handler.
type Option func(*Handler)

// WithNow makes the handler read the wall clock from now for signature dates and rate
// limits (tests pass a fixed clock). The default is time.Now. The routing core reads the
// service's own clock instead.
func WithNow(now func() time.Time) Option {
	return func(h *Handler) { h.now = now }
}

// WithLogger makes the handler log each request at Debug level and recovered panics at Error
// level. The default discards logs.
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) { h.log = l }
}

// NewHandler adds cfg's instances to svc and returns a handler serving them. It validates
// the whole configuration first and adds nothing when any of it is wrong: the error wraps
// ErrInvalidConfig and names the field. An instance already in svc with one of cfg's IDs is
// an error too. Instances added to svc by other means are served for every operation that
// needs no flow, status, user or routing-profile state of the API (those answer
// ResourceNotFoundException for them).
func NewHandler(svc *routing.Service, cfg Config, opts ...Option) (*Handler, error) {
	if svc == nil {
		return nil, configErr("service", "must not be nil")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Normalize()
	for i, ic := range cfg.Instances {
		if _, dup := svc.Instance(ic.ID); dup {
			return nil, configErr(fmt.Sprintf("instances[%d].id", i), "instance %q is already in the service", ic.ID)
		}
	}
	h := &Handler{
		svc: svc, now: time.Now, log: slog.New(slog.DiscardHandler),
		region: cfg.Region, account: cfg.AccountID,
		insts: make(map[string]*instanceAPI, len(cfg.Instances)),
		wake:  make(chan struct{}, 1), reqBase: rand.Uint64(),
	}
	for _, o := range opts {
		o(h)
	}
	for i, ic := range cfg.Instances {
		if ic.History == nil { // the emulator always keeps a history for GetMetricDataV2
			ic.History = &routing.HistoryConfig{}
		}
		if _, err := svc.AddInstance(ic.InstanceConfig); err != nil {
			return nil, configErr(fmt.Sprintf("instances[%d]", i), "%v", err)
		}
		ia := &instanceAPI{flows: make(map[string]FlowConfig, len(ic.Flows)), statuses: ic.AgentStatuses,
			acw:   time.Duration(ic.AfterContactWorkSeconds) * time.Second,
			hours: ic.HoursOfOperations, created: svc.Clock().Now(),
			admin: newAdminState(&cfg.Instances[i], svc.Clock().Now())}
		for _, f := range ic.Flows {
			ia.flows[f.ID] = f
			ia.flowOrder = append(ia.flowOrder, f.ID)
		}
		h.insts[ic.ID] = ia
		h.ids = append(h.ids, ic.ID)
	}
	if len(cfg.Credentials) > 0 {
		h.auth = newVerifier(cfg.Credentials, func() time.Time { return h.now() })
	}
	h.limits = newLimiters(cfg.Throttle)
	if cfg.Faults != nil && cfg.Faults.Rate > 0 {
		h.faults = newFaultInjector(*cfg.Faults)
	}
	return h, nil
}

// Service returns the routing service the handler answers from.
func (h *Handler) Service() *routing.Service { return h.svc }

// InstanceIDs returns the IDs of the configured instances, in configuration order.
func (h *Handler) InstanceIDs() []string { return append([]string(nil), h.ids...) }

// ServeHTTP answers one request. It never panics: a panic in an operation is recovered,
// logged and answered 500 InternalServiceException.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w.Header()[headerRequestID] = []string{h.requestID()}
	rw := &statusWriter{ResponseWriter: w}
	op := ""
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("connectapi: panic serving request", "operation", op, "panic", p)
			if rw.status == 0 {
				writeError(rw, &apiError{code: "InternalServiceException", status: 500, msg: "internal error"})
			}
		}
		h.log.Debug("connectapi: request", "method", r.Method, "path", r.URL.Path, "operation", op,
			"status", rw.status, "duration", time.Since(start))
	}()
	out, err := h.serve(rw, r, &op)
	if err != nil {
		writeError(rw, err)
		return
	}
	writeJSON(rw, http.StatusOK, out)
}

// verifiedBody reads r's body and, when credentials are configured, verifies r's signature
// over it: the first steps of every request, API and control alike.
func (h *Handler) verifiedBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	if h.auth != nil {
		if err := h.auth.verify(r, body); err != nil {
			return nil, err
		}
	}
	return body, nil
}

// serve runs the pipeline of doc.go; *opName is set once the operation is known.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, opName *string) (any, error) {
	body, err := h.verifiedBody(w, r)
	if err != nil {
		return nil, err
	}
	op, path, ok := match(r.Method, r.URL.EscapedPath())
	if !ok {
		return nil, &apiError{code: "UnknownOperationException", status: http.StatusNotFound,
			msg: fmt.Sprintf("no operation for %s %s", clipInput(r.Method), clipInput(r.URL.EscapedPath()))}
	}
	*opName = op.name
	body = h.resolveInstanceARNs(path, body)
	if l := h.limits[op.name]; l != nil && !l.allow(h.now()) {
		return nil, &routing.ThrottlingException{Message: fmt.Sprintf("rate exceeded for %s", op.name)}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, invalidParam("malformed query string: %v", err)
	}
	call, err := op.decode(h, params{path: path, query: query}, body)
	if err != nil {
		return nil, err
	}
	if h.faults != nil && h.faults.fail() {
		return nil, &routing.InternalServiceException{Message: "injected fault: nothing was changed; retry"}
	}
	out, err := call(r.Context())
	h.poke()
	return out, err
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if p, ok := r.Body.(*prereadBody); ok {
		return p.b, nil
	}
	body, err := readAllSized(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, invalidParam("request body is larger than %d bytes (1 MiB)", MaxBodyBytes)
	case err != nil:
		return nil, invalidParam("reading the request body: %v", err)
	}
	return body, nil
}

// poke tells RunTimers to look at the instances' next timers again.
func (h *Handler) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// requestID returns a fresh UUID-shaped request ID: the handler's random base in the first
// fields, the request's sequence number in the last ones,
// fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", b>>32, b>>16, b, n>>48, n) with each field
// cut to its width, written without fmt (which took 8% of the handler's time per request;
// without it, BenchmarkEmulator/path=handler +4.1% requests/s, p=0.000, n=15).
func (h *Handler) requestID() string {
	return formatRequestID(h.reqBase, h.reqSeq.Add(1))
}

func formatRequestID(b, n uint64) string {
	var buf [36]byte
	putHex(buf[0:8], b>>32)
	buf[8] = '-'
	putHex(buf[9:13], b>>16)
	buf[13], buf[14] = '-', '4'
	putHex(buf[15:18], b)
	buf[18], buf[19] = '-', '8'
	putHex(buf[20:23], n>>48)
	buf[23] = '-'
	putHex(buf[24:36], n)
	return string(buf[:])
}

// putHex writes the low 4·len(dst) bits of v into dst as lower-case hex digits.
func putHex(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = "0123456789abcdef"[v&15]
		v >>= 4
	}
}

// apiError is an exception of the wire that the routing package does not define.
type apiError struct {
	code   string
	status int
	msg    string
}

func (e *apiError) Error() string        { return "connectapi: " + e.code + ": " + e.msg }
func (e *apiError) ErrorCode() string    { return e.code }
func (e *apiError) ErrorMessage() string { return e.msg }
func (e *apiError) HTTPStatusCode() int  { return e.status }

func invalidParam(format string, args ...any) error {
	return &routing.InvalidParameterException{Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &routing.ResourceNotFoundException{Message: fmt.Sprintf(format, args...)}
}

// wireError is what writeError needs of an error.
type wireError interface {
	ErrorCode() string
	ErrorMessage() string
	HTTPStatusCode() int
}

// writeError answers err with its status, X-Amzn-ErrorType and {"Message": ...}. An error
// that is no API exception (a cancelled context) answers 500 InternalServiceException.
func writeError(w http.ResponseWriter, err error) {
	var we wireError
	if !errors.As(err, &we) {
		we = &apiError{code: "InternalServiceException", status: http.StatusInternalServerError, msg: err.Error()}
	}
	w.Header()[headerErrorType] = []string{we.ErrorCode()}
	writeJSON(w, we.HTTPStatusCode(), struct {
		Message string `json:"Message"`
	}{clipMessage(we.ErrorMessage())})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		w.Header()[headerErrorType] = []string{"InternalServiceException"}
		b = []byte(`{"Message":"encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// statusWriter remembers the status written, for logs and panic recovery.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RunTimers fires the routing core's timers (profile delays expiring, after-contact work
// ending) when they are due, so that contacts route without requests arriving. It arms a
// timer at the earliest NextWake of the configured instances, re-checks after every request
// and at least once a second, and returns when ctx is done. Run it in its own goroutine;
// every operation also fires due timers first, so responses never depend on it.
func (h *Handler) RunTimers(ctx context.Context) { runTimerLoop(ctx, h.wake, h.advance) }

// Timer loops sleep until the earliest wake of the instances, at least minSleep and at most
// maxSleep.
const maxTimerSleep, minTimerSleep = time.Second, time.Millisecond

// advance fires the due timers of h's instances and returns how long until the next one
// falls due, at most maxTimerSleep.
func (h *Handler) advance() time.Duration {
	d := maxTimerSleep
	for _, id := range h.ids {
		in, ok := h.svc.Instance(id)
		if !ok {
			continue
		}
		in.Advance()
		if at, ok := in.NextWake(); ok {
			d = min(d, at.Sub(h.svc.Clock().Now()))
		}
	}
	return d
}

// runTimerLoop calls step at once, then each time wake fires or the time step returned
// (at least minTimerSleep) has passed, until ctx is done.
func runTimerLoop(ctx context.Context, wake <-chan struct{}, step func() time.Duration) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
		t.Reset(max(step(), minTimerSleep))
	}
}
