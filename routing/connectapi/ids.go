package connectapi

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// newUUID returns a random version-4 UUID, the shape of the IDs Connect creates (queues
// here; the routing core makes contact IDs of the same shape).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// instanceARN returns an instance's ARN, as Connect builds it.
func (h *Handler) instanceARN(inst string) string {
	return "arn:aws:connect:" + h.region + ":" + h.account + ":instance/" + inst
}

// instanceFromARN returns the instance ID an InstanceId member names: the ID itself, or the
// ID at the end of an ARN of this emulator's region and account
// (arn:aws:connect:REGION:ACCOUNT:instance/ID). Any other value is returned as it is, and
// then names no instance.
func (h *Handler) instanceFromARN(v string) string {
	prefix := h.instanceARN("")
	if id, ok := strings.CutPrefix(v, prefix); ok && id != "" && !strings.Contains(id, "/") {
		return id
	}
	return v
}

// resolveInstanceARNs rewrites, in place, an instance ARN given as the InstanceId path
// parameter or as the top-level InstanceId member of a JSON body into the instance ID, so
// that every operation accepts either. A body without "arn:" is not parsed.
func (h *Handler) resolveInstanceARNs(path map[string]string, body []byte) []byte {
	if v, ok := path["InstanceId"]; ok {
		path["InstanceId"] = h.instanceFromARN(v)
	}
	if !bytes.Contains(body, []byte(`"arn:`)) {
		return body
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body // decodeBody reports it
	}
	var v string
	if raw, ok := m["InstanceId"]; !ok || json.Unmarshal(raw, &v) != nil {
		return body
	}
	id := h.instanceFromARN(v)
	if id == v {
		return body
	}
	m["InstanceId"], _ = json.Marshal(id)
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	return out
}

// Pagination of the List operations: NextToken is opaque to clients; routesim's is the
// base64 of the offset of the next item, so that a listing stays consistent while items
// are appended (queues are never deleted).
const defaultPageSize = 100

// pageParams reads maxResults (1..limit, default defaultPageSize) and nextToken from the
// query string; either given twice is an error.
func pageParams(p params, limit int) (offset, size int, err error) {
	size = defaultPageSize
	for _, name := range []string{"maxResults", "nextToken"} {
		if n := len(p.query[name]); n > 1 {
			return 0, 0, invalidParam("%s is given %d times", name, n)
		}
	}
	if v := p.query.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > limit {
			return 0, 0, invalidParam("MaxResults %q is not an integer in 1..%d", v, limit)
		}
		size = n
	}
	if tok := p.query.Get("nextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
		if err != nil || err2 != nil || n < 0 || !strings.HasPrefix(string(b), "offset:") {
			return 0, 0, invalidParam("NextToken %q is not a token this operation returned", tok)
		}
		offset = n
	}
	return offset, size, nil
}

// pageOf returns items[offset:offset+size] and the token of the next page (nil at the end).
func pageOf[T any](items []T, offset, size int) ([]T, *string) {
	if offset >= len(items) {
		return []T{}, nil
	}
	end := min(len(items), offset+size)
	if end == len(items) {
		return items[offset:end], nil
	}
	tok := base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
	return items[offset:end], &tok
}

// Tags, as the API model's TagMap: 1..50 entries, keys 1..128 characters of letters,
// spaces, digits and _.:/=+-@ not starting with "aws:", values up to 256 characters.
var tagKeyRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

func checkTags(tags map[string]string) error {
	if tags == nil {
		return nil
	}
	if len(tags) < 1 || len(tags) > 50 {
		return invalidParam("Tags has %d entries; it must have 1..50", len(tags))
	}
	for k, v := range tags {
		switch {
		case k == "" || len([]rune(k)) > 128:
			return invalidParam("tag key %q must be 1..128 characters", k)
		case strings.HasPrefix(k, "aws:") || !tagKeyRE.MatchString(k):
			return invalidParam("tag key %q does not match the pattern ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", k)
		case len([]rune(v)) > 256:
			return invalidParam("the value of tag %q is longer than 256 characters", k)
		}
	}
	return nil
}
