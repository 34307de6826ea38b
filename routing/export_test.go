package routing

// RetainedMeta returns how many contacts the instance keeps names, attributes or links for.
func RetainedMeta(in *Instance) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.meta)
}
