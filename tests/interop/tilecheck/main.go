// Command tilecheck verifies a log served as C2SP tlog-tiles over HTTP with
// Go's golang.org/x/mod/sumdb/note and sumdb/tlog, sharing no code with
// docket: the checkpoint's signature (note.Open) and its witnesses'
// tlog-cosignature/v1 lines, every hash tile the proofs need (through
// tlog.TileHashReader, and each full tile against the hash its parent tile
// holds for it, which x/mod v0.7 does not check for every tile), every entry
// bundle against the level 0 tiles, an inclusion proof for entries
// (tlog.ProveRecord / CheckRecord) and a consistency proof from an older
// checkpoint (tlog.ProveTree / CheckTree).
//
// Usage:
//
//	tilecheck -url http://HOST:PORT/log -vkey VKEY [-witness WVKEY]...
//	          [-token TOKEN] [-old CHECKPOINTFILE] [-every N] [-headers=false]
//
// Without -token, entry bundles are not fetched.  Exit status 0 when
// everything verifies, 1 when anything does not (the reason on stderr).
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

var (
	base         string
	token        string
	client       = &http.Client{Timeout: 20 * time.Second}
	full         = map[tlog.Tile][]byte{} // every full tile read
	checkHeaders = true
	lastGzip     bool // the last answer came gzip-compressed (Go's transport decompressed it)
	gzipBundles  int  // entry bundles that came gzip-compressed
	bundles      int
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tilecheck: "+format+"\n", args...)
	os.Exit(1)
}

func get(path string, auth bool) ([]byte, http.Header, error) {
	req, err := http.NewRequest("GET", base+"/"+path, nil)
	if err != nil {
		return nil, nil, err
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	lastGzip = resp.Uncompressed
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != 200 {
		return nil, nil, fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return b, resp.Header, nil
}

// tilePath is the C2SP path of a tile: N in 3-digit groups, "x" before all
// but the last, ".p/W" for a partial tile.
func tilePath(level string, n int64, w int) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	p := "tile/" + level + "/" + s
	if w < 256 {
		p += ".p/" + strconv.Itoa(w)
	}
	return p
}

type reader struct{ tiles int }

func (r *reader) Height() int { return 8 }

func (r *reader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if data, ok := full[t]; ok {
			out[i] = data
			continue
		}
		b, h, err := get(tilePath(strconv.Itoa(t.L), t.N, t.W), false)
		if err != nil {
			return nil, err
		}
		if len(b) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("tile %+v: %d bytes", t, len(b))
		}
		if ct := h.Get("Content-Type"); checkHeaders && ct != "application/octet-stream" {
			return nil, fmt.Errorf("tile %+v: Content-Type %q", t, ct)
		}
		if t.W == 256 {
			if cc := h.Get("Cache-Control"); checkHeaders && cc != "public, max-age=31536000, immutable" {
				return nil, fmt.Errorf("full tile %+v: Cache-Control %q", t, cc)
			}
			full[t] = b
		}
		r.tiles++
		out[i] = b
	}
	return out, nil
}

func (r *reader) SaveTiles([]tlog.Tile, [][]byte) {}

func parseCheckpoint(text string) (string, int64, tlog.Hash, error) {
	var root tlog.Hash
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return "", 0, root, errors.New("malformed checkpoint")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != lines[1] {
		return "", 0, root, errors.New("bad size")
	}
	b, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(b) != 32 {
		return "", 0, root, errors.New("bad root")
	}
	copy(root[:], b)
	return lines[0], n, root, nil
}

// checkCosig verifies witness wvkey's tlog-cosignature/v1 line on n.
func checkCosig(n *note.Note, wvkey string) error {
	parts := strings.SplitN(wvkey, "+", 3)
	if len(parts) != 3 {
		return errors.New("bad witness key")
	}
	k, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(k) != 33 || k[0] != 0x04 {
		return errors.New("bad witness key")
	}
	pub := ed25519.PublicKey(k[1:])
	h := sha256.Sum256(append([]byte(parts[0]+"\n\x04"), pub...))
	id := binary.BigEndian.Uint32(h[:4])
	for _, s := range n.UnverifiedSigs {
		if s.Name != parts[0] || s.Hash != id {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(s.Base64)
		if err != nil || len(b) != 4+8+64 {
			return errors.New("malformed cosignature")
		}
		t := binary.BigEndian.Uint64(b[4:12])
		msg := fmt.Sprintf("cosignature/v1\ntime %d\n%s", t, n.Text)
		if !ed25519.Verify(pub, []byte(msg), b[12:]) {
			return errors.New("cosignature does not verify")
		}
		return nil
	}
	return fmt.Errorf("no cosignature by %s", parts[0])
}

// tileRoot is the Merkle root of a full tile's 256 hashes.
func tileRoot(data []byte) tlog.Hash {
	level := make([]tlog.Hash, 256)
	for i := range level {
		copy(level[i][:], data[i*32:])
	}
	for len(level) > 1 {
		next := make([]tlog.Hash, len(level)/2)
		for i := range next {
			next[i] = tlog.NodeHash(level[2*i], level[2*i+1])
		}
		level = next
	}
	return level[0]
}

func main() {
	var witnesses multi
	flag.StringVar(&base, "url", "", "the log's URL prefix (…/log)")
	vkey := flag.String("vkey", "", "the log's verifier key")
	flag.Var(&witnesses, "witness", "a witness's cosignature verifier key (repeatable)")
	flag.StringVar(&token, "token", "", "an auditor's API token, to fetch entry bundles")
	oldFile := flag.String("old", "", "an older signed checkpoint to prove consistency from")
	every := flag.Int64("every", 1, "prove inclusion of every Nth entry")
	flag.BoolVar(&checkHeaders, "headers", true, "check Content-Type and Cache-Control (false for a static mirror)")
	flag.Parse()
	base = strings.TrimSuffix(base, "/")

	v, err := note.NewVerifier(*vkey)
	if err != nil {
		fail("log key: %v", err)
	}
	raw, h, err := get("checkpoint", false)
	if err != nil {
		fail("%v", err)
	}
	if ct := h.Get("Content-Type"); checkHeaders && ct != "text/plain; charset=utf-8" {
		fail("checkpoint Content-Type %q", ct)
	}
	if cc := h.Get("Cache-Control"); checkHeaders && cc != "no-store" {
		fail("checkpoint Cache-Control %q", cc)
	}
	n, err := note.Open(raw, note.VerifierList(v))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	origin, size, root, err := parseCheckpoint(n.Text)
	if err != nil || origin != v.Name() {
		fail("checkpoint body: %v (origin %q)", err, origin)
	}
	for _, w := range witnesses {
		if err := checkCosig(n, w); err != nil {
			fail("witness: %v", err)
		}
	}

	tr := &reader{}
	hr := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, tr)
	if th, err := tlog.TreeHash(size, hr); err != nil || th != root {
		fail("tree hash: %v", err)
	}

	// leaf hashes: the level 0 tiles, and the entries that hash to them
	leaves := make([]tlog.Hash, 0, size)
	for t := int64(0); t*256 < size; t++ {
		w := size - t*256
		if w > 256 {
			w = 256
		}
		data, err := tr.ReadTiles([]tlog.Tile{{H: 8, L: 0, N: t, W: int(w)}})
		if err != nil {
			fail("%v", err)
		}
		for i := 0; i < int(w); i++ {
			var x tlog.Hash
			copy(x[:], data[0][i*32:])
			leaves = append(leaves, x)
		}
		if token == "" {
			continue
		}
		bundle, bh, err := get(tilePath("entries", t, int(w)), true)
		if err != nil {
			fail("%v", err)
		}
		if checkHeaders && w == 256 && bh.Get("Cache-Control") == "" {
			fail("full entry bundle without Cache-Control")
		}
		bundles++
		if lastGzip {
			gzipBundles++
		}
		for i := int64(0); i < w; i++ {
			if len(bundle) < 2 {
				fail("entry bundle %d truncated", t)
			}
			l := int(binary.BigEndian.Uint16(bundle))
			if len(bundle) < 2+l {
				fail("entry bundle %d truncated", t)
			}
			if tlog.RecordHash(bundle[2:2+l]) != leaves[t*256+i] {
				fail("entry %d does not hash to its level 0 tile", t*256+i)
			}
			bundle = bundle[2+l:]
		}
		if len(bundle) != 0 {
			fail("entry bundle %d has %d bytes too many", t, len(bundle))
		}
	}

	// inclusion proofs
	proofs := 0
	for i := int64(0); i < size; i += *every {
		p, err := tlog.ProveRecord(size, i, hr)
		if err != nil {
			fail("prove %d: %v", i, err)
		}
		if err := tlog.CheckRecord(p, size, root, i, leaves[i]); err != nil {
			fail("inclusion of %d: %v", i, err)
		}
		proofs++
	}

	// every full tile against its parent's hash for it (fetching parents
	// adds full tiles to check in turn)
	checked := 0
	done := map[tlog.Tile]bool{}
	for {
		var todo []tlog.Tile
		for t := range full {
			if !done[t] {
				todo = append(todo, t)
			}
		}
		if len(todo) == 0 {
			break
		}
		for _, t := range todo {
			done[t] = true
			pw := (size >> (8 * uint(t.L+1))) - (t.N/256)*256
			if pw > 256 {
				pw = 256
			}
			pt := tlog.Tile{H: 8, L: t.L + 1, N: t.N / 256, W: int(pw)}
			pd, err := tr.ReadTiles([]tlog.Tile{pt})
			if err != nil {
				fail("parent of %+v: %v", t, err)
			}
			var want tlog.Hash
			copy(want[:], pd[0][(t.N%256)*32:])
			if tileRoot(full[t]) != want {
				fail("full tile %+v does not match its parent", t)
			}
			checked++
		}
	}

	// consistency from an older checkpoint
	if *oldFile != "" {
		b, err := os.ReadFile(*oldFile)
		if err != nil {
			fail("%v", err)
		}
		on, err := note.Open(b, note.VerifierList(v))
		if err != nil {
			fail("old checkpoint: %v", err)
		}
		_, osize, oroot, err := parseCheckpoint(on.Text)
		if err != nil || osize > size {
			fail("old checkpoint: %v", err)
		}
		p, err := tlog.ProveTree(size, osize, hr)
		if err != nil {
			fail("consistency proof: %v", err)
		}
		if err := tlog.CheckTree(p, size, root, osize, oroot); err != nil {
			fail("consistency from %d: %v", osize, err)
		}
	}
	var sigs bytes.Buffer
	for _, s := range n.UnverifiedSigs {
		sigs.WriteString(" " + s.Name)
	}
	fmt.Printf("ok size=%d tiles=%d full-tiles-checked=%d inclusion-proofs=%d cosigned-by=%s\n",
		size, tr.tiles, checked, proofs, strings.TrimSpace(sigs.String()))
	fmt.Printf("entry bundles: %d of %d came gzip-compressed\n", gzipBundles, bundles)
}
