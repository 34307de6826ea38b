package connectapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/routesim/routesim/routing"
)

// serveControl answers a request under ControlPrefix: verified like an API request when
// credentials are configured, JSON in and out, errors in the API's shape.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	h := e.Handler()
	w.Header()[headerRequestID] = []string{h.requestID()}
	out, err := e.control(w, r, h)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) control(w http.ResponseWriter, r *http.Request, h *Handler) (any, error) {
	body, err := h.verifiedBody(w, r)
	if err != nil {
		return nil, err
	}
	switch what := r.Method + " " + r.URL.Path; what {
	case "GET " + ControlPrefix + "state":
		return e.State(), nil
	case "POST " + ControlPrefix + "clock":
		return e.controlClock(body)
	case "POST " + ControlPrefix + "reset":
		if err := e.Reset(); err != nil {
			return nil, &routing.InternalServiceException{Message: fmt.Sprintf("reset: %v", err)}
		}
		return clockOut{Time: e.Now().UTC(), Clock: e.clockName()}, nil
	case "GET " + ControlPrefix + "snapshot":
		return e.Snapshot(), nil
	case "POST " + ControlPrefix + "snapshot":
		s, err := LoadSnapshot(bytes.NewReader(body))
		if err == nil {
			err = e.Restore(s)
		}
		if err != nil {
			return nil, invalidParam("%v", err)
		}
		return clockOut{Time: e.Now().UTC(), Clock: e.clockName()}, nil
	default:
		return nil, &apiError{code: "UnknownOperationException", status: http.StatusNotFound,
			msg: fmt.Sprintf("no control endpoint %s; there are GET state, POST clock, POST reset, GET and POST snapshot under %s",
				clipInput(what), ControlPrefix)}
	}
}

// clockIn is the body of POST /_routesim/clock: one of advance (a Go duration such as
// "90s" or "1h30m") and set (RFC 3339).
type clockIn struct {
	Advance *string `json:"advance"`
	Set     *string `json:"set"`
}

// clockOut is the answer of the control endpoints that move or reset time.
type clockOut struct {
	Time  time.Time `json:"time"`
	Clock string    `json:"clock"`
}

func (e *Emulator) clockName() string {
	if e.manual != nil {
		return "manual"
	}
	return "wall"
}

func (e *Emulator) controlClock(body []byte) (any, error) {
	var in clockIn
	if err := decodeBody(body, &in); err != nil {
		return nil, err
	}
	var t time.Time
	var err error
	switch {
	case (in.Advance == nil) == (in.Set == nil):
		return nil, invalidParam(`give exactly one of "advance" (a duration such as "90s") and "set" (an RFC 3339 time)`)
	case in.Advance != nil:
		d, perr := time.ParseDuration(*in.Advance)
		if perr != nil {
			return nil, invalidParam("advance: %q is not a duration such as \"90s\" or \"1h30m\"", *in.Advance)
		}
		t, err = e.Advance(d)
	default:
		at, perr := time.Parse(time.RFC3339Nano, *in.Set)
		if perr != nil {
			return nil, invalidParam("set: %q is not an RFC 3339 time such as \"2026-01-01T09:05:00Z\"", *in.Set)
		}
		t, err = e.Set(at)
	}
	switch {
	case errors.Is(err, ErrWallClock):
		return nil, &apiError{code: "ResourceConflictException", status: http.StatusConflict, msg: err.Error()}
	case errors.Is(err, ErrClockBackwards):
		return nil, invalidParam("%v: it is %s", err, e.Now().UTC().Format(time.RFC3339Nano))
	case err != nil:
		return nil, err
	}
	return clockOut{Time: t.UTC(), Clock: e.clockName()}, nil
}
