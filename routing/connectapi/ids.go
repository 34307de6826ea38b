package connectapi

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
)

// IDs and ARNs: the IDs the emulator makes, the ARNs it returns, and the ARNs it accepts
// where Connect takes an ID.

// newUUID returns a random version-4 UUID, the shape of the IDs Connect creates (queues,
// users, routing profiles and agent statuses here; the routing core makes contact IDs of
// the same shape).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// arn returns the ARN of a resource of an instance.
func (h *Handler) arn(inst, kind, id string) string {
	return h.instanceARN(inst) + "/" + kind + "/" + id
}

// resourceID returns the resource ID of an ID or of an ARN ending in ".../kind/ID".
func resourceID(v string) string {
	if !strings.HasPrefix(v, "arn:") {
		return v
	}
	return v[strings.LastIndexByte(v, '/')+1:]
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
