// proof.js - the customer portal's check of a notice's inclusion proof in
// the page (docs/portals.md), a progressive enhancement: the page works
// and the proof downloads without it.  With the Web Crypto API it checks
// what `docket log check-proof` checks: the checkpoint's Ed25519 signature
// by the log's verifier key (C2SP signed-note), its size, and that
// SHA-256(0x00 || entry) folded with the proof's hashes gives its root
// (RFC 9162 section 2.1.3.2).  Nothing leaves the browser.
"use strict";

(function () {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  const enc = new TextEncoder();

  function b64(s) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function concat(...parts) {
    const n = parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async function sha256(bytes) {
    return new Uint8Array(await subtle.digest("SHA-256", bytes));
  }

  function equal(a, b) {
    if (a.length !== b.length) return false;
    let d = 0;
    for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  }

  // A signed note: the text (through its last newline before the blank
  // line) and the signature lines "— name base64(keyid || signature)".
  async function checkNote(note, vkey) {
    // name+keyid+base64: the base64 may hold '+' itself
    const parts = vkey.trim().split("+");
    const [name, hexid, keyb64] = [parts[0], parts[1], parts.slice(2).join("+")];
    const key = b64(keyb64);
    if (key.length !== 33 || key[0] !== 1) throw new Error("not an Ed25519 verifier key");
    const cut = note.indexOf("\n\n");
    if (cut < 0) throw new Error("the checkpoint is not a signed note");
    const text = note.slice(0, cut + 1);
    const pub = await subtle.importKey("raw", key.slice(1), { name: "Ed25519" }, false, ["verify"]);
    for (const line of note.slice(cut + 2).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const sig = b64(m[2]);
      const id = Array.from(sig.slice(0, 4), (x) => x.toString(16).padStart(2, "0")).join("");
      if (id !== hexid || sig.length !== 68) continue;
      if (await subtle.verify({ name: "Ed25519" }, pub, sig.slice(4), enc.encode(text))) return text;
    }
    throw new Error("the checkpoint is not signed by the log's key " + name);
  }

  // RFC 9162 section 2.1.3.2.
  async function checkInclusion(index, size, leaf, hashes, root) {
    if (index >= size) return false;
    let fn = index, sn = size - 1, r = leaf;
    for (const p of hashes) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat([1], p, r));
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      } else {
        r = await sha256(concat([1], r, p));
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, root);
  }

  // The proof as GET /api/v1/my/requests/{id}/proof gives it; resolves to
  // {index, size, origin}, or rejects with what failed.
  async function verifyProof(proof, vkey) {
    if (!subtle) throw new Error("this browser has no Web Crypto");
    const text = await checkNote(proof.checkpoint, vkey);
    const [origin, size, rootb64] = text.split("\n");
    if (Number(size) !== proof.tree_size) throw new Error("the checkpoint is of another size");
    const leaf = await sha256(concat([0], b64(proof.entry)));
    const ok = await checkInclusion(proof.index, proof.tree_size, leaf, proof.hashes.map(b64), b64(rootb64));
    if (!ok) throw new Error("the entry is not in the tree the checkpoint signs");
    return { index: proof.index, size: proof.tree_size, origin: origin };
  }

  if (typeof module !== "undefined") {
    module.exports = { verifyProof };   // for tests under Node
    return;
  }
  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("proof-check");
    if (!box || !subtle) return;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Check the proof in this page";
    const out = document.createElement("p");
    out.setAttribute("role", "status");
    box.append(button, out);
    button.addEventListener("click", async () => {
      out.textContent = "Checking…";
      try {
        const res = await fetch(box.dataset.proof, { credentials: "same-origin" });
        if (!res.ok) throw new Error("the proof could not be fetched (HTTP " + res.status + ")");
        const r = await verifyProof(await res.json(), box.dataset.vkey);
        out.textContent = "Verified: entry " + r.index + " is in the log " + r.origin + " of " +
          r.size + " entries, whose checkpoint is signed with the log's key.  Compare that " +
          "checkpoint with the public one at /log/checkpoint.";
      } catch (e) {
        out.textContent = "Not verified: " + e.message;
      }
    });
  });
})();
