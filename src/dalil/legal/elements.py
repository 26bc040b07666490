"""The elements of crimes a case can be assessed against, read from versioned data
(``dalil/data/legal/elements.toml``), never written into code.

Why data: the elements are paraphrases a lawyer must be able to read and correct, and a
team may add a domestic-law hypothesis without touching Python. Each crime lists its own
elements followed by the contextual elements it needs; the contextual elements are copied
into each crime so that war-crime and crime-against-humanity hypotheses are assessed
independently (an assessment names its crime and its element). Each text has its Arabic
form beside it in the data (``text_ar``...), shown on Arabic pages (``text_in(lang)``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dalil.errors import InvalidInput
from dalil.legal.wording import in_language

STATUSES = ("not_assessed", "supported", "contested", "insufficient")


@dataclass(frozen=True)
class Element:
    code: str
    text: str
    #: kinds of evidence that typically support it (codes of :attr:`Catalogue.evidence`)
    evidence: tuple[str, ...]
    #: the rule in :mod:`dalil.legal.suggest` that proposes a status from the records
    suggest: str | None
    contextual: bool
    text_ar: str = ""

    def text_in(self, lang: str) -> str:
        return in_language(self.text, self.text_ar, lang)


@dataclass(frozen=True)
class Crime:
    code: str
    family: str
    title: str
    article: str
    elements: tuple[Element, ...]
    title_ar: str = ""
    article_ar: str = ""

    def title_in(self, lang: str) -> str:
        return in_language(self.title, self.title_ar, lang)

    def article_in(self, lang: str) -> str:
        return in_language(self.article, self.article_ar, lang)

    def element(self, code: str) -> Element:
        for e in self.elements:
            if e.code == code:
                return e
        raise InvalidInput(f"{self.code} has no element {code!r}", path="element")


@dataclass(frozen=True)
class Catalogue:
    version: str
    source: str
    evidence: dict[str, str]
    crimes: tuple[Crime, ...]

    def crime(self, code: str) -> Crime:
        for c in self.crimes:
            if c.code == code:
                return c
        known = ", ".join(c.code for c in self.crimes)
        raise InvalidInput(f"unknown crime {code!r} (known: {known})", path="crime")


def _element(raw: dict[str, object], contextual: bool) -> Element:
    return Element(
        code=str(raw["code"]),
        text=str(raw["text"]),
        evidence=tuple(str(e) for e in raw.get("evidence", [])),  # type: ignore[attr-defined]
        suggest=str(raw["suggest"]) if raw.get("suggest") else None,
        contextual=contextual,
        text_ar=str(raw.get("text_ar", "")),
    )


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue (read once per process)."""
    text = (resources.files("dalil") / "data" / "legal" / "elements.toml").read_text("utf-8")
    return parse(text)


def parse(text: str) -> Catalogue:
    """A catalogue from TOML text; raises :class:`InvalidInput` naming what is wrong."""
    try:
        data = tomllib.loads(text)
        contexts = {
            name: tuple(_element(e, True) for e in ctx["elements"])
            for name, ctx in data.get("contexts", {}).items()
        }
        crimes = []
        for raw in data["crimes"]:
            own = tuple(_element(e, False) for e in raw["elements"])
            shared = contexts[raw["context"]] if raw.get("context") else ()
            codes = [e.code for e in own + shared]
            if len(set(codes)) != len(codes):
                raise InvalidInput(f"crime {raw['code']} repeats an element code", path="crimes")
            crimes.append(
                Crime(
                    raw["code"],
                    raw["family"],
                    raw["title"],
                    raw["article"],
                    own + shared,
                    str(raw.get("title_ar", "")),
                    str(raw.get("article_ar", "")),
                )
            )
        evidence = {str(k): str(v) for k, v in data["evidence"].items()}
        for c in crimes:
            for e in c.elements:
                if unknown := set(e.evidence) - set(evidence):
                    raise InvalidInput(
                        f"{c.code}/{e.code}: unknown evidence kind {sorted(unknown)}",
                        path="evidence",
                    )
        return Catalogue(str(data["version"]), str(data["source"]), evidence, tuple(crimes))
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise InvalidInput(f"elements catalogue is malformed: {exc}", path="elements") from exc
