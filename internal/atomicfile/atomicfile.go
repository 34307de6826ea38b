// Package atomicfile writes whole files so that a reader, or a process that crashes, never
// sees half of one: the bytes go to a temporary file beside the target, are synced, and the
// temporary file is renamed over the target.
package atomicfile

import (
	"os"
	"path/filepath"
)

// WriteFile writes b to path with permissions exactly perm (the umask does not apply). On success path holds exactly b; on failure path is unchanged and the
// temporary file is removed. A crash during WriteFile leaves at most a temporary file named
// ".BASE.tmp-*" beside path.
func WriteFile(path string, b []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, perm)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
