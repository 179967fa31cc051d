// Command tlogcheck verifies docket's signed checkpoints, entries and proofs
// with Go's reference implementations - golang.org/x/mod/sumdb/note for the
// C2SP signed note and golang.org/x/mod/sumdb/tlog for the RFC 6962 proofs -
// so that docket's log is checked by code it shares nothing with.
//
// Usage:
//
//	tlogcheck note VKEYFILE NOTEFILE
//	tlogcheck inclusion VKEYFILE NOTEFILE INDEX ENTRYFILE PROOFFILE
//	tlogcheck consistency VKEYFILE OLDNOTE NEWNOTE PROOFFILE
//	tlogcheck cases DIR
//
// A proof file holds one base64 hash a line.  "cases DIR" runs every line of
// DIR/cases ("incl M S" or "cons O S") against DIR/vkey, DIR/cp.S,
// DIR/entry.M, DIR/incl.M.S and DIR/cons.O.S.  Exit status: 0 when
// everything verifies, 1 when something does not, 2 on a usage error.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// checkpoint is the body of a C2SP tlog-checkpoint.  tlog.ParseTree expects
// the go.sum database header, so the three lines are parsed here.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func parseCheckpoint(text string) (checkpoint, error) {
	var c checkpoint
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if !strings.HasSuffix(text, "\n") || len(lines) < 3 || lines[0] == "" {
		return c, errors.New("malformed checkpoint")
	}
	for _, ext := range lines[3:] {
		if ext == "" {
			return c, errors.New("empty extension line")
		}
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return c, fmt.Errorf("bad tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return c, fmt.Errorf("bad root hash %q", lines[2])
	}
	c.origin, c.size = lines[0], n
	copy(c.root[:], root)
	return c, nil
}

func readVerifier(path string) (note.Verifiers, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, "", err
	}
	return note.VerifierList(v), v.Name(), nil
}

// openCheckpoint verifies a signed note and parses its checkpoint; the
// origin must be the key's name.
func openCheckpoint(vkeyFile, noteFile string) (checkpoint, error) {
	known, name, err := readVerifier(vkeyFile)
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: %v", vkeyFile, err)
	}
	msg, err := os.ReadFile(noteFile)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open(msg, known)
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: %v", noteFile, err)
	}
	c, err := parseCheckpoint(n.Text)
	if err != nil {
		return c, fmt.Errorf("%s: %v", noteFile, err)
	}
	if c.origin != name {
		return c, fmt.Errorf("%s: origin %q is not the key name %q", noteFile, c.origin, name)
	}
	return c, nil
}

func readProof(path string) ([]tlog.Hash, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var proof []tlog.Hash
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		raw, err := base64.StdEncoding.DecodeString(sc.Text())
		if err != nil || len(raw) != tlog.HashSize {
			return nil, fmt.Errorf("%s: bad hash %q", path, sc.Text())
		}
		var h tlog.Hash
		copy(h[:], raw)
		proof = append(proof, h)
	}
	return proof, sc.Err()
}

func checkNote(vkeyFile, noteFile string) error {
	c, err := openCheckpoint(vkeyFile, noteFile)
	if err == nil {
		fmt.Printf("ok note: %s size %d root %s\n", c.origin, c.size, c.root)
	}
	return err
}

func checkInclusion(vkeyFile, noteFile, index, entryFile, proofFile string) error {
	c, err := openCheckpoint(vkeyFile, noteFile)
	if err != nil {
		return err
	}
	m, err := strconv.ParseInt(index, 10, 64)
	if err != nil {
		return fmt.Errorf("bad index %q", index)
	}
	entry, err := os.ReadFile(entryFile)
	if err != nil {
		return err
	}
	proof, err := readProof(proofFile)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(proof, c.size, c.root, m, tlog.RecordHash(entry)); err != nil {
		return fmt.Errorf("entry %d in tree %d: %v", m, c.size, err)
	}
	fmt.Printf("ok inclusion: entry %d in tree %d\n", m, c.size)
	return nil
}

func checkConsistency(vkeyFile, oldFile, newFile, proofFile string) error {
	o, err := openCheckpoint(vkeyFile, oldFile)
	if err != nil {
		return err
	}
	n, err := openCheckpoint(vkeyFile, newFile)
	if err != nil {
		return err
	}
	proof, err := readProof(proofFile)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(proof, n.size, n.root, o.size, o.root); err != nil {
		return fmt.Errorf("tree %d to tree %d: %v", o.size, n.size, err)
	}
	fmt.Printf("ok consistency: tree %d to tree %d\n", o.size, n.size)
	return nil
}

func runCases(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "cases"))
	if err != nil {
		return err
	}
	p := func(name string, args ...interface{}) string {
		return filepath.Join(dir, fmt.Sprintf(name, args...))
	}
	vkey, count := p("vkey"), 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var a, s int64
		var kind string
		if _, err := fmt.Sscanf(line, "%s %d %d", &kind, &a, &s); err != nil {
			return fmt.Errorf("bad case %q", line)
		}
		switch kind {
		case "incl":
			err = checkInclusion(vkey, p("cp.%d", s), strconv.FormatInt(a, 10),
				p("entry.%d", a), p("incl.%d.%d", a, s))
		case "cons":
			err = checkConsistency(vkey, p("cp.%d", a), p("cp.%d", s), p("cons.%d.%d", a, s))
		default:
			err = fmt.Errorf("bad case %q", line)
		}
		if err != nil {
			return err
		}
		count++
	}
	fmt.Printf("ok: %d cases\n", count)
	return nil
}

func main() {
	args := os.Args[1:]
	var err error
	switch {
	case len(args) == 3 && args[0] == "note":
		err = checkNote(args[1], args[2])
	case len(args) == 6 && args[0] == "inclusion":
		err = checkInclusion(args[1], args[2], args[3], args[4], args[5])
	case len(args) == 5 && args[0] == "consistency":
		err = checkConsistency(args[1], args[2], args[3], args[4])
	case len(args) == 2 && args[0] == "cases":
		err = runCases(args[1])
	default:
		fmt.Fprintln(os.Stderr, "usage: tlogcheck note|inclusion|consistency|cases ... (see source)")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tlogcheck:", err)
		os.Exit(1)
	}
}
