package connectapi

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// tagKeyRE is the API model's TagKey pattern without its look-ahead (checked apart).
var tagKeyRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// checkTags checks a TagMap as the API model states it: 1..50 entries, keys 1..128
// characters of the pattern and not starting with "aws:", values up to 256 characters. A
// nil map (Tags absent) is valid. The cost is O(total length of the tags).
func checkTags(tags map[string]string) error {
	if tags == nil {
		return nil
	}
	if n := len(tags); n < 1 || n > 50 {
		return invalidParam("Tags has %d entries; it must have 1..50", n)
	}
	for k, v := range tags {
		switch n := utf8.RuneCountInString(k); {
		case n < 1 || n > 128:
			return invalidParam("Tags key %q is %d characters long; 1..128 allowed", k, n)
		case strings.HasPrefix(k, "aws:") || !tagKeyRE.MatchString(k):
			return invalidParam("Tags key %q does not match ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", k)
		case utf8.RuneCountInString(v) > 256:
			return invalidParam("Tags value of %q is longer than 256 characters", k)
		}
	}
	return nil
}
