"""Offline verification of an evidence bundle (``dalil verify-bundle``); needs no workspace.

A bundle is a zip of ``manifest.json`` and ``evidence/<sha256>`` files (DESIGN.md). For
each item we check that the file's bytes hash to the sha256 its ledger entry names, that
the entry hashes to a leaf included (RFC 9162 inclusion proof) in the tree whose head is
signed in the manifest, and that the signature verifies with the manifest's Ed25519 key
(or a key the caller pins). Zip-slip names, links, extra or missing files and archives
whose declared sizes suggest a zip bomb are faults, found before any byte is trusted.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
from pathlib import Path
from typing import Any

from dalil.vault import merkle
from dalil.vault.canonical import canonical_json
from dalil.vault.ledger import SignedHead

MAX_ENTRIES = 100_000
MAX_RATIO = 100
MAX_MANIFEST = 256 * 1024 * 1024
EVIDENCE = re.compile(r"^evidence/[0-9a-f]{64}$")


def verify_bundle(path: Path, public_key: bytes | None = None) -> tuple[list[str], dict[str, Any]]:
    """Faults found (empty means the bundle verifies) and a short summary."""
    faults: list[str] = []
    summary: dict[str, Any] = {"items": 0}
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        return [f"{path}: not a readable zip archive ({err.__class__.__name__})"], summary
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            return [
                f"archive has {len(infos)} entries; more than {MAX_ENTRIES} is refused"
            ], summary
        names: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if name in names:
                faults.append(f"{name!r}: appears twice in the archive")
            names[name] = info
            if name != "manifest.json" and not EVIDENCE.match(name):
                faults.append(
                    f"{name!r}: unexpected path (only manifest.json and evidence/<sha256>)"
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                faults.append(f"{name!r}: is a symbolic link")
            if (
                info.compress_size
                and info.file_size / info.compress_size > MAX_RATIO
                and info.file_size > 1 << 20
            ):
                faults.append(
                    f"{name!r}: compression ratio above {MAX_RATIO}: refused as a possible zip bomb"
                )
        if faults:
            return faults, summary
        if "manifest.json" not in names or names["manifest.json"].file_size > MAX_MANIFEST:
            return ["manifest.json is missing or too large"], summary
        try:
            manifest = json.loads(zf.read("manifest.json"))
            head = SignedHead.from_dict(manifest["tree_head"])
            items = manifest["items"]
            if manifest.get("format") != "dalil-bundle/1" or not isinstance(items, list):
                raise ValueError("unknown bundle format")
        except (ValueError, KeyError, TypeError) as err:
            return [
                f"manifest.json is not a valid dalil-bundle/1 manifest ({err.__class__.__name__})"
            ], summary
        summary |= {
            "tree_size": head.tree_size,
            "root_hash": head.root_hash.hex(),
            "items": len(items),
            "public_key": head.public_key.hex(),
            "case": manifest.get("case"),
        }
        if public_key is not None and head.public_key != public_key:
            faults.append("tree head is signed by a different key than the one expected")
        if not head.signature_valid():
            faults.append("tree head signature does not verify")
        listed: set[str] = set()
        for n, item in enumerate(items):
            faults.extend(_check_item(zf, names, n, item, head, listed))
        for name in names:
            if name != "manifest.json" and name not in listed:
                faults.append(f"{name}: in the archive but not in the manifest")
    return faults, summary


def _check_item(
    zf: zipfile.ZipFile,
    names: dict[str, zipfile.ZipInfo],
    n: int,
    item: Any,
    head: SignedHead,
    listed: set[str],
) -> list[str]:
    try:
        sha, rel, size = str(item["sha256"]), str(item["path"]), int(item["size"])
        index, entry = int(item["ledger_index"]), item["entry"]
        proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
    except (KeyError, TypeError, ValueError):
        return [f"item {n}: malformed manifest record"]
    label = f"item {n} ({sha[:16]}…)"
    faults = []
    if rel != f"evidence/{sha}" or rel not in names:
        return [f"{label}: file {rel!r} missing or misnamed"]
    listed.add(rel)
    if not isinstance(entry, dict) or entry.get("item") != sha:
        faults.append(f"{label}: its ledger entry does not name this sha256")
    digest, got = hashlib.sha256(), 0
    with zf.open(rel) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            got += len(chunk)
            if got > size:
                break
    if digest.hexdigest() != sha or got != size:
        faults.append(f"{label}: file content does not match its sha256 and size")
    try:
        leaf = merkle.leaf_hash(canonical_json(entry))
    except (TypeError, ValueError):
        return [*faults, f"{label}: ledger entry is not canonical JSON data"]
    if not merkle.verify_inclusion(index, head.tree_size, leaf, proof, head.root_hash):
        faults.append(f"{label}: inclusion proof does not lead to the signed root")
    return faults
