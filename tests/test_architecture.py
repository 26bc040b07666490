"""The import contract of ``docs/architecture.md``, read from the source with :mod:`ast`.

Every ``import`` in ``src/dalil`` (inside functions and ``TYPE_CHECKING`` blocks too) is an
edge from one package to another. An edge is a violation when

- a library package imports the web app or the CLI (or click, FastAPI, Starlette): never
  allowed, with no list of exceptions;
- the importing package may not use the imported one (:data:`ALLOWED`, the layers table of
  ``docs/architecture.md``);
- it reads another package's ``tables`` module (the shared :mod:`dalil.model.tables` aside):
  a package's rows are reached through its API;
- it reaches a private module or name (a leading underscore) of another package;
- or it goes past a narrow API (:data:`NARROW`: estimation reads linkage only through its
  capture-history output).

Today's violations are listed in :data:`KNOWN`, each with the reason it is there. The test
fails on any violation not in the list (a new import against the flow) and on any entry
that no longer happens (remove it: the list only shrinks).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "dalil"

FRONTS = {"web", "cli"}
FRAMEWORKS = {"click", "fastapi", "starlette", "uvicorn"}

_BASE = {"errors", "config"}
#: What each package may import besides itself (the layers table in docs/architecture.md).
#: ``dalil`` is the top-level ``__init__`` (``__version__``).
ALLOWED: dict[str, set[str]] = {
    "dalil": set(),
    "errors": set(),
    "config": {"errors"},
    "model": _BASE,
    "places": _BASE | {"model"},
    "workspace": _BASE | {"model", "places"},
    "vault": _BASE | {"model", "workspace"},
    "access": _BASE | {"model", "workspace", "vault"},
    "extract": _BASE | {"model", "places"},
    "records": _BASE | {"model", "places", "workspace", "vault", "access", "extract"},
    "intake": _BASE | {"model", "places", "workspace", "vault", "access", "extract", "records"},
    "linkage": _BASE | {"model", "places", "workspace", "vault", "access", "records", "intake"},
    "estimate": _BASE | {"model", "workspace", "records", "linkage"},
    "legal": _BASE
    | {
        "model",
        "places",
        "workspace",
        "vault",
        "access",
        "extract",
        "records",
        "linkage",
        "estimate",
    },
    "jobs": _BASE | {"model", "workspace"},
    "backup": _BASE | {"model", "workspace", "vault"},
}
# on top of the stages: the report may use all legal may and legal itself (and the
# version); the demo builds a case through every stage
ALLOWED["report"] = ALLOWED["legal"] | {"legal", "dalil"}
ALLOWED["demo"] = ALLOWED["legal"] | {"legal", "intake", "report"}
LIBRARY = set(ALLOWED)

#: For these (importer, imported) package pairs only the modules listed may be imported.
NARROW: dict[tuple[str, str], set[str]] = {
    # estimation reads linkage only through its capture histories and output files
    ("estimate", "linkage"): {"dalil.linkage.captures", "dalil.linkage.outputs"},
}

#: Today's violations, "importer -> imported" by module. Remove an entry when its import
#: goes; never add one for new code (give the capability an API instead).
KNOWN: set[str] = {
    # a migration rebuilds the search index with today's code
    "dalil.model.migrations.versions.0011_person_cards -> dalil.records.person_search",
    "dalil.model.migrations.versions.0015_ranked_person_search -> dalil.records.person_search",
    "dalil.model.migrations.versions.0016_name_keys_without_heldout -> dalil.records.person_search",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "dalil"


def imports(path: Path) -> Iterator[tuple[str, str]]:
    """(imported module, name or "") for every import of the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield (sub, "") if sub in MODULES else (node.module, alias.name)


def violations() -> dict[str, str]:
    """Every import against the contract, as {"importer -> imported": why}."""
    found: dict[str, str] = {}
    for importer, path in sorted(MODULES.items()):
        mine = package_of(importer)
        for target, name in imports(path):
            top = target.split(".")[0]
            if mine not in FRONTS and top in FRAMEWORKS:
                found[f"{importer} -> {target}"] = "a library module imports a framework"
            if top != "dalil":
                continue
            theirs = package_of(target)
            if theirs == mine:
                continue
            edge = f"{importer} -> {target}"
            if mine in FRONTS:
                continue  # the fronts may use every library package
            if theirs in FRONTS:
                found[edge] = "a library module imports the web app or the CLI"
            elif theirs not in ALLOWED[mine]:
                found[edge] = f"{mine} may not use {theirs}"
            elif target.split(".")[-1] == "tables" and theirs != "model":
                found[edge] = f"{mine} reads {theirs}'s tables"
            elif any(private(p) for p in target.split(".")[1:]) or private(name):
                found[edge] = f"{mine} uses a private part of {theirs}"
            elif (mine, theirs) in NARROW and target not in NARROW[mine, theirs]:
                found[edge] = f"{mine} reaches past {theirs}'s API"
    return found


def test_every_package_is_in_the_table() -> None:
    packages = {package_of(m) for m in MODULES}
    assert packages - LIBRARY - FRONTS == set(), "add the new package to ALLOWED"
    for allowed in ALLOWED.values():
        assert allowed <= LIBRARY


def test_the_library_never_imports_the_fronts() -> None:
    found = violations()
    fronts = {e: why for e, why in found.items() if "web app" in why or "framework" in why}
    assert fronts == {}


def test_no_new_import_runs_against_the_flow() -> None:
    new = {e: why for e, why in violations().items() if e not in KNOWN}
    assert new == {}, "imports against docs/architecture.md (give the capability an API)"


def test_known_violations_are_not_stale() -> None:
    stale = KNOWN - set(violations())
    assert stale == set(), "these imports are gone: remove them from KNOWN"


def test_loose_modules_are_only_the_entry_points() -> None:
    loose = {p.name for p in ROOT.glob("*.py")}
    assert loose == {"__init__.py", "errors.py", "config.py", "workspace.py"}


def test_every_package_says_what_it_owns_and_uses() -> None:
    for init in ROOT.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "Owns:" in doc and "May use:" in doc, init


#: "No library module over 450 lines" (issue 21): a longer one is split by noun.
MAX_LINES = 450


def test_every_module_can_be_read_in_one_sitting() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_new_packages_export_what_they_say() -> None:
    import importlib

    for name in ("records", "places", "jobs", "backup"):
        package = importlib.import_module(f"dalil.{name}")
        exported = package.__all__
        assert len(set(exported)) == len(exported), name
        assert [n for n in exported if not hasattr(package, n)] == [], name
