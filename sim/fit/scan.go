package fit

import (
	"errors"
	"strconv"
)

// raw is a contact record as fit reads it: the fields it needs, as bytes of the record
// (valid until the next record is read), empty when absent or null.
type raw struct {
	contactID, channel, method, disc, reason, last []byte
	hasQueue                                       bool
	queueName, queueARN, enq, deq                  []byte
	hasAgent                                       bool
	agentARN, username, conn                       []byte
	aid, hold, acw                                 optInt
	profileName, profileARN                        []byte
}

// optInt is an optional integer.
type optInt struct {
	v  int64
	ok bool
}

func (o *optInt) set(p *int64) {
	if p != nil {
		o.v, o.ok = *p, true
	}
}

// fromRecord fills r from a decoded record.
func (r *raw) fromRecord(c *ContactRecord) {
	*r = raw{contactID: []byte(c.ContactID), channel: []byte(c.Channel), method: []byte(c.InitiationMethod),
		disc: []byte(c.DisconnectTimestamp), reason: []byte(c.DisconnectReason), last: []byte(c.LastUpdateTimestamp)}
	if q := c.Queue; q != nil {
		r.hasQueue = true
		r.queueName, r.queueARN, r.enq, r.deq = []byte(q.Name), []byte(q.ARN), []byte(q.EnqueueTimestamp), []byte(q.DequeueTimestamp)
	}
	if a := c.Agent; a != nil {
		r.hasAgent = true
		r.agentARN, r.username, r.conn = []byte(a.ARN), []byte(a.Username), []byte(a.ConnectedToAgentTimestamp)
		r.aid.set(a.AgentInteractionDuration)
		r.hold.set(a.CustomerHoldDuration)
		r.acw.set(a.AfterContactWorkDuration)
		if p := a.RoutingProfile; p != nil {
			r.profileName, r.profileARN = []byte(p.Name), []byte(p.ARN)
		}
	}
}

// errFallback makes the scanner give up on a record that it does not read itself (a
// string with escapes, a value of an unexpected type, invalid JSON): encoding/json then
// decodes it, or says what is wrong with it.
var errFallback = errors.New("fit: fall back to encoding/json")

// scanner reads the fields of raw from one JSON object in one pass, without reflection or
// allocation; anything unusual returns errFallback. It checks the syntax of what it skips.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return errFallback
	}
	s.i++
	return nil
}

// str reads a string without escapes and returns its contents.
func (s *scanner) str() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], nil
		case c == '\\' || c < 0x20:
			return nil, errFallback
		}
		s.i++
	}
	return nil, errFallback
}

// null consumes a null and reports whether there was one.
func (s *scanner) null() bool {
	if s.peek() == 'n' && s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// strOrNull reads a string or null (empty).
func (s *scanner) strOrNull() ([]byte, error) {
	if s.null() {
		return nil, nil
	}
	return s.str()
}

// intOrNull reads an integer or null.
func (s *scanner) intOrNull() (optInt, error) {
	if s.null() {
		return optInt{}, nil
	}
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	v, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	if err != nil || (s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E')) {
		return optInt{}, errFallback
	}
	return optInt{v: v, ok: true}, nil
}

// object reads an object, calling member for each key with the scanner at its value;
// member must consume the value.
func (s *scanner) object(member func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errFallback
		}
	}
}

// skip consumes any value, checking its syntax.
func (s *scanner) skip() error {
	switch c := s.peek(); {
	case c == '"':
		for s.i++; s.i < len(s.b); s.i++ {
			switch c := s.b[s.i]; {
			case c == '\\':
				s.i++
			case c == '"':
				s.i++
				return nil
			case c < 0x20:
				return errFallback
			}
		}
		return errFallback
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		s.i++
		if s.peek() == ']' {
			s.i++
			return nil
		}
		for {
			if err := s.skip(); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.i++
			case ']':
				s.i++
				return nil
			default:
				return errFallback
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if s.i+len(lit) <= len(s.b) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return nil
			}
		}
		return errFallback
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return errFallback
}

// number consumes a JSON number.
func (s *scanner) number() error {
	start := s.i
	if s.b[s.i] == '-' {
		s.i++
	}
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if n := digits(); n == 0 || (n > 1 && s.b[s.i-n] == '0') {
		return errFallback
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if digits() == 0 {
			return errFallback
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if digits() == 0 {
			return errFallback
		}
	}
	if s.i == start {
		return errFallback
	}
	return nil
}

// scanRecord reads obj into r, or returns errFallback.
func scanRecord(obj []byte, r *raw) error {
	*r = raw{}
	s := scanner{b: obj}
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "ContactId":
			r.contactID, err = s.strOrNull()
		case "Channel":
			r.channel, err = s.strOrNull()
		case "InitiationMethod":
			r.method, err = s.strOrNull()
		case "DisconnectTimestamp":
			r.disc, err = s.strOrNull()
		case "DisconnectReason":
			r.reason, err = s.strOrNull()
		case "LastUpdateTimestamp":
			r.last, err = s.strOrNull()
		case "Queue":
			if s.null() {
				return nil
			}
			r.hasQueue = true
			err = s.object(func(key []byte) error { return s.queueMember(key, r) })
		case "Agent":
			if s.null() {
				return nil
			}
			r.hasAgent = true
			err = s.object(func(key []byte) error { return s.agentMember(key, r) })
		default:
			err = s.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if s.ws(); s.i != len(obj) {
		return errFallback
	}
	return nil
}

func (s *scanner) queueMember(key []byte, r *raw) (err error) {
	switch string(key) {
	case "Name":
		r.queueName, err = s.strOrNull()
	case "ARN":
		r.queueARN, err = s.strOrNull()
	case "EnqueueTimestamp":
		r.enq, err = s.strOrNull()
	case "DequeueTimestamp":
		r.deq, err = s.strOrNull()
	default:
		err = s.skip()
	}
	return err
}

func (s *scanner) agentMember(key []byte, r *raw) (err error) {
	switch string(key) {
	case "ARN":
		r.agentARN, err = s.strOrNull()
	case "Username":
		r.username, err = s.strOrNull()
	case "ConnectedToAgentTimestamp":
		r.conn, err = s.strOrNull()
	case "AgentInteractionDuration":
		r.aid, err = s.intOrNull()
	case "CustomerHoldDuration":
		r.hold, err = s.intOrNull()
	case "AfterContactWorkDuration":
		r.acw, err = s.intOrNull()
	case "RoutingProfile":
		if s.null() {
			return nil
		}
		err = s.object(func(key []byte) (err error) {
			switch string(key) {
			case "Name":
				r.profileName, err = s.strOrNull()
			case "ARN":
				r.profileARN, err = s.strOrNull()
			default:
				err = s.skip()
			}
			return err
		})
	default:
		err = s.skip()
	}
	return err
}
