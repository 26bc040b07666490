"""The declared list of table modules (:mod:`dalil.model.registry`) names every module
that defines a table on the shared ``Base``, and is what the workspace and the
migrations' environment load."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from dalil.model.registry import TABLE_MODULES, load_tables

SRC = Path(__file__).resolve().parents[2] / "src"
ROOT = SRC / "dalil"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


#: Every library module but the migration scripts (alembic runs those, with its context).
MODULES = sorted(
    module_name(p)
    for p in ROOT.rglob("*.py")
    if not module_name(p).startswith("dalil.model.migrations.")
)


def defines_tables(path: Path) -> bool:
    """Whether the source defines a class on ``Base`` or a ``Table`` on ``Base.metadata``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                if name == "Base":
                    return True
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "Table"
            and any(ast.unparse(arg).endswith("Base.metadata") for arg in node.args)
        ):
            return True
    return False


def run(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a fresh interpreter (nothing imported yet) and read its JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


REPORT = """
import json
from dalil.model.tables import Base
print(json.dumps({
    "tables": sorted(Base.metadata.tables),
    "classes": sorted({m.class_.__module__ for m in Base.registry.mappers}),
}))
"""


def test_every_module_defining_tables_is_declared() -> None:
    found = {module_name(p) for p in ROOT.rglob("*.py") if defines_tables(p)}
    found |= {module_name(p) for p in ROOT.rglob("tables.py")}
    assert found - set(TABLE_MODULES) == set(), "add these modules to TABLE_MODULES"


def test_the_declared_modules_exist_and_are_unique() -> None:
    assert len(set(TABLE_MODULES)) == len(TABLE_MODULES)
    assert TABLE_MODULES[0] == "dalil.model.tables"
    for name in TABLE_MODULES:
        assert name in MODULES, name


def test_loading_the_list_gives_every_table_of_the_whole_library() -> None:
    """Importing every module of ``src/dalil`` registers no table and no mapped class that
    loading the list alone does not (a table defined outside the list would be missed
    by the workspace, the migrations and backup)."""
    listed = run("from dalil.model.registry import load_tables; load_tables()\n" + REPORT)
    imports = "".join(f"import {name}\n" for name in MODULES)
    everything = run(imports + REPORT)
    assert everything["tables"] == listed["tables"]
    assert everything["classes"] == listed["classes"]
    assert set(listed["classes"]) <= set(TABLE_MODULES)


def test_the_workspace_and_the_migrations_load_the_list() -> None:
    """Importing the workspace, or running the migrations' environment, registers every
    declared table; neither names a package's ``tables`` module itself."""
    opened = run("import dalil.workspace\n" + REPORT)
    assert opened["tables"] == sorted(load_tables().tables)
    for path in (ROOT / "workspace.py", ROOT / "model" / "migrations" / "env.py"):
        source = path.read_text(encoding="utf-8")
        assert "load_tables()" in source, path
        assert not any(f"import {name}" in source for name in TABLE_MODULES[1:]), path
