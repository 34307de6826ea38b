package fit

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
)

// objectFunc receives one top-level JSON object of a file (the slice is reused after the
// call returns) and the line it starts on.
type objectFunc func(obj []byte, line int)

// junkFunc receives a stretch of a file that is not a JSON object (or an object cut off by
// the end of the file), the line it starts on, and why.
type junkFunc func(line int, why string)

// walk calls read for every regular file under each path (a file, or a directory read
// recursively in lexical order), as Firehose's yyyy/mm/dd/hh folders lay them out. Files may
// have any name or extension.
func walk(paths []string, read func(path string) error) error {
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			return read(path)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// splitReader reads one file from r, gunzipping it when it starts with gzip's magic
// bytes, and splits it into top-level JSON objects: JSON lines, a JSON array of objects, or
// objects concatenated with no separator (as Kinesis Data Firehose writes them) all work, in
// any mix. The cost is O(size) with one pass over the bytes; memory is O(largest object).
func splitReader(name string, r io.Reader, obj objectFunc, junk junkFunc) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var in io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer gz.Close()
		in = gz
	}
	if err := split(in, obj, junk); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// stopInString marks the bytes that end a run of plain string bytes.
var stopInString = [256]bool{'"': true, '\\': true, '\n': true}

// splitter is the state of split between reads.
type splitter struct {
	buf      []byte
	depth    int
	inStr    bool
	esc      bool
	start    int // of the current object in buf; -1 outside one
	line     int // of the byte being scanned
	objLine  int
	junkLine int // of a stretch of junk being skipped; 0 outside one
}

// split scans r and hands out its top-level objects; see splitFile.
func split(r io.Reader, obj objectFunc, junk junkFunc) error {
	s := splitter{buf: make([]byte, 0, 1<<20), start: -1, line: 1}
	pos := 0
	for {
		if len(s.buf) == cap(s.buf) {
			keep := 0
			if s.start >= 0 {
				keep = s.start
			} else {
				keep = pos
			}
			if keep == 0 {
				// One object fills the buffer: grow it.
				nb := make([]byte, len(s.buf), 2*cap(s.buf))
				copy(nb, s.buf)
				s.buf = nb
			} else {
				n := copy(s.buf, s.buf[keep:])
				s.buf = s.buf[:n]
				pos -= keep
				if s.start >= 0 {
					s.start -= keep
				}
			}
		}
		n, err := r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		pos = s.scan(pos, obj, junk)
		if errors.Is(err, io.EOF) {
			s.finish(junk)
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// scan scans buf from pos to its end and returns where it stopped.
func (s *splitter) scan(pos int, obj objectFunc, junk junkFunc) int {
	b := s.buf
	for i := pos; i < len(b); i++ {
		c := b[i]
		if s.start >= 0 && s.inStr {
			if s.esc {
				s.esc = false
				if c != '\n' {
					continue
				}
			} else {
				// Skip to the next quote, backslash or newline at once.
				for i < len(b) && !stopInString[b[i]] {
					i++
				}
				if i == len(b) {
					return len(b)
				}
				c = b[i]
				switch c {
				case '\\':
					s.esc = true
					continue
				case '"':
					s.inStr = false
					continue
				}
			}
		}
		if c == '\n' {
			s.line++
			s.resync(b, i, junk)
		}
		if s.start < 0 {
			s.outside(b, i, junk)
			continue
		}
		switch c {
		case '"':
			s.inStr = true
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth == 0 {
				obj(b[s.start:i+1], s.objLine)
				s.start = -1
			}
		}
	}
	return len(b)
}

// resync, at a newline inside an object followed at once by '{' (the next record of a JSON
// lines file, where a pretty-printed object would indent), reports the object as cut off so
// that one broken line costs one record, not the rest of the file.
func (s *splitter) resync(b []byte, i int, junk junkFunc) {
	if s.start < 0 || i+1 >= len(b) || b[i+1] != '{' {
		return
	}
	junk(s.objLine, fmt.Sprintf("JSON object cut off (line %d starts a new one)", s.line))
	s.start, s.inStr, s.esc, s.depth = -1, false, false, 0
}

// outside handles byte i outside any object: separators, the start of an object, or junk,
// reported once per line.
func (s *splitter) outside(b []byte, i int, junk junkFunc) {
	switch c := b[i]; c {
	case '\n':
		s.junkLine = 0
	case ' ', '\t', '\r', ',', '[', ']':
	case '{':
		s.junkLine = 0
		s.start, s.objLine, s.depth = i, s.line, 1
	default:
		if s.junkLine == 0 {
			s.junkLine = s.line
			junk(s.line, fmt.Sprintf("unexpected %q outside a JSON object", c))
		}
	}
}

// finish reports an object cut off by the end of the input.
func (s *splitter) finish(junk junkFunc) {
	if s.start >= 0 {
		junk(s.objLine, "JSON object not closed at the end of the file")
	}
}
