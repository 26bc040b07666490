"""Offline verification of an evidence bundle or a case file (``dalil verify-bundle``);
needs no workspace.

A bundle is a zip of ``manifest.json`` and ``evidence/<sha256>`` files (DESIGN.md). Each
manifest record also names its item (:func:`manifest_names`: original file name,
description, source, acquisition time and the records it supports, from the item's sealed
metadata, read by the exporter with the vault unlocked). Those names are the publisher's
account, not signed: the verifier checks only that they are well-formed text and names
items by them in its faults. For each item we check that the file's bytes hash to the
sha256 its ledger entry names, that the entry hashes to a leaf included (RFC 9162
inclusion proof) in the tree whose head is signed in the manifest, and that the signature
verifies with the manifest's Ed25519 key (or a key the caller pins). Zip-slip names,
links, extra or missing files and archives whose declared sizes suggest a zip bomb are
faults, found before any byte is trusted.

A case file (HTML, or PDF with the same data attached) carries its verification appendix
as JSON (``dalil-casefile-appendix/1``, see :mod:`dalil.report.casefile`): the signed tree
head and, for each listed item, its ingest entry and inclusion proof. For the HTML, the
evidence index and tree head a reader sees must also be the ones the appendix proves.

Whatever the file holds, the answer is a list of faults (empty: verified), never an
exception: a damaged archive or document is one more fault.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.model.tables import Record
from dalil.vault import merkle
from dalil.vault.canonical import canonical_json
from dalil.vault.crypto import open_sealed
from dalil.vault.holdings import records_of
from dalil.vault.ledger import SignedHead
from dalil.vault.tables import VaultItem

MAX_ENTRIES = 100_000
MAX_RATIO = 100
MAX_MANIFEST = 256 * 1024 * 1024
EVIDENCE = re.compile(r"^evidence/[0-9a-f]{64}$")
MAX_CASEFILE = 256 * 1024 * 1024
APPENDIX_FORMAT = "dalil-casefile-appendix/1"
#: what reading a damaged or hostile zip archive can raise (zipfile does not wrap them)
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
_BLOCK = re.compile(
    r'<script type="application/json" id="dalil-verification">(.*?)</script>', re.DOTALL
)
_SECTION = re.compile(r'<section id="evidence">(.*?)</section>', re.DOTALL)
_ROW = re.compile(r'<tr><td class="num">(\d+)</td><td class="hash">([0-9a-f]{64})</td>')
_SHOWN_SIZE = re.compile(r'<span id="dalil-tree-size">(\d+)</span>')
_SHOWN_ROOT = re.compile(r'<dd class="hash" id="dalil-root-hash">([0-9a-f]{64})</dd>')


#: the fields of a manifest record that name its item (unsigned; text or null)
NAME_FIELDS = ("original_name", "description", "source", "acquired_at")
MAX_NAME = 4096


def manifest_names(
    session: Session, master: bytes, case_id: str, items: list[VaultItem]
) -> dict[str, dict[str, Any]]:
    """For each item (by id), the fields that name it in a bundle's manifest: its original
    file name, description (the ingest notes), source and acquisition time from its sealed
    metadata (opened with the vault's ``master`` key), and the records it supports as
    ``{"id", "kind", "label"}`` (labels such as ``EV-03`` or ``W-007``, never a person's
    name). The caller has checked each item against its ingest entry and records the
    export; the names leave the vault with the bytes they describe."""
    links = records_of(session, case_id, [it.id for it in items])
    wanted = sorted({r for ids in links.values() for r in ids})
    records = {
        r.id: r
        for start in range(0, len(wanted), 500)
        for r in session.scalars(select(Record).where(Record.id.in_(wanted[start : start + 500])))
    }
    out = {}
    for it in items:
        meta = json.loads(open_sealed(master, it.metadata_sealed, it.id.encode()))
        named: dict[str, Any] = {
            field: meta.get("notes" if field == "description" else field) for field in NAME_FIELDS
        }
        named["supports"] = [
            {"id": r.id, "kind": r.kind, "label": r.label}
            for rid in links[it.id]
            if (r := records.get(rid)) is not None
        ]
        out[it.id] = named
    return out


def name_faults(label: str, item: dict[str, Any]) -> list[str]:
    """Faults of the naming fields of a manifest record (absent fields are no fault: a
    bundle made before items were named has none)."""
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


def item_label(n: int, item: Any, sha: str) -> str:
    """How a fault names an item: its number, original name (if the manifest gives one as
    text) and the start of its hash."""
    name = item.get("original_name") if isinstance(item, dict) else None
    return f"item {n} ({name}, {sha[:16]}…)" if isinstance(name, str) else f"item {n} ({sha[:16]}…)"


def parse_public_key(text: str, where: str = "--key") -> bytes:
    """An Ed25519 public key given as base64 (as ``dalil vault export`` prints it): 32
    bytes, or one located InvalidInput (review L4: a bad key was a traceback)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            "not base64 (an Ed25519 public key is 44 base64 characters)", path=where
        ) from None
    if len(key) != 32:
        raise InvalidInput(f"decodes to {len(key)} bytes; an Ed25519 public key has 32", path=where)
    return key


def verify_bundle(path: Path, public_key: bytes | None = None) -> tuple[list[str], dict[str, Any]]:
    """Faults found (empty means the bundle verifies) and a short summary.

    A case file (HTML or PDF) given instead of a bundle is checked by
    :func:`verify_casefile`."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(1024)
    except OSError as err:
        return [f"{path}: cannot be read ({err.strerror})"], {"items": 0}
    if magic.startswith(b"%PDF-") or b"<html" in magic.lower():
        return verify_casefile(path, public_key)
    try:
        return _verify_zip(path, public_key)
    except ZIP_ERRORS as err:
        return [f"{path}: damaged archive ({err.__class__.__name__})"], {"items": 0}


def _verify_zip(path: Path, public_key: bytes | None) -> tuple[list[str], dict[str, Any]]:
    faults: list[str] = []
    summary: dict[str, Any] = {"items": 0}
    try:
        zf = zipfile.ZipFile(path)
    except ZIP_ERRORS as err:
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
        except (*ZIP_ERRORS, TypeError, AttributeError) as err:
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
        case = manifest.get("case")
        case_id = case.get("id") if isinstance(case, dict) else None
        for n, item in enumerate(items):
            try:
                faults.extend(_check_item(zf, names, n, item, head, listed, case_id))
            except ZIP_ERRORS as err:
                faults.append(
                    f"item {n}: cannot be read from the archive ({err.__class__.__name__})"
                )
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
    case_id: Any = None,
) -> list[str]:
    try:
        sha, rel, size = str(item["sha256"]), str(item["path"]), int(item["size"])
        index, entry = int(item["ledger_index"]), item["entry"]
        proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
    except (KeyError, TypeError, ValueError, OverflowError):
        return [f"item {n}: malformed manifest record"]
    label = item_label(n, item, sha)
    faults = name_faults(label, item)
    if rel != f"evidence/{sha}" or rel not in names:
        return [*faults, f"{label}: file {rel!r} missing or misnamed"]
    listed.add(rel)
    if not isinstance(entry, dict) or entry.get("item") != sha:
        faults.append(f"{label}: its ledger entry does not name this sha256")
    elif entry.get("action") not in ("ingest", "derive") or entry.get("case") != case_id:
        faults.append(f"{label}: its ledger entry is not its ingest into this case")
    digest, got = hashlib.sha256(), 0
    with zf.open(rel) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            got += len(chunk)
            if got > size:
                break
    if digest.hexdigest() != sha or got != size:
        faults.append(f"{label}: file content does not match its sha256 and size")
    return faults + _inclusion_faults(label, entry, index, proof, head)


def _inclusion_faults(
    label: str, entry: Any, index: int, proof: list[bytes], head: SignedHead
) -> list[str]:
    """Whether ``entry``, as the ledger's leaf ``index``, is under ``head`` by ``proof``:
    no fault, or why not (the entry is not canonical JSON data, or the proof does not
    lead to the signed root). Shared by bundles and case files."""
    try:
        leaf = merkle.leaf_hash(canonical_json(entry))
    except (TypeError, ValueError, RecursionError):
        return [f"{label}: ledger entry is not canonical JSON data"]
    if not merkle.verify_inclusion(index, head.tree_size, leaf, proof, head.root_hash):
        return [f"{label}: inclusion proof does not lead to the signed root"]
    return []


# -- case files -------------------------------------------------------------------------


def verify_casefile(
    path: Path, public_key: bytes | None = None
) -> tuple[list[str], dict[str, Any]]:
    """Faults of a case file's verification appendix (empty: verified) and a summary.

    HTML: the ``dalil-verification`` block, and the evidence index and tree head shown to
    the reader must match it. PDF: the attached ``dalil-verification.json`` (the printed
    text is not read back; the HTML is the form whose visible text is checked too)."""
    summary: dict[str, Any] = {"items": 0, "kind": "case file"}
    try:
        if path.stat().st_size > MAX_CASEFILE:
            return [f"{path}: larger than {MAX_CASEFILE} bytes; refused"], summary
        data = path.read_bytes()
    except OSError as err:
        return [f"{path}: cannot be read ({err.strerror})"], summary
    html: str | None = None
    if data.startswith(b"%PDF-"):
        raw = pdf_attachment(data)
        if raw is None:
            return [f"{path}: no dalil-verification.json attached to this PDF"], summary
    else:
        try:
            html = data.decode("utf-8")
        except UnicodeDecodeError:
            return [f"{path}: not UTF-8 text (not a dalil HTML case file)"], summary
        blocks = _BLOCK.findall(html)
        if len(blocks) != 1:
            return [
                f"{path}: {len(blocks)} dalil-verification blocks; a case file has exactly one"
            ], summary
        raw = blocks[0]
    try:
        appendix = json.loads(raw)
    except (ValueError, RecursionError):
        return [f"{path}: the verification appendix is not valid JSON"], summary
    faults, summary = check_appendix(appendix, public_key)
    if html is not None and "tree_size" in summary:  # the appendix itself was readable
        faults += _shown_matches(html, appendix)
    return faults, summary


def check_appendix(
    appendix: Any, public_key: bytes | None = None
) -> tuple[list[str], dict[str, Any]]:
    """Faults of a ``dalil-casefile-appendix/1`` document: the head's signature (and key,
    if pinned), and for each item that its ingest entry names its sha256 and the case and
    is included in the signed tree; items the head does not cover are faults too."""
    summary: dict[str, Any] = {"items": 0, "kind": "case file"}
    try:
        if not isinstance(appendix, dict) or appendix.get("format") != APPENDIX_FORMAT:
            raise ValueError("unknown format")
        head = SignedHead.from_dict(appendix["tree_head"])
        items, case = appendix["items"], appendix["case"]
        not_covered = appendix.get("not_covered", [])
        if not isinstance(items, list) or not isinstance(not_covered, list):
            raise TypeError("items is not a list")
    except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as err:
        return [f"not a {APPENDIX_FORMAT} appendix ({err.__class__.__name__})"], summary
    summary |= {
        "items": len(items),
        "tree_size": head.tree_size,
        "root_hash": head.root_hash.hex(),
        "public_key": head.public_key.hex(),
        "case": case,
    }
    faults: list[str] = []
    if public_key is not None and head.public_key != public_key:
        faults.append("tree head is signed by a different key than the one expected")
    if not head.signature_valid():
        faults.append("tree head signature does not verify")
    if not_covered:
        faults.append(
            f"{len(not_covered)} listed item(s) are not covered by the signed tree head "
            "(no inclusion proof)"
        )
    for n, item in enumerate(items):
        faults += _check_listed(n, item, head, case)
    return faults, summary


def _check_listed(n: int, item: Any, head: SignedHead, case: Any) -> list[str]:
    try:
        sha, index, entry = str(item["sha256"]), int(item["ledger_index"]), item["entry"]
        proof = [bytes.fromhex(p) for p in item["inclusion_proof"]]
    except (KeyError, TypeError, ValueError, OverflowError):
        return [f"item {n}: malformed appendix record"]
    label = f"item {n} (ledger {index}, {sha[:16]}…)"
    if not isinstance(entry, dict):
        return [f"{label}: its ledger entry is not an object"]
    faults = []
    if entry.get("item") != sha:
        faults.append(f"{label}: its ledger entry does not name this sha256")
    if entry.get("action") not in ("ingest", "derive"):
        faults.append(f"{label}: its ledger entry is not an ingest")
    if entry.get("case") != case:
        faults.append(f"{label}: its ledger entry is of another case")
    return faults + _inclusion_faults(label, entry, index, proof, head)


def _shown_matches(html: str, appendix: dict[str, Any]) -> list[str]:
    """The evidence index and tree head a reader sees are those the appendix proves."""
    faults = []
    section = _SECTION.search(html)
    shown = set(_ROW.findall(section.group(1))) if section else set()
    try:
        proved = {(str(int(i["ledger_index"])), str(i["sha256"])) for i in appendix["items"]}
    except (KeyError, TypeError, ValueError):
        return []  # already a fault of the appendix
    covered = {str(n) for n in appendix.get("not_covered", [])}
    listed = {(i, s) for i, s in shown if i not in covered}
    for index, sha in sorted(listed - proved):
        faults.append(f"evidence index row (ledger {index}, {sha[:16]}…): not in the appendix")
    for index, sha in sorted(proved - listed):
        faults.append(f"appendix item (ledger {index}, {sha[:16]}…): not in the evidence index")
    size, root = _SHOWN_SIZE.findall(html), _SHOWN_ROOT.findall(html)
    head = appendix.get("tree_head") or {}
    if size != [str(head.get("tree_size"))] or root != [str(head.get("root_hash"))]:
        faults.append("the tree head shown in the appendix is not the one its data signs")
    return faults


def pdf_attachment(data: bytes, limit: int = MAX_MANIFEST) -> bytes | None:
    """The first embedded file of a PDF that holds a dalil appendix, or None.

    Reads the ``/Type /EmbeddedFile`` streams as WeasyPrint writes them (a direct
    ``/Length``, Flate or no filter), decompressing at most ``limit`` bytes of each."""
    for found in re.finditer(rb"/Type\s*/EmbeddedFile\b", data):
        start = data.find(b"stream", found.end())
        if start < 0:
            return None
        end = data.find(b"endstream", start)
        if end < 0:
            return None
        header = data[data.rfind(b"obj", 0, found.start()) + 1 : start]
        body = data[start + len(b"stream") : end].lstrip(b"\r\n")
        if b"/FlateDecode" in header:
            try:
                body = zlib.decompressobj().decompress(body, limit)
            except zlib.error:
                continue
        if APPENDIX_FORMAT.encode() in body[:4096]:
            return body
    return None
