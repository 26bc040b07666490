#!/usr/bin/env python3
"""Verify a dalil evidence bundle or case file without dalil: Python 3.9+ and `cryptography`.

    python3 verify_bundle.py case.zip      [--key BASE64_PUBLIC_KEY] [--list]
    python3 verify_bundle.py casefile.html [--key BASE64_PUBLIC_KEY]
    python3 verify_bundle.py casefile.pdf  [--key BASE64_PUBLIC_KEY]

A bundle (zip of manifest.json and evidence/<sha256> files): for every item, the file's
SHA-256 equals the sha256 in the manifest and in its ledger entry; the entry's RFC 8785
canonical JSON, hashed as an RFC 9162 leaf (SHA-256(0x00 || bytes)), is included in the
Merkle tree whose root the manifest's tree head gives (inclusion proof, RFC 9162 section
2.1.3.2); and the tree head's Ed25519 signature over canonical
{"root_hash","timestamp","tree_size"} verifies. Paths other than manifest.json and
evidence/<sha256>, links, duplicates and likely zip bombs are refused. A manifest record
may also name its item (original_name, description, source, acquired_at, and the records
it supports): that is the publisher's account, not signed; it must be text, and faults
name items by it. --list prints every item of a bundle with its name after the verdict.

A case file: its verification appendix (JSON, format dalil-casefile-appendix/1; in the
HTML a <script type="application/json" id="dalil-verification"> block, in the PDF the
attached file dalil-verification.json) gives the signed tree head and, for every evidence
item listed, its ingest entry and inclusion proof: the signature, each entry (it names the
item's sha256 and the case) and each proof are checked. For the HTML, the evidence index
and tree head printed for the reader must be the ones the appendix proves.

Pin the publisher's key with --key (without it, the signature only shows that the file
is consistent with the key it carries). Exit 0 if everything verifies, 1 if anything does
not (one FAULT line each), 2 for a bad command line (one "error [input.invalid]" line).
"""

import argparse
import base64
import binascii
import hashlib
import json
import re
import stat
import struct
import sys
import zipfile
import zlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAX_ENTRIES = 100000
MAX_RATIO = 100
MAX_MANIFEST = 256 * 1024 * 1024
MAX_CASEFILE = 256 * 1024 * 1024
APPENDIX = "dalil-casefile-appendix/1"
EVIDENCE = re.compile(r"^evidence/[0-9a-f]{64}$")
# what reading a damaged or hostile archive can raise: each becomes a fault
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    OverflowError,
    NotImplementedError,
    RuntimeError,
    KeyError,
)
RECORD_ERRORS = (KeyError, TypeError, ValueError, OverflowError, AttributeError, RecursionError)
NAME_FIELDS = ("original_name", "description", "source", "acquired_at")
MAX_NAME = 4096


class BadArgument(Exception):
    """A command-line value that cannot be used (exit 2)."""


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


def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + canonical(entry).encode("utf-8")).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def included(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2: does ``proof`` place ``leaf`` at ``index`` under ``root``?"""
    if not 0 <= index < size or any(len(p) != 32 for p in proof):
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


def read_head(head):
    """(tree size, root, public key, faults) of a tree head record; raises on bad shape."""
    size, stamp = head["tree_size"], head["timestamp"]
    if type(size) is not int or type(stamp) is not int or size < 0:
        raise TypeError("tree_size and timestamp are whole numbers")
    root = bytes.fromhex(head["root_hash"])
    key = base64.b64decode(head["public_key"], validate=True)
    signature = base64.b64decode(head["signature"], validate=True)
    signed = canonical({"tree_size": size, "root_hash": head["root_hash"], "timestamp": stamp})
    faults = []
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, signed.encode())
    except (InvalidSignature, ValueError):  # a bad signature or a key of the wrong length
        faults.append("tree head signature does not verify")
    return size, root, key, faults


def pin(faults, key, pinned):
    if pinned is not None and pinned != key:
        faults.append("tree head signed by a different key than --key")


# -- bundles --------------------------------------------------------------------------


def check_bundle(path, pinned):
    try:
        with zipfile.ZipFile(path) as zf:
            return bundle_faults(zf, pinned)
    except ZIP_ERRORS as err:
        return [f"not a readable zip archive ({err.__class__.__name__})"], {}


def bundle_faults(zf, pinned):
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        return [f"archive has {len(infos)} entries; more than {MAX_ENTRIES} is refused"], {}
    faults, names = [], {}
    for info in infos:
        name = info.filename
        if name in names:
            faults.append(f"{name!r}: appears twice in the archive")
        names[name] = info
        if name != "manifest.json" and not EVIDENCE.match(name):
            faults.append(f"unexpected path in archive: {name!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            faults.append(f"{name!r}: is a symbolic link")
        if (
            info.compress_size
            and info.file_size > 1 << 20
            and (info.file_size / info.compress_size > MAX_RATIO)
        ):
            faults.append(f"{name!r}: compression ratio above {MAX_RATIO} (possible zip bomb)")
    if faults:
        return faults, {}
    if "manifest.json" not in names or names["manifest.json"].file_size > MAX_MANIFEST:
        return ["manifest.json is missing or too large"], {}
    try:
        manifest = json.loads(zf.read("manifest.json"))
        items = manifest["items"]
        if manifest.get("format") != "dalil-bundle/1" or not isinstance(items, list):
            raise ValueError("unknown format")
        size, root, key, faults = read_head(manifest["tree_head"])
    except (*ZIP_ERRORS, *RECORD_ERRORS) as err:
        return [f"manifest.json is not a dalil-bundle/1 manifest ({err.__class__.__name__})"], {}
    pin(faults, key, pinned)
    listed = set()
    case = manifest.get("case")
    case_id = case.get("id") if isinstance(case, dict) else None
    for n, item in enumerate(items):
        try:
            faults += bundle_item(zf, names, n, item, size, root, listed, case_id)
        except (*ZIP_ERRORS, *RECORD_ERRORS) as err:
            faults.append(f"item {n}: malformed or unreadable ({err.__class__.__name__})")
    for name in names:
        if name != "manifest.json" and name not in listed:
            faults.append(f"{name}: in the archive but not in the manifest")
    return faults, {
        "items": len(items),
        "tree_size": size,
        "root": root.hex(),
        "key": base64.b64encode(key).decode(),
        "listing": [listing(item) for item in items if isinstance(item, dict)],
    }


def name_faults(label, item):
    """Faults of the fields naming an item (absent fields are none: older bundles)."""
    faults = []
    for field in NAME_FIELDS:
        value = item.get(field)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_NAME):
            faults.append(f"{label}: {field} is not text of at most {MAX_NAME} characters")
    supports = item.get("supports", [])
    if not isinstance(supports, list) or not all(
        isinstance(s, dict) and all(v is None or isinstance(v, str) for v in s.values())
        for s in supports
    ):
        faults.append(f"{label}: supports is not a list of records")
    return faults


def listing(item):
    """One line naming an item for --list: hash, size, name, what it supports, description."""

    def text(value):
        return value if isinstance(value, str) else ""

    supports = item.get("supports") if isinstance(item.get("supports"), list) else []
    labels = [text(s.get("label")) or text(s.get("kind")) for s in supports if isinstance(s, dict)]
    return "  ".join(
        part
        for part in (
            text(item.get("sha256"))[:16],
            str(item.get("size", "")),
            text(item.get("original_name")) or "(no name in the manifest)",
            ("supports " + ", ".join(labels)) if labels else "",
            text(item.get("description")),
        )
        if part
    )


def bundle_item(zf, names, n, item, size, root, listed, case_id):
    sha, rel, length = str(item["sha256"]), str(item["path"]), int(item["size"])
    entry, index = item["entry"], item["ledger_index"]
    proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
    if type(index) is not int:
        raise TypeError("ledger_index is a whole number")
    name = item.get("original_name")
    label = f"item {n} ({name}, {sha})" if isinstance(name, str) else f"item {n} ({sha})"
    faults = name_faults(label, item)
    if rel != "evidence/" + sha or rel not in names:
        return [*faults, f"{label}: file {rel!r} missing or misnamed"]
    listed.add(rel)
    if not isinstance(entry, dict) or entry.get("item") != sha:
        return [f"{label}: its ledger entry does not name this sha256"]
    if entry.get("action") not in ("ingest", "derive") or entry.get("case") != case_id:
        faults.append(f"{label}: its ledger entry is not its ingest into this case")
    digest, got = hashlib.sha256(), 0
    with zf.open(rel) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            got += len(chunk)
            if got > length:
                break
    if digest.hexdigest() != sha or got != length:
        faults.append(f"{label}: content does not match its sha256 and size")
    if not included(index, size, leaf_hash(entry), proof, root):
        faults.append(f"{label}: inclusion proof fails")
    return faults


# -- case files -----------------------------------------------------------------------

BLOCK = re.compile(
    r'<script type="application/json" id="dalil-verification">(.*?)</script>', re.DOTALL
)
SECTION = re.compile(r'<section id="evidence">(.*?)</section>', re.DOTALL)
ROW = re.compile(r'<tr><td class="num">(\d+)</td><td class="hash">([0-9a-f]{64})</td>')
SHOWN_SIZE = re.compile(r'<span id="dalil-tree-size">(\d+)</span>')
SHOWN_ROOT = re.compile(r'<dd class="hash" id="dalil-root-hash">([0-9a-f]{64})</dd>')


def pdf_attachment(data):
    """The embedded file holding the appendix, from the PDF's /EmbeddedFile streams."""
    for found in re.finditer(rb"/Type\s*/EmbeddedFile\b", data):
        start = data.find(b"stream", found.end())
        end = data.find(b"endstream", start) if start >= 0 else -1
        if end < 0:
            return None
        header = data[data.rfind(b"obj", 0, found.start()) + 1 : start]
        body = data[start + len(b"stream") : end].lstrip(b"\r\n")
        if b"/FlateDecode" in header:
            try:
                body = zlib.decompressobj().decompress(body, MAX_MANIFEST)
            except zlib.error:
                continue
        if APPENDIX.encode() in body[:4096]:
            return body
    return None


def check_casefile(data):
    html = None
    if data.startswith(b"%PDF-"):
        raw = pdf_attachment(data)
        if raw is None:
            return ["no dalil-verification.json attached to this PDF"], {}
    else:
        try:
            html = data.decode("utf-8")
        except UnicodeDecodeError:
            return ["not UTF-8 text: not a dalil HTML case file"], {}
        blocks = BLOCK.findall(html)
        if len(blocks) != 1:
            return [f"{len(blocks)} dalil-verification blocks; a case file has exactly one"], {}
        raw = blocks[0]
    try:
        appendix = json.loads(raw)
        if not isinstance(appendix, dict) or appendix.get("format") != APPENDIX:
            raise ValueError("unknown format")
        items, case = appendix["items"], appendix["case"]
        missing = appendix.get("not_covered", [])
        if not isinstance(items, list) or not isinstance(missing, list):
            raise TypeError("items is not a list")
        size, root, key, faults = read_head(appendix["tree_head"])
    except RECORD_ERRORS as err:
        return [f"the verification appendix is not {APPENDIX} ({err.__class__.__name__})"], {}
    if missing:
        faults.append(f"{len(missing)} listed item(s) not covered by the signed tree head")
    proved = set()
    for n, item in enumerate(items):
        try:
            faults += appendix_item(n, item, size, root, case, proved)
        except RECORD_ERRORS as err:
            faults.append(f"item {n}: malformed appendix record ({err.__class__.__name__})")
    if html is not None:
        section = SECTION.search(html)
        shown = set(ROW.findall(section.group(1))) if section else set()
        shown = {(i, s) for i, s in shown if int(i) not in missing}
        for index, sha in sorted(shown - proved):
            faults.append(f"evidence index row (ledger {index}, {sha}): not in the appendix")
        for index, sha in sorted(proved - shown):
            faults.append(f"appendix item (ledger {index}, {sha}): not in the evidence index")
        if SHOWN_SIZE.findall(html) != [str(size)] or SHOWN_ROOT.findall(html) != [root.hex()]:
            faults.append("the tree head printed in the appendix is not the one it signs")
    return faults, {
        "items": len(items),
        "tree_size": size,
        "root": root.hex(),
        "key": base64.b64encode(key).decode(),
    }


def appendix_item(n, item, size, root, case, proved):
    sha, index, entry = str(item["sha256"]), item["ledger_index"], item["entry"]
    proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
    if type(index) is not int or not isinstance(entry, dict):
        raise TypeError("ledger_index is a whole number and entry an object")
    proved.add((str(index), sha))
    label = f"item {n} (ledger {index}, {sha})"
    faults = []
    if entry.get("item") != sha:
        faults.append(f"{label}: its ledger entry does not name this sha256")
    if entry.get("action") not in ("ingest", "derive"):
        faults.append(f"{label}: its ledger entry is not an ingest")
    if entry.get("case") != case:
        faults.append(f"{label}: its ledger entry is of another case")
    if not included(index, size, leaf_hash(entry), proof, root):
        faults.append(f"{label}: inclusion proof fails")
    return faults


# -- command line ---------------------------------------------------------------------


def parse_key(text):
    """The 32-byte Ed25519 public key of --key, or BadArgument naming what is wrong."""
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadArgument(
            "--key: not base64 (an Ed25519 public key is 44 base64 characters)"
        ) from None
    if len(key) != 32:
        raise BadArgument(f"--key: decodes to {len(key)} bytes; an Ed25519 public key has 32")
    return key


def check(path, pinned=None):
    """(faults, summary) for a bundle or a case file; never raises on the file's content."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            if head.startswith(b"PK") or not (
                head.startswith(b"%PDF-") or b"<html" in head.lower()
            ):
                return check_bundle(path, pinned)
            data = head + fh.read(MAX_CASEFILE + 1 - len(head))
    except OSError as err:
        return [f"cannot read the file ({err.strerror})"], {}
    if len(data) > MAX_CASEFILE:
        return [f"larger than {MAX_CASEFILE} bytes; refused"], {}
    faults, summary = check_casefile(data)
    if summary:
        pin(faults, base64.b64decode(summary["key"]), pinned)
    return faults, summary


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a dalil evidence bundle or case file.")
    parser.add_argument("file", help="bundle (.zip) or case file (.html, .pdf)")
    parser.add_argument("--key", help="the publisher's Ed25519 public key, base64")
    parser.add_argument(
        "--list", action="store_true", help="print each item of a bundle with its name"
    )
    args = parser.parse_args(argv[1:])
    try:
        pinned = parse_key(args.key) if args.key is not None else None
    except BadArgument as err:
        print(f"error [input.invalid] {err}", file=sys.stderr)
        return 2
    faults, summary = check(args.file, pinned)
    for fault in faults:
        print("FAULT", fault)
    print(
        f"{summary.get('items', 0)} items, tree size {summary.get('tree_size')}, "
        f"root {summary.get('root')}, key {summary.get('key')}: "
        + ("OK" if not faults else "NOT VERIFIED")
    )
    if args.list:
        for line in summary.get("listing", []):
            print(line)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
