package queue

import (
	"hash/maphash"

	"github.com/routesim/routesim/contact"
)

// index maps contact IDs to Heap slots: an open-addressing hash table with linear probing,
// load factor at most 1/2, and backward-shift deletion (no tombstones). It replaces a
// map[contact.ID]Handle for one reason: removal. A queue removes the contact it pops, and
// deleting its ID from a Go map means hashing the ID and probing, which reads the contact,
// the ID's bytes, the map's control word and its key: three or four cache misses in a large
// queue. Here each heap slot keeps its cell's index (slot.cell), so removal goes straight to the
// cell, and the ID is never read. A lookup by ID costs what a map lookup costs: the hash, a
// short probe comparing 32-bit hashes, and one comparison of the ID, read from the contact.
// Beside the cells, a parallel array cs holds each cell's contact, so that a lookup reads the
// contact (to compare the ID) without first reading the slot record: an Update by ID waits
// for one cache miss fewer. The cells stay 8 bytes, eight to a line, for probes and shifts.
//
// A removal is finished late. drop marks the cell as a hole and returns without reading the
// table; the next insert or removal settles the hole first (the backward shift), and lookups
// step over it meanwhile. The shift has to read the cells after the hole, a cache miss in a
// large table, and the removing operation has nothing else to wait for it: Pop's work is the
// heap's sift. Settled at the start of the next Push or Remove, after that operation has
// started hashing its ID, the shift's reads overlap the operation's own misses (the contact,
// the ID's bytes) instead of following them. Once settled, the table is exactly what an
// eager removal leaves. (At 1e6 it made Hold about 10% faster, Pop 17%, Remove 12%; see the
// README's performance section.)
type index struct {
	cells []cell             // len is a power of two, or 0
	cs    []*contact.Contact // cs[i] is the contact of cells[i], nil for an empty cell
	live  int                // cells in use, the hole included
	hole  int32              // 1 + the cell dropped but not yet settled, or 0 for none
	seed  maphash.Seed
}

// cell is one table entry: the low 32 bits of the ID's hash, which place the cell (a table
// never has more than 2^31 cells) and filter probes, and the heap slot plus one (0 marks an
// empty cell, so a zeroed table is empty). 8 bytes, eight to a line; the cell's contact is
// in the parallel array index.cs, at the same index.
type cell struct {
	hash  uint32
	slot1 int32
}

func newIndex() index { return index{seed: maphash.MakeSeed()} }

func (x *index) hash(id contact.ID) uint32 { return uint32(maphash.String(x.seed, string(id))) }

// find returns the heap slot holding id and its contact, or false.
func (x *index) find(id contact.ID) (int32, *contact.Contact, bool) {
	return x.findHash(id, x.hash(id))
}

// findHash is find for an ID whose hash the caller has computed. A candidate's contact is
// read from cs, whose address depends only on the probe's index: the processor can load it
// while the cell itself is still on its way, so a lookup waits for the cell and the contact
// together, and never for the heap slot.
func (x *index) findHash(id contact.ID, h uint32) (int32, *contact.Contact, bool) {
	if len(x.cells) == 0 {
		return 0, nil, false
	}
	mask := uint32(len(x.cells) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		c := x.cells[i]
		if c.slot1 == 0 {
			return 0, nil, false
		}
		if c.hash == h && int32(i) != x.hole-1 {
			if ct := x.cs[i]; ct.ID == id {
				return c.slot1 - 1, ct, true
			}
		}
	}
}

// insert records that heap slot s holds contact ct, whose ID hashes to h and must not be in
// the index.
func (x *index) insert(hp *Heap, h uint32, s int32, ct *contact.Contact) {
	x.settle(hp)
	if 2*(x.live+1) > len(x.cells) {
		x.grow(hp)
	}
	x.place(hp, cell{hash: h, slot1: s + 1}, ct)
	x.live++
}

// place puts c, with its contact ct, in the first empty cell from its home cell.
func (x *index) place(hp *Heap, c cell, ct *contact.Contact) {
	mask := uint32(len(x.cells) - 1)
	i := c.hash & mask
	for x.cells[i].slot1 != 0 {
		i = (i + 1) & mask
	}
	x.cells[i], x.cs[i] = c, ct
	hp.slots[c.slot1-1].cell = int32(i)
}

// grow doubles the table (16 cells at first) and re-places every entry.
func (x *index) grow(hp *Heap) {
	old, olds := x.cells, x.cs
	n := max(16, 2*len(old))
	x.cells, x.cs = make([]cell, n), make([]*contact.Contact, n)
	for i, c := range old {
		if c.slot1 != 0 {
			x.place(hp, c, olds[i])
		}
	}
}

// drop removes the cell of heap slot s, which the caller is about to release: it settles an
// earlier hole (which may move s's cell), then leaves s's cell as the hole, to be settled by
// the next insert or drop. Until then lookups step over it, and it keeps its contact. It
// reads the slot record but no cell, unless an earlier hole is still there.
func (x *index) drop(hp *Heap, s int32) {
	x.settle(hp)
	x.hole = hp.slots[s].cell + 1
}

// settle deletes the hole, if there is one, then shifts back the cells after it that probed
// past it, so that no probe sequence is broken.
func (x *index) settle(hp *Heap) {
	if x.hole == 0 {
		return
	}
	mask := len(x.cells) - 1
	i := int(x.hole - 1)
	x.hole = 0
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		c := x.cells[j]
		if c.slot1 == 0 {
			break
		}
		home := int(c.hash) & mask
		// c may move to i when i lies cyclically in [home, j).
		if (j-home)&mask >= (j-i)&mask {
			x.cells[i], x.cs[i] = c, x.cs[j]
			hp.slots[c.slot1-1].cell = int32(i)
			i = j
		}
	}
	x.cells[i], x.cs[i] = cell{}, nil
	x.live--
}
