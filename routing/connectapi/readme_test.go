package connectapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestREADMEShowsRefundsExample checks that the README's emulator example is
// TestRefundsGoToZoe as readme_example_test.go has it, character for character, so that what
// users copy is what runs here.
func TestREADMEShowsRefundsExample(t *testing.T) {
	src, err := os.ReadFile("readme_example_test.go")
	require.NoError(t, err)
	fn := goFunc(t, string(src), "func TestRefundsGoToZoe(")
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	shown := goFunc(t, string(readme), "func TestRefundsGoToZoe(")
	require.Equal(t, fn, shown, "README.md's TestRefundsGoToZoe differs from readme_example_test.go's; copy the function over")
}

// goFunc returns the function of text that starts at a line beginning with head and ends at
// the first line that is "}".
func goFunc(t *testing.T, text, head string) string {
	t.Helper()
	i := strings.Index(text, "\n"+head)
	require.GreaterOrEqual(t, i, 0, "no line starting with %q", head)
	rest := text[i+1:]
	j := strings.Index(rest, "\n}\n")
	require.GreaterOrEqual(t, j, 0, "%q does not end with a line \"}\"", head)
	return rest[:j+2]
}
