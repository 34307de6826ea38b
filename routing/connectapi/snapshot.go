package connectapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/routesim/routesim/routing"
)

// SnapshotFormat and SnapshotVersion identify the snapshot document this package writes and
// reads. The version changes when a document of the old version can no longer be restored
// exactly; a document of another version is refused, naming both versions. Version 2 added
// what the run-time API keeps (users, agent statuses and their times, queue and profile
// members, contacts' attributes and transfers, the history, the wait estimator's memory)
// and changed what a waiting contact's rank means; a version 1 document is refused.
const (
	SnapshotFormat  = "routesim-emulator-snapshot"
	SnapshotVersion = 2
)

// ErrInvalidSnapshot is wrapped by every error of LoadSnapshot and Emulator.Restore.
var ErrInvalidSnapshot = errors.New("connectapi: invalid snapshot")

// Snapshot is the emulator's whole state as one JSON document: the configuration as
// currently held (the document routesim emulate -print-config writes, with the changes made
// through the API: predefined attributes, proficiencies) and, per instance, the dynamic
// state of its routing core and of the API around it.
//
// A new piece of state goes in one of two places: configuration (anything a configuration
// file could set, such as a queue or a routing profile created through the API) in Config,
// through routing.Instance.Config for the routing core or Handler.snapshotInstance for the
// API layer; dynamic state (what happens to contacts and agents, counters, history) in
// routing.InstanceState (routing.Instance.Snapshot and Restore) or in InstanceSnapshot
// (Handler.snapshotInstance and restoreInstance) for the API layer, whose records of users,
// agent statuses and profiles are in AdminSnapshot (snapshot_admin.go).
type Snapshot struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Time is the emulator's routing clock when the snapshot was taken. Restoring it sets
	// a manual clock to Time; a wall clock goes on from now, firing what fell due meanwhile.
	Time      time.Time          `json:"time"`
	Config    Config             `json:"config"`
	Instances []InstanceSnapshot `json:"instances"`
}

// InstanceSnapshot is one instance's dynamic state.
type InstanceSnapshot struct {
	ID string `json:"id"`
	// Routing is the routing core's state: contacts, agents, timers, sequences.
	Routing routing.InstanceState `json:"routing"`
	// ClientTokens are the remembered ClientTokens, oldest first.
	ClientTokens []ClientToken `json:"clientTokens,omitempty"`
	// Admin is the API's state beyond routing: users, agent statuses, profile records.
	Admin AdminSnapshot `json:"admin"`
}

// ClientToken is a remembered idempotency token: the contact it started (for
// TransferContact, the contact the transfer made), and when. Request is, for TransferContact
// only, the transfer the token was used for (contact, queue and flow, NUL-separated): the
// same token for another transfer is an IdempotencyException.
type ClientToken struct {
	Operation string    `json:"operation"`
	Token     string    `json:"token"`
	ContactID string    `json:"contactId"`
	Request   string    `json:"request,omitempty"`
	At        time.Time `json:"at"`
}

// LoadSnapshot reads a snapshot document, refusing unknown fields, another format or
// version, and trailing data. Errors wrap ErrInvalidSnapshot and say what is wrong.
func LoadSnapshot(r io.Reader) (Snapshot, error) {
	var s Snapshot
	data, err := io.ReadAll(r)
	if err != nil {
		return s, fmt.Errorf("%w: %w", ErrInvalidSnapshot, err)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return s, fmt.Errorf("%w: not a JSON snapshot document: %v", ErrInvalidSnapshot, clipInput(err.Error()))
	}
	if head.Format != SnapshotFormat || head.Version != SnapshotVersion {
		return s, fmt.Errorf("%w: format %q version %d; this routesim reads format %q version %d",
			ErrInvalidSnapshot, clipInput(head.Format), head.Version, SnapshotFormat, SnapshotVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("%w: %v", ErrInvalidSnapshot, clipInput(err.Error()))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return s, fmt.Errorf("%w: data after the JSON object", ErrInvalidSnapshot)
	}
	return s, nil
}

// JSON returns the snapshot as indented JSON, as LoadSnapshot reads it.
func (s *Snapshot) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		panic(fmt.Sprintf("connectapi: internal error: encoding snapshot: %v", err)) // plain data
	}
	return buf.Bytes()
}

// Snapshot returns the emulator's whole state, taken while no request runs. The cost is
// O(n log n) for n contacts held.
func (e *Emulator) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snapshot()
}

func (e *Emulator) snapshot() Snapshot {
	s := Snapshot{Format: SnapshotFormat, Version: SnapshotVersion, Time: e.Now().UTC(), Config: e.hcfg}
	s.Config.Instances = nil
	for i, id := range e.h.ids {
		in, ok := e.h.svc.Instance(id)
		if !ok {
			continue
		}
		ic, is := e.h.snapshotInstance(in, e.hcfg.Instances[i])
		s.Config.Instances = append(s.Config.Instances, ic)
		s.Instances = append(s.Instances, is)
	}
	return s
}

// snapshotInstance returns an instance's configuration as held and its dynamic state; base
// is the instance's configuration as the handler was built from it (alias, hours of
// operation, security profiles: what the API does not change).
func (h *Handler) snapshotInstance(in *routing.Instance, base InstanceConfig) (InstanceConfig, InstanceSnapshot) {
	ia := h.insts[in.ID()]
	ia.mu.Lock()
	defer ia.mu.Unlock()
	ia.admin.mu.Lock()
	defer ia.admin.mu.Unlock()
	rc, st := in.Snapshot()
	ic := base
	ic.InstanceConfig, ic.AgentStatuses, ic.AfterContactWorkSeconds, ic.Flows = rc, ia.statuses, int(ia.acw/time.Second), nil
	if ic.RetainEnded == routing.DefaultRetainEnded {
		ic.RetainEnded = 0 // as the configuration says it
	}
	for _, id := range ia.flowOrder {
		ic.Flows = append(ic.Flows, ia.flows[id])
	}
	is := InstanceSnapshot{ID: in.ID(), Routing: st, Admin: ia.admin.snapshot(ia.created)}
	for _, t := range ia.tokens.order {
		op, tok, _ := strings.Cut(t.Key, "\x00")
		id, req, _ := strings.Cut(t.ContactID, "\x00")
		is.ClientTokens = append(is.ClientTokens, ClientToken{Operation: op, Token: tok, ContactID: id, Request: req, At: t.At.UTC()})
	}
	return ic, is
}

// Restore replaces the emulator's whole state with s: its configuration, contacts, agents,
// timers and tokens, and, on a manual clock, the time. It is atomic with respect to
// requests, and a snapshot taken right after equals s. Errors wrap ErrInvalidSnapshot (or
// ErrInvalidConfig for its configuration) and name the bad field; the emulator is then
// unchanged. The cost is O(n log n) for n contacts.
func (e *Emulator) Restore(s Snapshot) error {
	if s.Format != SnapshotFormat || s.Version != SnapshotVersion {
		return fmt.Errorf("%w: format %q version %d; this routesim reads format %q version %d",
			ErrInvalidSnapshot, clipInput(s.Format), s.Version, SnapshotFormat, SnapshotVersion)
	}
	h, err := e.build(s.Config)
	if err != nil {
		return fmt.Errorf("%w: config: %w", ErrInvalidSnapshot, err)
	}
	if len(s.Instances) != len(h.ids) {
		return fmt.Errorf("%w: instances: %d states for %d configured instances", ErrInvalidSnapshot, len(s.Instances), len(h.ids))
	}
	for i := range s.Instances {
		if err := h.restoreInstance(&s.Instances[i], &s.Config.Instances[i]); err != nil {
			return fmt.Errorf("%w: instances[%d].%w", ErrInvalidSnapshot, i, err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.manual != nil {
		e.manual.Set(s.Time.UTC())
	}
	e.h, e.hcfg = h, s.Config
	return nil
}

// restoreInstance installs one instance's state into the fresh handler h, built from the
// snapshot's configuration, whose instance ic is.
func (h *Handler) restoreInstance(is *InstanceSnapshot, ic *InstanceConfig) error {
	if is.ID != ic.ID {
		return fmt.Errorf("id: %q where the configuration has %q", clipInput(is.ID), ic.ID)
	}
	ia := h.insts[ic.ID]
	admin, err := restoreAdmin(ia.admin, &is.Admin, ic)
	if err != nil {
		return fmt.Errorf("admin.%w", err)
	}
	for i, t := range is.ClientTokens {
		if t.Operation == "" || t.Token == "" || t.ContactID == "" {
			return fmt.Errorf("clientTokens[%d]: operation, token and contactId are required", i)
		}
	}
	in, _ := h.svc.Instance(ic.ID)
	if err := in.Restore(is.Routing); err != nil {
		return fmt.Errorf("routing: %w", err)
	}
	ia.admin, ia.created = admin, is.Admin.Created
	for _, t := range is.ClientTokens {
		id := t.ContactID
		if t.Request != "" {
			id += "\x00" + t.Request
		}
		ia.tokens.put(t.Operation+"\x00"+t.Token, id, t.At)
	}
	return nil
}
