#!/usr/bin/env python3
"""Verify a dalil evidence bundle without dalil: Python 3.9+ and `cryptography` only.

    python3 verify_bundle.py case.zip [--key BASE64_PUBLIC_KEY]

Checks, for every item: the file's SHA-256 equals the sha256 in the manifest and in its
ledger entry; the entry's RFC 8785 canonical JSON, hashed as an RFC 9162 leaf
(SHA-256(0x00 || bytes)), is included in the Merkle tree whose root the manifest's tree
head gives (inclusion proof, RFC 9162 section 2.1.3.2); and the tree head's Ed25519
signature over canonical {"root_hash","timestamp","tree_size"} verifies. Pin the
publisher's key with --key. Exit 0 if everything verifies, 1 otherwise.
"""
import base64
import hashlib
import json
import sys
import zipfile

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def canonical(value):
    """RFC 8785 for strings, integers, booleans, null, lists and objects (no floats)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, float):
        raise ValueError("floats are not used in dalil ledger entries")
    return json.dumps(value, ensure_ascii=False)


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def included(index, size, leaf, proof, root):
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def main(argv):
    path, pinned = argv[1], None
    if "--key" in argv:
        pinned = base64.b64decode(argv[argv.index("--key") + 1])
    faults = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name != "manifest.json" and not (name.startswith("evidence/") and len(name) == 73 and "/" not in name[9:]):
                faults.append(f"unexpected path in archive: {name!r}")
        manifest = json.loads(zf.read("manifest.json"))
        head = manifest["tree_head"]
        root = bytes.fromhex(head["root_hash"])
        key = base64.b64decode(head["public_key"])
        signed = canonical({"tree_size": head["tree_size"], "root_hash": head["root_hash"], "timestamp": head["timestamp"]})
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(base64.b64decode(head["signature"]), signed.encode())
        except Exception:
            faults.append("tree head signature does not verify")
        if pinned is not None and pinned != key:
            faults.append("tree head signed by a different key than --key")
        for item in manifest["items"]:
            sha = item["sha256"]
            digest = hashlib.sha256()
            with zf.open(item["path"]) as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            if item["path"] != "evidence/" + sha or digest.hexdigest() != sha or item["entry"].get("item") != sha:
                faults.append(f"{sha}: content or entry does not match")
            leaf = hashlib.sha256(b"\x00" + canonical(item["entry"]).encode()).digest()
            proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
            if not included(item["ledger_index"], head["tree_size"], leaf, proof, root):
                faults.append(f"{sha}: inclusion proof fails")
    for fault in faults:
        print("FAULT", fault)
    print(f"{len(manifest['items'])} items, tree size {head['tree_size']}, root {head['root_hash']}, "
          f"key {head['public_key']}: {'OK' if not faults else 'NOT VERIFIED'}")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
