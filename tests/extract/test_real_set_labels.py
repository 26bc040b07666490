"""The labelled real reports (benchmarks/extraction_real, issue 26) stay valid: every label
follows docs/extraction-guideline.md and points at text that is in its document, and the
set keeps its shape (30+ documents, half Arabic, both halves, five kinds of source)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _benchmark() -> object:
    spec = importlib.util.spec_from_file_location(
        "extraction_real", ROOT / "benchmarks" / "extraction_real.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_label_follows_the_guideline_and_the_set_keeps_its_shape() -> None:
    bench = _benchmark()
    files = sorted((ROOT / "benchmarks" / "extraction_real").glob("*/*.json"))
    acts = bench._act_types()  # type: ignore[attr-defined]
    assert [p for f in files for p in bench.problems(f, acts)] == []  # type: ignore[attr-defined]
    sources = [json.loads(f.read_text("utf-8"))["source"] for f in files]
    assert len(files) >= 30
    assert sum(s["language"] == "ar" for s in sources) * 2 >= len(files)
    assert {f.parent.name for f in files} == {"dev", "test", "test2", "test3"}
    assert len({s["kind"] for s in sources}) >= 5


def test_a_label_that_strays_from_its_text_is_reported(tmp_path: Path) -> None:
    bench = _benchmark()
    (tmp_path / "01-x.txt").write_text("Gunmen killed 41 civilians in Baniyas.", "utf-8")
    labels = {
        "source": {"url": "u", "title": "t", "publisher": "p", "kind": "news",
                   "language": "en", "retrieved": "2026-12-07"},
        "published": None,
        "facts": [
            {"kind": "count", "text": "42", "low": 42, "high": 42, "what": "killed"},
            {"kind": "place", "text": "Baniyas", "geonameid": 171830, "role": "scene"},
            {"kind": "act", "text": "killed", "type": "shooting"},
        ],
    }  # fmt: skip
    (tmp_path / "01-x.json").write_text(json.dumps(labels), "utf-8")
    found = bench.problems(tmp_path / "01-x.json", bench._act_types())  # type: ignore[attr-defined]
    assert len(found) == 3
    assert "'42' occurrence 1 is not in the document" in found[0]
    assert "role must be one of" in found[1] and "not an act_type code" in found[2]
