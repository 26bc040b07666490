"""Controlled vocabularies: versioned code lists shipped as data, extensible per workspace.

Each vocabulary is a tab-separated file in ``dalil/data/vocabularies/`` with a few
``# key: value`` header lines (name, title, title_ar, origin) and the columns ``code``,
``en``, ``ar``, ``huridocs`` and ``acled``. ``huridocs`` holds the matching HURIDOCS
micro-thesaurus term label (the list number is in the header ``origin``); ``acled`` the
ACLED event type or actor inter code a term maps to on export. Empty means no mapping.

A workspace adds terms (never removes or renames shipped ones, so exports stay
interoperable) through :func:`dalil.records.add_term`, stored in the database table
``vocabulary_term`` and carried in case documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Protocol

from dalil.errors import InvalidInput, UnknownTerm


class TermRow(Protocol):
    """Anything carrying a workspace term: a database row or a case-document entry."""

    @property
    def vocabulary(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def en(self) -> str: ...
    @property
    def ar(self) -> str: ...
    @property
    def huridocs(self) -> str | None: ...
    @property
    def acled(self) -> str | None: ...


@dataclass(frozen=True)
class Term:
    code: str
    en: str
    ar: str
    huridocs: str | None = None
    acled: str | None = None
    extension: bool = False

    def label(self, lang: str = "en") -> str:
        return self.ar if lang == "ar" and self.ar else self.en


@dataclass
class Vocabulary:
    name: str
    title: str
    title_ar: str
    origin: str
    terms: dict[str, Term] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def label(self, code: str, lang: str = "en") -> str:
        term = self.terms.get(code)
        return term.label(lang) if term else code


def _parse(name: str, text: str) -> Vocabulary:
    meta: dict[str, str] = {}
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
        elif line.strip():
            rows.append(line.split("\t"))
    header, body = rows[0], rows[1:]
    if header[:3] != ["code", "en", "ar"]:
        raise InvalidInput("vocabulary file must start with columns code, en, ar", path=name)
    vocab = Vocabulary(
        name=meta.get("name", name),
        title=meta.get("title", name),
        title_ar=meta.get("title_ar", ""),
        origin=meta.get("origin", ""),
    )
    for n, cells in enumerate(body, start=2):
        cells += [""] * (5 - len(cells))
        code, en, ar, huri, acled = (c.strip() for c in cells[:5])
        if not code or code in vocab.terms:
            raise InvalidInput(f"row {n}: empty or repeated code {code!r}", path=name)
        vocab.terms[code] = Term(code, en, ar, huri or None, acled or None)
    return vocab


@cache
def packaged() -> dict[str, Vocabulary]:
    """All vocabularies shipped with this version of dalil, by name."""
    folder = resources.files("dalil") / "data" / "vocabularies"
    out: dict[str, Vocabulary] = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv"):
            vocab = _parse(item.name, item.read_text(encoding="utf-8"))
            out[vocab.name] = vocab
    return out


class Vocabularies:
    """The vocabularies in force in one workspace: packaged terms plus its extensions."""

    def __init__(self, extensions: Iterable[TermRow] = ()) -> None:
        base = packaged()
        self._vocabs: dict[str, Vocabulary] = {
            name: Vocabulary(v.name, v.title, v.title_ar, v.origin, dict(v.terms))
            for name, v in base.items()
        }
        for row in extensions:
            self.add_extension(row)

    def add_extension(self, row: TermRow) -> None:
        """Add a workspace term (a ``vocabulary_term`` row or a case-document entry)."""
        term = Term(row.code, row.en, row.ar, row.huridocs, row.acled, extension=True)
        self.extend(row.vocabulary, term)

    def extend(self, vocabulary: str, term: Term) -> None:
        vocab = self.get(vocabulary)
        if term.code in vocab.terms and not vocab.terms[term.code].extension:
            raise InvalidInput(f"term {term.code!r} is already shipped in {vocabulary}")
        vocab.terms[term.code] = term

    def get(self, name: str) -> Vocabulary:
        try:
            return self._vocabs[name]
        except KeyError:
            raise UnknownTerm(f"no vocabulary named {name!r}") from None

    def names(self) -> list[str]:
        return sorted(self._vocabs)

    def check(self, name: str, code: str, path: str | None = None) -> None:
        """Raise :class:`UnknownTerm` naming ``path`` if ``code`` is not in ``name``."""
        if code not in self.get(name):
            raise UnknownTerm(f"{code!r} is not a term of vocabulary {name!r}", path=path)
