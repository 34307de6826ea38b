package connectapi

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxQuoted is how many characters of one piece of input an error message quotes; longer
// input is cut, with "..." after it. maxMessage caps a whole message.
const (
	maxQuoted  = 200
	maxMessage = 1024
)

// quoted matches a Go-quoted string (%q) in a message.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// clipMessage cuts every quoted piece of input in msg to maxQuoted characters and the whole
// message to maxMessage, so that an error never echoes a large input back. The cost is
// O(len(msg)).
func clipMessage(msg string) string {
	if len(msg) <= maxQuoted {
		return msg
	}
	msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
		inner := q[1 : len(q)-1]
		if utf8.RuneCountInString(inner) <= maxQuoted {
			return q
		}
		return `"` + cutRunes(inner, maxQuoted) + `..."`
	})
	if utf8.RuneCountInString(msg) > maxMessage {
		msg = cutRunes(msg, maxMessage) + "..."
	}
	return msg
}

// clipInput returns s cut to maxQuoted characters, for messages that name input unquoted.
func clipInput(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return s
	}
	return cutRunes(s, maxQuoted) + "..."
}

// cutRunes returns the first n runes of s, not ending inside a backslash escape.
func cutRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			s = s[:j]
			break
		}
		i++
	}
	// Do not leave a dangling backslash (a cut escape) at the end.
	for strings.HasSuffix(s, `\`) && (len(s)-len(strings.TrimRight(s, `\`)))%2 == 1 {
		s = s[:len(s)-1]
	}
	return s
}
