package routing

import (
	"github.com/routesim/routesim/internal/prefetch"
	"hash/maphash"
	"iter"
	"math/bits"
	"unsafe"

	"github.com/routesim/routesim/contact"
)

// Why contactTable is not a map[contact.ID]*record: a Go map's lookup of an ID it has not
// touched lately misses the cache twice, on the control word and on the key's slot, before the
// record is read; this table misses once, on the cell, and the record it leads to is the one
// the caller reads next anyway.
//
// A new contact's ID is almost never in the table, yet proving it by probing costs a cache
// miss on a random cell, and filing it costs a write to that cell, which the instance lock's
// release waits for. Two things take both off StartContact's path:
//
//   - The counting filter answers "not in the table" without a probe, from 1/16 of the cells'
//     memory; about one new ID in ten at the table's fullest falls back to the probe.
//     EndContact prefetches the counter a removal will change when it finds the contact.
//   - add files a record without placing it, and prefetches its cell's line; by the next
//     operation on the table, after the lock's release and the next call's own hashing, the
//     line has arrived.
//
// In the router benchmark (100,000 waiting contacts), the two made a routed contact about 8%
// faster (866 to 800 ns, delays=none; see the README's performance section). Each needs
// the other: the filter alone leaves the write to the cell for the lock's release to wait
// for, and deferring the write alone leaves the probe.

// contactTable is an instance's index of its contacts by ID: an open-addressing hash table
// with linear probing, load factor at most 1/2 and backward-shift deletion (no tombstones).
// A cell holds the low 32 bits of the ID's hash and the record; a probe reads a record's ID
// only when the hashes match.
//
// A counting filter of four 2-bit counters per cell, four to a byte, indexed by the hash's
// top bits, counts the records filed under each: a zero means absent, anything else falls back
// to the probe. A counter that reaches 3 sticks there until the table next grows and
// recounts, so that it never undercounts; a removal counts down.
//
// add files a record without placing it: the record waits in pend, and the next operation on
// the table places it first.
type contactTable struct {
	cells  []contactCell // len is a power of two, or 0
	counts []uint8       // the filter: 1<<filterBits(len(cells)) counters, perByte per byte
	live   int           // records filed, pend included
	pend   *record       // filed but not yet in a cell; nil for none
	seed   maphash.Seed
}

// contactCell is one table entry; r is nil in an empty cell.
type contactCell struct {
	hash uint32
	r    *record
}

// counterBits is the width of a filter counter; filterStuck, its largest value, is the count
// at which it stops counting; perByte counters share a byte.
const (
	counterBits = 2
	filterStuck = 1<<counterBits - 1
	perByte     = 8 / counterBits
)

func newContactTable() contactTable { return contactTable{seed: maphash.MakeSeed()} }

// hash returns the hash the table files id under.
func (t *contactTable) hash(id contact.ID) uint32 {
	return uint32(maphash.String(t.seed, string(id)))
}

// get returns the record of id, or false.
func (t *contactTable) get(id contact.ID) (*record, bool) { return t.find(id, t.hash(id)) }

// find is get for an ID whose hash the caller has computed.
func (t *contactTable) find(id contact.ID, h uint32) (*record, bool) {
	t.settle()
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

// has reports whether id, whose hash is h, is in the table. For an ID that is not, it
// usually reads only the filter.
func (t *contactTable) has(id contact.ID, h uint32) bool {
	if len(t.cells) == 0 || t.count(h) == 0 {
		return false
	}
	_, ok := t.find(id, h)
	return ok
}

// add files r under r.idHash, the hash of r.c.ID, which must not be in the table. The next
// operation on the table places it in its cell.
func (t *contactTable) add(r *record) {
	t.settle()
	if 2*(t.live+1) > len(t.cells) {
		t.grow()
	}
	t.pend = r
	t.live++
	t.bump(r.idHash, +1)
	prefetch.Pointer(unsafe.Pointer(&t.cells[r.idHash&uint32(len(t.cells)-1)]))
}

// settle places the pending record, if there is one.
func (t *contactTable) settle() {
	if r := t.pend; r != nil {
		t.pend = nil
		t.place(contactCell{hash: r.idHash, r: r})
	}
}

// grow doubles the table (16 cells at first), re-places every record and recounts the
// filter. The pending record must have been placed.
func (t *contactTable) grow() {
	old := t.cells
	n := max(16, 2*len(old))
	t.cells = make([]contactCell, n)
	t.counts = make([]uint8, 1<<filterBits(n)/perByte)
	for _, c := range old {
		if c.r != nil {
			t.place(c)
			t.bump(c.hash, +1)
		}
	}
}

// filterBits returns log2 of the number of filter counters for a table of the given number of
// cells: four per cell, at most 2^32.
func filterBits(cells int) int { return min(32, bits.TrailingZeros(uint(cells))+2) }

// shift is how far a hash shifts right to give its filter counter: the counter takes the
// hash's top filterBits bits.
func (t *contactTable) shift() uint32 { return uint32(32 - filterBits(len(t.cells))) }

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
	t.settle()
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
	t.bump(r.idHash, -1)
}

// records yields every record in the table, the pending one included, in no particular
// order. The table must not change meanwhile.
func (t *contactTable) records() iter.Seq[*record] {
	return func(yield func(*record) bool) {
		for _, c := range t.cells {
			if c.r != nil && !yield(c.r) {
				return
			}
		}
		if t.pend != nil {
			yield(t.pend)
		}
	}
}

// count returns the filter counter of hash h; the table must have cells.
func (t *contactTable) count(h uint32) uint8 {
	i := h >> t.shift()
	return t.counts[i/perByte] >> (counterBits * (i % perByte)) & filterStuck
}

// bump adds d (+1 or -1) to the filter counter of hash h, unless it is stuck.
func (t *contactTable) bump(h uint32, d int8) {
	if t.count(h) == filterStuck {
		return
	}
	i := h >> t.shift()
	t.counts[i/perByte] += uint8(d) << (counterBits * (i % perByte))
}

// prefetchCount starts loading the filter counter of hash h, which a removal will change.
func (t *contactTable) prefetchCount(h uint32) {
	if len(t.cells) > 0 {
		prefetch.Pointer(unsafe.Pointer(&t.counts[(h>>t.shift())/perByte]))
	}
}
