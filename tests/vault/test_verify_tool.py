"""The case file's verification appendix (issue 20 item 5) and the offline verifiers:
``dalil verify-bundle`` (dalil.vault.bundle) and the standalone ``tools/verify_bundle.py``.

A case file made on a vault with several items carries a tree head that covers every
item it lists, with an inclusion proof for each; both verifiers accept it (HTML and PDF)
and reject a tampered proof, head, key or evidence index. A bad ``--key`` is one located
line, exit 2 (review L4). Random mutations of a genuine bundle and of a genuine case file
give a list of faults, never an exception (Hypothesis).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dalil.records.cases import create_case
from dalil.report import casefile
from dalil.vault import ledger
from dalil.vault.bundle import verify_bundle
from dalil.vault.service import Vault
from dalil.vault.tables import TreeHead
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE, make_settings

ROOT = Path(__file__).parents[2]
TOOL = ROOT / "tools" / "verify_bundle.py"
BLOCK = re.compile(r'(<script type="application/json" id="dalil-verification">)(.*?)(</script>)',
                   re.DOTALL)  # fmt: skip


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dalil_verify_tool", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL_MODULE = _tool()


def _run_tool(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), str(path), *args], capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def _several_items(ws: Workspace, vault: Vault, folder: Path) -> str:
    """A case with five items, then ledger entries after them, with the newest signed head
    (the vault's first, size 1) covering none of them: the issue's situation."""
    with ws.session() as s:
        case_id = create_case(s, "Appendix case", actor="tester").id
    rng = random.Random(5)
    folder.mkdir()
    for n in range(5):
        f = folder / f"item{n}.bin"
        f.write_bytes(b"item %d " % n + rng.randbytes(200))
        vault.add(case_id, f, "tester")
    vault.describe(case_id, vault.items(case_id)[0].id, "reader")  # a later entry
    return case_id


def _casefile(ws: Workspace, case_id: str, sign: Callable[[], Any] | None) -> casefile.CaseFile:
    with ws.session() as s:
        return casefile.build(s, ws.home, case_id, "internal", sign=sign)


def test_case_file_signs_a_head_over_every_item_and_verifies(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    case_id = _several_items(ws, vault, tmp_path / "in")
    with ws.session() as s:
        assert ledger.latest_head(s).tree_size == 1  # type: ignore[union-attr]
    cf = _casefile(ws, case_id, vault.checkpoint)
    indexes = [e["ledger_index"] for e in cf.evidence]
    assert len(indexes) == 5 and cf.head is not None and cf.appendix is not None
    assert cf.head.tree_size > max(indexes) and cf.head.tree_size > 1
    assert [i["ledger_index"] for i in cf.appendix["items"]] == indexes
    assert cf.appendix["not_covered"] == []
    # a head that already covers every item is used as it is: no new signature
    with ws.session() as s:
        heads = s.scalar(select(func.count()).select_from(TreeHead))
    again = _casefile(ws, case_id, vault.checkpoint)
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(TreeHead)) == heads
    assert again.head == cf.head
    html = tmp_path / "case.html"
    html.write_text(casefile.render_html(cf), encoding="utf-8")
    key = base64.b64encode(vault.ring.public_key).decode()
    assert verify_bundle(html, vault.ring.public_key)[0] == []
    done = _run_tool(html, "--key", key)
    assert done.returncode == 0 and "5 items" in done.stdout and "OK" in done.stdout, done
    # a file made without the vault unlocked says which items its head does not cover
    stale = _casefile(ws, case_id, None)
    assert stale.appendix is not None and stale.head == again.head
    with ws.session() as s:
        ledger.append(s, [ledger.make_entry("view", "x")])
    late = tmp_path / "late.bin"
    late.write_bytes(b"a late item")
    vault.add(case_id, late, "tester")
    partial = _casefile(ws, case_id, None)
    assert partial.appendix is not None and len(partial.appendix["not_covered"]) == 1
    html.write_text(casefile.render_html(partial), encoding="utf-8")
    assert any("not covered" in f for f in verify_bundle(html, vault.ring.public_key)[0])
    assert _run_tool(html, "--key", key).returncode == 1


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A SQLite workspace with a case of five items: its bundle, its HTML case file and
    the publisher's key, shared by the tampering and fuzz tests (read-only)."""
    folder = tmp_path_factory.mktemp("verify")
    settings, _ = make_settings(folder / "ws", "sqlite")
    ws = Workspace.create(settings)
    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    case_id = _several_items(ws, vault, folder / "in")
    bundle = folder / "case.zip"
    vault.export_bundle(case_id, bundle, "tester")
    cf = _casefile(ws, case_id, vault.checkpoint)
    html = casefile.render_html(cf)
    yield {"ws": ws, "cf": cf, "bundle": bundle.read_bytes(), "html": html,
           "key": vault.ring.public_key, "folder": folder}  # fmt: skip
    ws.close()


def _both(path: Path, key: bytes) -> tuple[list[str], list[str]]:
    """Faults from the library and from the standalone tool (in process)."""
    library = verify_bundle(path, key)[0]
    tool = TOOL_MODULE.check(str(path), key)[0]
    assert isinstance(library, list) and isinstance(tool, list)
    return library, tool


def _edit_appendix(html: str, change: Callable[[dict[str, Any]], None]) -> str:
    found = BLOCK.search(html)
    assert found
    data = json.loads(found.group(2))
    change(data)
    return html[: found.start(2)] + json.dumps(data) + html[found.end(2) :]


def test_tampered_case_files_are_rejected(made: dict[str, Any], tmp_path: Path) -> None:
    html, key = made["html"], made["key"]
    path = tmp_path / "case.html"
    path.write_text(html, encoding="utf-8")
    assert _both(path, key) == ([], [])
    first_sha = made["cf"].evidence[0]["sha256"]

    def proof(d: dict[str, Any]) -> None:
        p = d["items"][2]["inclusion_proof"]
        p[0] = ("0" if p[0][0] != "0" else "1") + p[0][1:]

    def root(d: dict[str, Any]) -> None:
        d["tree_head"]["root_hash"] = "11" * 32

    def size(d: dict[str, Any]) -> None:
        d["tree_head"]["tree_size"] += 1

    def entry(d: dict[str, Any]) -> None:
        d["items"][1]["entry"]["actor"] = "mallory"

    def other_item(d: dict[str, Any]) -> None:
        d["items"][0]["sha256"] = d["items"][1]["sha256"]

    def dropped(d: dict[str, Any]) -> None:
        del d["items"][3]

    variants = {
        name: _edit_appendix(html, change)
        for name, change in [
            ("proof", proof),
            ("root", root),
            ("size", size),
            ("entry", entry),
            ("other_item", other_item),
            ("dropped", dropped),
        ]
    }
    variants["shown_sha"] = html.replace(f'<td class="hash">{first_sha}</td>',
                                         f'<td class="hash">{"ab" * 32}</td>', 1)  # fmt: skip
    variants["shown_root"] = re.sub(r'(id="dalil-root-hash">)[0-9a-f]{64}', r"\g<1>" + "cd" * 32,
                                    html)  # fmt: skip
    variants["no_block"] = BLOCK.sub("", html)
    variants["two_blocks"] = html + BLOCK.search(html).group(0)  # type: ignore[union-attr]
    for name, text in variants.items():
        assert text != html, name
        path.write_text(text, encoding="utf-8")
        library, tool = _both(path, key)
        assert library and tool, (name, library, tool)
        if name == "proof":  # the command line too
            assert _run_tool(path).returncode == 1, name
    path.write_text(html, encoding="utf-8")
    other_key = bytes(32)
    assert all(_both(path, other_key)), "a pinned key that is not the signer's"


def test_pdf_case_file_carries_the_appendix(made: dict[str, Any], tmp_path: Path) -> None:
    """The PDF gets the HTML's appendix as an attached file (rendered here from a page
    holding only the appendix block: the attachment does not depend on the rest, and a
    whole case file takes WeasyPrint tens of seconds)."""
    pytest.importorskip("weasyprint")
    block = BLOCK.search(made["html"])
    assert block
    page = f"<!DOCTYPE html><html><body><p>case file</p>{block.group(0)}</body></html>"
    pdf = tmp_path / "case.pdf"
    pdf.write_bytes(casefile.render_pdf(page))
    assert _both(pdf, made["key"]) == ([], [])
    bad = _edit_appendix(page, lambda d: d["items"][0]["inclusion_proof"].pop())
    pdf.write_bytes(casefile.render_pdf(bad))
    assert all(_both(pdf, made["key"]))
    pdf.write_bytes(casefile.render_pdf("<html><body><p>no appendix</p></body></html>"))
    assert all(_both(pdf, made["key"]))


@pytest.mark.parametrize("key", ["notbase64", "garbage!!", "AAAA", ""])
def test_bad_key_is_one_located_line(
    made: dict[str, Any], key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from dalil.cli import main

    bundle = made["folder"] / "case.zip"
    with pytest.raises(SystemExit) as exit_info:
        main(["verify-bundle", str(bundle), "--key", key])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error [input.invalid] --key: "), err
    assert "\n" not in err and "Traceback" not in err
    done = _run_tool(bundle, "--key", key)
    assert done.returncode == 2 and done.stdout == "", done
    assert (
        done.stderr.startswith("error [input.invalid] --key: ") and "Traceback" not in done.stderr
    )


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Apply (kind, position, value) edits: 0 overwrite a byte, 1 insert one, 2 delete
    one, 3 truncate."""
    out = bytearray(data)
    for kind, pos, value in edits:
        if not out:
            break
        at = pos % len(out)
        if kind == 0:
            out[at] = value
        elif kind == 1:
            out.insert(at, value)
        elif kind == 2:
            del out[at]
        else:
            del out[at:]
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 1 << 30), st.integers(0, 255)),
    min_size=1, max_size=6,
)  # fmt: skip
FUZZ = hsettings(max_examples=100, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@FUZZ
@given(edits=EDITS)
def test_fuzz_bundle_mutations_give_faults_not_exceptions(
    made: dict[str, Any], tmp_path: Path, edits: list[tuple[int, int, int]]
) -> None:
    path = tmp_path / "fuzz.zip"
    path.write_bytes(_mutate(made["bundle"], edits))
    for faults in _both(path, made["key"]):
        assert all(isinstance(f, str) for f in faults)


SCALARS = st.none() | st.booleans() | st.integers(-(1 << 70), 1 << 70) | st.floats()
JSON = st.recursive(
    SCALARS | st.text(max_size=70),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@FUZZ
@given(edits=EDITS, pick=st.integers(0, 1 << 20), replacement=JSON)
def test_fuzz_case_file_mutations_give_faults_not_exceptions(
    made: dict[str, Any], tmp_path: Path, edits: list[tuple[int, int, int]], pick: int,
    replacement: Any,
) -> None:  # fmt: skip
    html: str = made["html"]
    found = BLOCK.search(html)
    assert found
    data = json.loads(found.group(2))
    paths = _paths(data)
    where = paths[pick % len(paths)]
    if where:  # replace one value of the appendix with random JSON
        target = data
        for step in where[:-1]:
            target = target[step]
        target[where[-1]] = replacement
    else:
        data = replacement
    text = html[: found.start(2)] + json.dumps(data) + html[found.end(2) :]
    start = found.start(2)  # byte edits inside and around the appendix block
    raw = text.encode("utf-8")
    mutated = raw[:start] + _mutate(raw[start : start + 6000], edits) + raw[start + 6000 :]
    path = tmp_path / "fuzz.html"
    for content in (text.encode("utf-8"), mutated):
        path.write_bytes(content)
        for faults in _both(path, made["key"]):
            assert all(isinstance(f, str) for f in faults)


def test_report_signer_unlocks_only_with_a_passphrase(
    ws: Workspace, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``dalil report`` signs through the vault only when it can unlock it without asking
    in a terminal it does not have; otherwise the file shows the newest head."""
    from dalil.cli.vault_commands import checkpoint_signer

    monkeypatch.delenv("DALIL_PASSPHRASE", raising=False)
    monkeypatch.delenv("DALIL_PASSPHRASE_FILE", raising=False)
    assert checkpoint_signer(ws) is None  # pytest's stdin is not a terminal
    monkeypatch.setenv("DALIL_PASSPHRASE", DEMO_PASSPHRASE)
    sign = checkpoint_signer(ws)
    assert sign is not None
    with ws.session() as s:
        ledger.append(s, [ledger.make_entry("view", "x")])
        size = ledger.size(s)
    assert sign().tree_size == size


def test_bundle_of_another_case_is_a_fault(made: dict[str, Any], tmp_path: Path) -> None:
    """An item's ingest entry must be into the bundle's case (review H2: an item moved to
    another case passed verify-bundle)."""
    import io
    import zipfile

    path = tmp_path / "moved.zip"
    path.write_bytes(made["bundle"])
    assert _both(path, made["key"]) == ([], [])
    with zipfile.ZipFile(io.BytesIO(made["bundle"])) as zf:
        contents = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(contents["manifest.json"])
    manifest["case"]["id"] = "another-case"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in contents.items():
            zf.writestr(name, json.dumps(manifest) if name == "manifest.json" else data)
    for faults in _both(path, made["key"]):
        assert len([f for f in faults if "ingest into this case" in f]) == 5, faults
