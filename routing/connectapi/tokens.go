package connectapi

import "time"

// Bounds of the ClientTokens an instance remembers: Amazon Connect documents a start's
// token as valid for 7 days after creation (StartChatContact, StartTaskContact); routesim
// forgets the oldest beyond maxTokens too.
const (
	maxTokens   = 10_000
	maxTokenAge = 7 * 24 * time.Hour
)

// tokenStore remembers the contact each ClientToken started, keyed by operation and token,
// oldest first. The zero value is empty and ready to use; it is not safe for concurrent use
// (instanceAPI.mu guards it).
type tokenStore struct {
	ids   map[string]string
	order []tokenEntry // oldest first
}

// tokenEntry is one remembered token, as a snapshot holds it.
type tokenEntry struct {
	Key       string    `json:"key"` // operation NUL token
	ContactID string    `json:"contactId"`
	At        time.Time `json:"at"`
}

// get returns the contact key started, unless it is unknown or older than maxTokenAge at
// now. The cost is O(1) amortised.
func (s *tokenStore) get(key string, now time.Time) (string, bool) {
	s.expire(now)
	id, ok := s.ids[key]
	return id, ok
}

// put remembers that key started contact id at now, forgetting the oldest beyond maxTokens.
// The cost is O(1) amortised.
func (s *tokenStore) put(key, id string, now time.Time) {
	if s.ids == nil {
		s.ids = make(map[string]string)
	}
	for len(s.order) >= maxTokens {
		s.drop()
	}
	s.ids[key] = id
	s.order = append(s.order, tokenEntry{Key: key, ContactID: id, At: now})
}

func (s *tokenStore) expire(now time.Time) {
	for len(s.order) > 0 && now.Sub(s.order[0].At) >= maxTokenAge {
		s.drop()
	}
}

func (s *tokenStore) drop() {
	delete(s.ids, s.order[0].Key)
	s.order[0] = tokenEntry{}
	s.order = s.order[1:]
}
