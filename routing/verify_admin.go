package routing

import "fmt"

// verifyAdmin checks what queue_admin.go and contact_meta.go keep: every queue indexed once
// by its ID, its gate set exactly when it is DISABLED or has a limit, no limit below -1,
// queue names unique where set; every contactMeta filed under a record of the contact
// table, its transfer count within MaxTransfers and its links set exactly when it has been
// transferred.
func (in *Instance) verifyAdmin() error {
	if len(in.qorder) != len(in.queues) {
		return fmt.Errorf("routing: %d queues in order, %d by ID", len(in.qorder), len(in.queues))
	}
	names := make(map[string]string, len(in.qorder))
	for _, qs := range in.qorder {
		a := &qs.adm
		switch {
		case in.queues[qs.id] != qs:
			return fmt.Errorf("routing: queue %q is not indexed by its ID", qs.id)
		case a.maxContacts < -1:
			return fmt.Errorf("routing: queue %q has MaxContacts %d", qs.id, a.maxContacts)
		case a.gated != (a.disabled || a.maxContacts >= 0):
			return fmt.Errorf("routing: queue %q gated %v; disabled %v, max %d", qs.id, a.gated, a.disabled, a.maxContacts)
		case qs.name != "" && names[qs.name] != "":
			return fmt.Errorf("routing: queues %q and %q are both named %q", names[qs.name], qs.id, qs.name)
		}
		if qs.name != "" {
			names[qs.name] = qs.id
		}
	}
	for r, m := range in.meta {
		if got, ok := in.contacts.get(r.c.ID); !ok || got != r {
			return fmt.Errorf("routing: data kept for contact %q, which the instance no longer holds", r.c.ID)
		}
		switch {
		case m.transfers < 0 || m.transfers > MaxTransfers:
			return fmt.Errorf("routing: contact %q transferred %d times", r.c.ID, m.transfers)
		case (m.transfers > 0) != (m.prev != "") || (m.prev != "") != (m.initial != ""):
			return fmt.Errorf("routing: contact %q: %d transfers, previous %q, initial %q", r.c.ID, m.transfers, m.prev, m.initial)
		}
	}
	return nil
}
