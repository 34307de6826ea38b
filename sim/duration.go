package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Duration is a time.Duration that a scenario file writes either as a number of seconds
// (120, 0.5) or as a Go duration string ("2m", "1h30m", "250ms"). It marshals as a string.
// The zero value is zero seconds.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// String formats d as time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a number of seconds or a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("sim: duration %s is neither a number of seconds nor a string such as \"90s\"", b)
	}
	v, err := Seconds(f)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDuration reads a Go duration string ("90s", "1h30m") or a plain number of seconds
// ("90", "0.5").
func ParseDuration(s string) (Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return Seconds(f)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("sim: duration %q is neither a number of seconds nor a string such as \"90s\"", s)
	}
	return Duration(v), nil
}

// Seconds converts a number of seconds to a Duration, rounding to the nanosecond. It returns
// an error for NaN or a value beyond ±292 years.
func Seconds(f float64) (Duration, error) {
	ns := math.Round(f * 1e9)
	if math.IsNaN(ns) || ns >= math.MaxInt64 || ns <= math.MinInt64 {
		return 0, fmt.Errorf("sim: duration %v s is out of range", f)
	}
	return Duration(ns), nil
}
