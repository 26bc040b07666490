"""The bundle manifest names each item (issue 22, item 2): original name, description,
source, acquisition time and the records it supports by label, from the sealed metadata;
both verifiers accept a named manifest, check the names are text, name items by them in
their faults, and the standalone one lists them with --list."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from dalil.records import Records
from dalil.records.cases import create_case
from dalil.vault import bundle
from dalil.vault.service import Vault
from dalil.workspace import Workspace

TOOL = Path(__file__).parents[2] / "tools" / "verify_bundle.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dalil_verify_tool_names", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _named_bundle(ws: Workspace, vault: Vault, tmp_path: Path) -> tuple[Path, str]:
    """A case with two items, one attached to an incident, exported: the exporter names
    each item in the manifest (:func:`bundle.manifest_names`)."""
    with ws.session() as s:
        case_id = create_case(s, "Names case", actor="tester").id
        event = Records(s, case_id, "tester").add("event", label="EV-01", facts={"title": "x"})
        event_id = event.id
        s.commit()
    photo, note = tmp_path / "IMG_20250307_091422.jpg", tmp_path / "note.txt"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg, but sniffed as one")
    note.write_text("a field note\n", encoding="utf-8")
    first = vault.add(
        case_id, photo, "tester", source="Field team FT-2", notes="Street after the attack",
        acquired_at=datetime(2025, 3, 8, 9, 0, tzinfo=UTC),
    )  # fmt: skip
    vault.add(case_id, note, "tester")
    vault.attach(case_id, first.item_id, event_id, "tester")
    out = tmp_path / "bundle.zip"
    vault.export_bundle(case_id, out, "tester")
    return out, event_id


def _rewrite(path: Path, change: Any) -> None:
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    change(manifest)
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def test_manifest_names_items_and_both_verifiers_accept_it(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    path, event_id = _named_bundle(ws, vault, tmp_path)
    with zipfile.ZipFile(path) as zf:
        items = json.loads(zf.read("manifest.json"))["items"]
    photo = next(i for i in items if i["original_name"] == "IMG_20250307_091422.jpg")
    assert photo["description"] == "Street after the attack"
    assert photo["source"] == "Field team FT-2" and photo["acquired_at"].startswith("2025-03-08")
    assert photo["supports"] == [{"id": event_id, "kind": "event", "label": "EV-01"}]
    other = next(i for i in items if i is not photo)
    assert other["original_name"] == "note.txt" and other["supports"] == []
    assert bundle.verify_bundle(path, vault.ring.public_key)[0] == []
    assert _tool().check(str(path), vault.ring.public_key)[0] == []
    done = subprocess.run([sys.executable, str(TOOL), str(path), "--list"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "IMG_20250307_091422.jpg  supports EV-01  Street after the attack" in done.stdout
    assert "note.txt" in done.stdout


def test_faults_name_the_item_and_names_must_be_text(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    path, _ = _named_bundle(ws, vault, tmp_path)

    def damage(m: dict[str, Any]) -> None:
        m["items"][0]["size"] += 1  # the photo: its content no longer matches
        m["items"][1]["description"] = {"not": "text"}
        m["items"][1]["supports"] = "EV-01"

    _rewrite(path, damage)
    faults, _ = bundle.verify_bundle(path, vault.ring.public_key)
    assert any(f.startswith("item 0 (IMG_20250307_091422.jpg, ") for f in faults), faults
    assert any("item 1 (note.txt, " in f and "description is not text" in f for f in faults)
    assert any("supports is not a list of records" in f for f in faults)
    tool_faults, _ = _tool().check(str(path), vault.ring.public_key)
    assert any(f.startswith("item 0 (IMG_20250307_091422.jpg, ") for f in tool_faults)
    assert any("description is not text" in f for f in tool_faults)
    assert any("supports is not a list of records" in f for f in tool_faults)


def test_unnamed_manifest_of_an_older_bundle_still_verifies(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    path, _ = _named_bundle(ws, vault, tmp_path)
    fields = (*bundle.NAME_FIELDS, "supports")
    _rewrite(path, lambda m: [i.pop(f, None) for i in m["items"] for f in fields])
    assert bundle.verify_bundle(path, vault.ring.public_key)[0] == []
    assert _tool().check(str(path), vault.ring.public_key)[0] == []
