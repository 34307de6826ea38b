package connectapi

// Operations returns the names of the Amazon Connect operations a Handler serves (contacts,
// metrics, predefined attributes and proficiencies, queues and hours of operation, routing
// profiles, users and agent statuses); a request for any other answers 404
// UnknownOperationException. docs/emulator.md describes each. The cost is O(operations); the
// slice is the caller's.
func Operations() []string {
	names := make([]string, len(operations))
	for i, op := range operations {
		names[i] = op.name
	}
	return names
}
