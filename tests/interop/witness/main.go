// Command witness is a small C2SP tlog-witness for tests: it serves POST
// /add-checkpoint for one log, verifies the log's signature with
// golang.org/x/mod/sumdb/note and the consistency proof with
// golang.org/x/mod/sumdb/tlog, keeps the latest checkpoint it cosigned in a
// state file, refuses a checkpoint that does not extend it (a fork or a
// rollback: 409 with its size, then 422), and answers with a
// tlog-cosignature/v1 (Ed25519) line.  It shares no code with docket.
//
// Usage:
//
//	witness -name NAME -key KEYFILE -print-vkey
//	witness -name NAME -key KEYFILE -log-vkey VKEY -state FILE -addr-file FILE
//
// The key file holds a 32-byte Ed25519 seed in base64 (made when missing).
// The server listens on 127.0.0.1 on a free port, which it writes to
// -addr-file as host:port once it accepts connections.  Every request and
// answer is appended to -journal when given.
package main

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type state struct {
	Origin string    `json:"origin"`
	Size   int64     `json:"size"`
	Root   tlog.Hash `json:"root"`
}

type witness struct {
	name     string
	priv     ed25519.PrivateKey
	logV     note.Verifier
	origin   string
	stateF   string
	journalF string
	mu       sync.Mutex
}

func keyID(name string, pub []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write([]byte{0x04})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil)[:4])
}

func loadKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
			return nil, err
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("bad key file %s", path)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func vkey(name string, pub ed25519.PublicKey) string {
	return fmt.Sprintf("%s+%08x+%s", name, keyID(name, pub),
		base64.StdEncoding.EncodeToString(append([]byte{0x04}, pub...)))
}

// parseCheckpoint reads the three lines of a C2SP checkpoint body.
func parseCheckpoint(text string) (origin string, size int64, root tlog.Hash, err error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return "", 0, root, errors.New("malformed checkpoint")
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return "", 0, root, errors.New("bad tree size")
	}
	b, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(b) != tlog.HashSize {
		return "", 0, root, errors.New("bad root hash")
	}
	copy(root[:], b)
	return lines[0], size, root, nil
}

func (w *witness) load() (state, error) {
	var s state
	b, err := os.ReadFile(w.stateF)
	if errors.Is(err, os.ErrNotExist) {
		return state{Origin: w.origin}, nil
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}

func (w *witness) save(s state) error {
	b, _ := json.Marshal(s)
	tmp := w.stateF + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	f.Close()
	return os.Rename(tmp, w.stateF)
}

func (w *witness) journal(format string, args ...interface{}) {
	if w.journalF == "" {
		return
	}
	f, err := os.OpenFile(w.journalF, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	fmt.Fprintf(f, format+"\n", args...)
	f.Close()
}

func (w *witness) cosign(text []byte) string {
	t := uint64(time.Now().Unix())
	msg := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), text...)
	sig := ed25519.Sign(w.priv, msg)
	pub := w.priv.Public().(ed25519.PublicKey)
	b := make([]byte, 0, 4+8+64)
	b = binary.BigEndian.AppendUint32(b, keyID(w.name, pub))
	b = binary.BigEndian.AppendUint64(b, t)
	b = append(b, sig...)
	return fmt.Sprintf("\u2014 %s %s\n", w.name, base64.StdEncoding.EncodeToString(b))
}

func (w *witness) addCheckpoint(rw http.ResponseWriter, r *http.Request) {
	status, body, ctype := w.handle(r)
	w.journal("%d %s", status, strings.TrimSpace(body))
	rw.Header().Set("Content-Type", ctype)
	rw.WriteHeader(status)
	io.WriteString(rw, body)
}

func (w *witness) handle(r *http.Request) (int, string, string) {
	const plain = "text/plain; charset=utf-8"
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "POST only\n", plain
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return http.StatusBadRequest, "cannot read body\n", plain
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	first, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(first, "old ") {
		return http.StatusBadRequest, "no old size line\n", plain
	}
	old, err := strconv.ParseInt(strings.TrimSuffix(first[4:], "\n"), 10, 64)
	if err != nil || old < 0 || strconv.FormatInt(old, 10) != strings.TrimSuffix(first[4:], "\n") {
		return http.StatusBadRequest, "bad old size\n", plain
	}
	var proof tlog.TreeProof
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return http.StatusBadRequest, "no blank line\n", plain
		}
		if line == "\n" {
			break
		}
		h, err := tlog.ParseHash(strings.TrimSuffix(line, "\n"))
		if err != nil || len(proof) == 63 {
			return http.StatusBadRequest, "bad proof line\n", plain
		}
		proof = append(proof, h)
	}
	msg, _ := io.ReadAll(br)
	// the origin first: an unknown log is 404 before any signature check
	origin, _, _, err := parseCheckpoint(string(msg))
	if err != nil {
		return http.StatusBadRequest, err.Error() + "\n", plain
	}
	if origin != w.origin {
		return http.StatusNotFound, "unknown log\n", plain
	}
	n, err := note.Open(msg, note.VerifierList(w.logV))
	if err != nil {
		return http.StatusForbidden, "no valid signature by the log: " + err.Error() + "\n", plain
	}
	_, size, root, err := parseCheckpoint(n.Text)
	if err != nil {
		return http.StatusBadRequest, err.Error() + "\n", plain
	}
	if old > size {
		return http.StatusBadRequest, "old size beyond the checkpoint\n", plain
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := w.load()
	if err != nil {
		return http.StatusInternalServerError, "state: " + err.Error() + "\n", plain
	}
	if old != st.Size {
		return http.StatusConflict, fmt.Sprintf("%d\n", st.Size), "text/x.tlog.size"
	}
	switch {
	case old == 0:
		if len(proof) != 0 {
			return http.StatusUnprocessableEntity, "a proof from size 0\n", plain
		}
	case old == size:
		if root != st.Root || len(proof) != 0 {
			return http.StatusUnprocessableEntity, "same size, another root: a fork\n", plain
		}
	default:
		if err := tlog.CheckTree(proof, size, root, old, st.Root); err != nil {
			return http.StatusUnprocessableEntity, "not consistent with the cosigned checkpoint: " + err.Error() + "\n", plain
		}
	}
	if err := w.save(state{Origin: w.origin, Size: size, Root: root}); err != nil {
		return http.StatusInternalServerError, "state: " + err.Error() + "\n", plain
	}
	return http.StatusOK, w.cosign([]byte(n.Text)), plain
}

func main() {
	name := flag.String("name", "witness.test/w1", "the witness's key name")
	keyFile := flag.String("key", "", "Ed25519 seed file (made when missing)")
	printVkey := flag.Bool("print-vkey", false, "print the cosignature verifier key and exit")
	logVkey := flag.String("log-vkey", "", "the log's verifier key")
	stateFile := flag.String("state", "", "the state file")
	addrFile := flag.String("addr-file", "", "where to write host:port")
	journalFile := flag.String("journal", "", "append every answer here")
	flag.Parse()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "witness:", err)
		os.Exit(1)
	}
	if *keyFile == "" {
		fail(errors.New("-key is required"))
	}
	priv, err := loadKey(*keyFile)
	if err != nil {
		fail(err)
	}
	if *printVkey {
		fmt.Println(vkey(*name, priv.Public().(ed25519.PublicKey)))
		return
	}
	v, err := note.NewVerifier(*logVkey)
	if err != nil {
		fail(err)
	}
	w := &witness{name: *name, priv: priv, logV: v, origin: v.Name(), stateF: *stateFile, journalF: *journalFile}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
		fail(err)
	}
	if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
		fail(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/add-checkpoint", w.addCheckpoint)
	fail((&http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}).Serve(ln))
}
