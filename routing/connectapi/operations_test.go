package connectapi_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/routesim/routesim/routing/connectapi"
)

// TestDocsListEveryOperationOnce checks that docs/emulator.md's operation tables have one row
// for each operation the handler serves, and none for an operation it does not serve.
func TestDocsListEveryOperationOnce(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "emulator.md"))
	require.NoError(t, err)
	rows := map[string]int{}
	for _, m := range regexp.MustCompile("(?m)^\\| ([A-Za-z0-9]+) \\| `(?:GET|PUT|POST|DELETE) ").FindAllStringSubmatch(string(doc), -1) {
		rows[m[1]]++
	}
	served := connectapi.Operations()
	require.Len(t, served, len(rows), "docs/emulator.md has %d operation rows; the handler serves %d operations", len(rows), len(served))
	for _, name := range served {
		assert.Equal(t, 1, rows[name], "rows of %s in docs/emulator.md", name)
	}
}
