package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestClientSuites runs the suites that drive the emulator from other languages
// (testdata/clients: Python with boto3, JavaScript with the AWS SDK v3, the AWS CLI) when
// ROUTESIM_CLIENTS=1, each skipped with a one-line reason when its tools are absent. They
// take about a minute and a half; .ci/clients runs them too, installing what is missing.
func TestClientSuites(t *testing.T) {
	if os.Getenv("ROUTESIM_CLIENTS") != "1" {
		t.Skip("set ROUTESIM_CLIENTS=1 (or run .ci/clients) to drive the emulator from Python, JavaScript and the AWS CLI")
	}
	bin := filepath.Join(t.TempDir(), "routesim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir, err := filepath.Abs("testdata/clients")
	if err != nil {
		t.Fatal(err)
	}
	suites := []struct {
		name, dir, skip string
		need            func() bool
		cmd             []string
	}{
		{"python", "python", "python3 with boto3 is not installed",
			func() bool { return exec.Command("python3", "-c", "import boto3").Run() == nil },
			[]string{"python3", "-m", "unittest", "test_emulator", "test_operations"}},
		{"javascript", "js", "node, or js/node_modules (npm ci), is missing",
			func() bool {
				_, err := os.Stat(filepath.Join(dir, "js", "node_modules", "@aws-sdk", "client-connect"))
				_, lerr := exec.LookPath("node")
				return err == nil && lerr == nil
			},
			[]string{"node", "--test"}},
		{"aws cli", "cli", "the AWS CLI, jq or curl is not installed",
			func() bool {
				for _, c := range []string{"aws", "jq", "curl"} {
					if _, err := exec.LookPath(c); err != nil {
						return false
					}
				}
				return true
			},
			[]string{"sh", "test.sh"}},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			if !s.need() {
				t.Skip(s.skip)
			}
			cmd := exec.Command(s.cmd[0], s.cmd[1:]...)
			cmd.Dir = filepath.Join(dir, s.dir)
			cmd.Env = append(os.Environ(), "ROUTESIM_BIN="+bin)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", s.cmd, err, out)
			}
		})
	}
}
