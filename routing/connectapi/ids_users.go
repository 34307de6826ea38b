package connectapi

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Helpers of the user, status and routing-profile operations: IDs, ARNs given for IDs,
// pages and tags. Named with a u prefix so as not to collide with the queue operations' own.

// uNewID returns a random version-4 UUID, the form of the IDs Amazon Connect makes.
func uNewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// uResourceID returns the resource ID of an ID or an ARN ending in ".../kind/ID".
func uResourceID(v string) string {
	if !strings.HasPrefix(v, "arn:") {
		return v
	}
	return v[strings.LastIndexByte(v, '/')+1:]
}

// uPage returns the bounds of a page of n items and the next token: maxResults is
// 1..limit (nil: 100, or limit if smaller); the token is one this operation returned.
func uPage(n int, maxResults *int32, limit int, token *string) (lo, hi int, next *string, err error) {
	size := min(100, limit)
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > limit {
			return 0, 0, nil, invalidParam("MaxResults %d is out of range 1..%d", *maxResults, limit)
		}
		size = int(*maxResults)
	}
	if token != nil {
		lo, err = strconv.Atoi(*token)
		if err != nil || lo < 0 || lo > n {
			return 0, 0, nil, invalidParam("NextToken %q is not a token this operation returned", *token)
		}
	}
	hi = min(n, lo+size)
	if hi < n {
		t := strconv.Itoa(hi)
		next = &t
	}
	return lo, hi, next, nil
}

// uTagKeyRE is the API model's TagKey pattern without its look-ahead (checked apart).
var uTagKeyRE = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// uCheckTags checks a TagMap as the model states it: 1..50 entries, keys 1..128
// characters of the pattern and not starting with "aws:", values up to 256.
func uCheckTags(tags map[string]string) error {
	if tags == nil {
		return nil
	}
	if n := len(tags); n < 1 || n > 50 {
		return invalidParam("Tags holds %d tags; 1..50 allowed", n)
	}
	for k, v := range tags {
		switch n := utf8.RuneCountInString(k); {
		case n < 1 || n > 128:
			return invalidParam("Tags key %q is %d characters long; 1..128 allowed", k, n)
		case strings.HasPrefix(k, "aws:") || !uTagKeyRE.MatchString(k):
			return invalidParam("Tags key %q does not match ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", k)
		case utf8.RuneCountInString(v) > 256:
			return invalidParam("Tags value of %q is longer than 256 characters", k)
		}
	}
	return nil
}

// uLen checks that a required string member is set and 1..max characters long.
func uLen(name string, v *string, max int) (string, error) {
	if v == nil {
		return "", invalidParam("%s is required", name)
	}
	if n := utf8.RuneCountInString(*v); n < 1 || n > max {
		return "", invalidParam("%s is %d characters long; 1..%d allowed", name, n, max)
	}
	return *v, nil
}

// uOptLen checks an optional string member's length, 1..max when set.
func uOptLen(name string, v *string, max int) error {
	if v == nil {
		return nil
	}
	_, err := uLen(name, v, max)
	return err
}
