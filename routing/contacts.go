package routing

import (
	"hash/maphash"

	"github.com/routesim/routesim/contact"
)

// contactTable is an instance's index of its contacts by ID: an open-addressing hash table
// with linear probing, load factor at most 1/2 and backward-shift deletion (no tombstones).
// A cell holds the low 32 bits of the ID's hash and the record; a probe reads a record's ID
// only when the hashes match. It replaces a map[contact.ID]*record for speed: a Go map's
// lookup of an ID it has not touched lately misses the cache twice, on the control word and
// on the key's slot, before the record is read; this one misses once, on the cell, and the
// record it leads to is the one the caller reads next anyway.
type contactTable struct {
	cells []contactCell // len is a power of two, or 0
	live  int
	seed  maphash.Seed
}

// contactCell is one table entry; r is nil in an empty cell.
type contactCell struct {
	hash uint32
	r    *record
}

func newContactTable() contactTable { return contactTable{seed: maphash.MakeSeed()} }

// hash returns the hash the table files id under.
func (t *contactTable) hash(id contact.ID) uint32 {
	return uint32(maphash.String(t.seed, string(id)))
}

// get returns the record of id, or false.
func (t *contactTable) get(id contact.ID) (*record, bool) { return t.find(id, t.hash(id)) }

// find is get for an ID whose hash the caller has computed.
func (t *contactTable) find(id contact.ID, h uint32) (*record, bool) {
	if len(t.cells) == 0 {
		return nil, false
	}
	mask := uint32(len(t.cells) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		c := &t.cells[i]
		if c.r == nil {
			return nil, false
		}
		if c.hash == h && c.r.c.ID == id {
			return c.r, true
		}
	}
}

// add files r under r.idHash, the hash of r.c.ID, which must not be in the table.
func (t *contactTable) add(r *record) {
	if 2*(t.live+1) > len(t.cells) {
		old := t.cells
		t.cells = make([]contactCell, max(16, 2*len(old)))
		for _, c := range old {
			if c.r != nil {
				t.place(c)
			}
		}
	}
	t.place(contactCell{hash: r.idHash, r: r})
	t.live++
}

// place puts c in the first empty cell from its home cell.
func (t *contactTable) place(c contactCell) {
	mask := uint32(len(t.cells) - 1)
	i := c.hash & mask
	for t.cells[i].r != nil {
		i = (i + 1) & mask
	}
	t.cells[i] = c
}

// remove deletes r, which must be in the table, then shifts back the cells after it that
// probed past it, so that no probe sequence is broken.
func (t *contactTable) remove(r *record) {
	mask := len(t.cells) - 1
	i := int(r.idHash) & mask
	for t.cells[i].r != r {
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.cells[j].r != nil; j = (j + 1) & mask {
		// The cell at j may move to i when i lies cyclically in [its home, j).
		if home := int(t.cells[j].hash) & mask; (j-home)&mask >= (j-i)&mask {
			t.cells[i] = t.cells[j]
			i = j
		}
	}
	t.cells[i] = contactCell{}
	t.live--
}
