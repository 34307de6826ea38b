package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/routesim/routesim/routing/connectapi"
)

// TestEmulateHelpListsOperations checks that "routesim emulate -h" names every operation the
// emulator serves, as a whole word.
func TestEmulateHelpListsOperations(t *testing.T) {
	var out, errb bytes.Buffer
	runMain(context.Background(), []string{"emulate", "-h"}, &out, &errb)
	help := errb.String()
	assert.Contains(t, help, "docs/emulator.md")
	for _, op := range connectapi.Operations() {
		assert.Regexp(t, regexp.MustCompile(`\b`+op+`\b`), help, "emulate -h does not name %s", op)
	}
}
