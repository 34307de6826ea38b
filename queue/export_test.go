package queue

// Verify exports verify to the external test package queue_test: it returns an error naming
// the first broken internal invariant of q, or nil.
var Verify = verify

// VerifyHeap exports verifyHeap: it returns an error naming the first broken internal
// invariant of hp, or nil.
func VerifyHeap(hp *Heap) error {
	_, err := verifyHeap(hp)
	return err
}

// SetSeqLimit sets the last arrival sequence a Heap issues before it renumbers its contacts'
// sequences, and returns a func that restores the limit. Tests that call it must not run in
// parallel with others of this package.
func SetSeqLimit(n uint32) (restore func()) {
	old := seqLimit
	seqLimit = n
	return func() { seqLimit = old }
}
