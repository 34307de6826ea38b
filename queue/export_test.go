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
