package routing

import (
	"maps"
	"time"

	"github.com/routesim/routesim/contact"
)

// contactMeta is what an instance keeps of a contact beyond its routing, for the API: only
// contacts that have any of it have one (Instance.meta), and it goes when the contact's
// record is forgotten (see InstanceConfig.RetainEnded).
type contactMeta struct {
	name, desc string
	// attrs are the user-defined attributes; every contact of a transfer chain shares one
	// set, as Connect keys them by the initial contact.
	attrs *attrSet
	// prev and initial link a transferred contact to the one it came from and to the first
	// of its chain; transfers counts the transfers of the chain so far.
	prev, initial contact.ID
	transfers     int
	updated       time.Time // the last attribute update
}

// attrSet is a chain's user-defined attributes.
type attrSet struct{ m map[string]string }

func newAttrSet(m map[string]string) *attrSet {
	if m == nil {
		return nil
	}
	return &attrSet{m: maps.Clone(m)}
}

// attachMeta files m for the contact id, which must be in the table.
func (in *Instance) attachMeta(id contact.ID, m *contactMeta) {
	r, ok := in.contacts.get(id)
	if !ok {
		panic("routing: internal error: attaching data to a contact not in the table")
	}
	if in.meta == nil {
		in.meta = make(map[*record]*contactMeta)
	}
	in.meta[r] = m
}

// UpdateContactAttributes creates or updates user-defined attributes of a contact, waiting,
// with an agent or ended and still retained; the attributes are shared by every contact of
// its transfer chain, so any of their IDs names them. An empty value is kept as empty.
// Errors: *ResourceNotFoundException for an unknown contact. The cost is O(len(attrs)).
func (in *Instance) UpdateContactAttributes(id contact.ID, attrs map[string]string) error {
	now := in.lock()
	defer in.mu.Unlock()
	r, ok := in.contacts.get(id)
	if !ok {
		return notFound("contact %q not found in instance %q", id, in.id)
	}
	m := in.meta[r]
	if m == nil {
		m = &contactMeta{}
		in.attachMeta(id, m)
	}
	if m.attrs == nil {
		m.attrs = &attrSet{m: make(map[string]string, len(attrs))}
	}
	maps.Copy(m.attrs.m, attrs)
	m.updated = now
	return nil
}

// ContactAttributes returns a copy of a contact's user-defined attributes (empty, not nil,
// when it has none). Error: *ResourceNotFoundException. The cost is O(attributes).
func (in *Instance) ContactAttributes(id contact.ID) (map[string]string, error) {
	in.lock()
	defer in.mu.Unlock()
	r, ok := in.contacts.get(id)
	if !ok {
		return nil, notFound("contact %q not found in instance %q", id, in.id)
	}
	out := map[string]string{}
	if m := in.meta[r]; m != nil && m.attrs != nil {
		maps.Copy(out, m.attrs.m)
	}
	return out, nil
}

// describeMeta fills in what info reports of r's contactMeta.
func (in *Instance) describeMeta(r *record, info *ContactInfo) {
	m := in.meta[r]
	if m == nil {
		return
	}
	info.Name, info.Description = m.name, m.desc
	info.PreviousContactID, info.InitialContactID, info.Transfers = m.prev, m.initial, m.transfers
	if m.attrs != nil {
		info.Attributes = maps.Clone(m.attrs.m)
	}
	info.AttributesUpdated = m.updated
}
