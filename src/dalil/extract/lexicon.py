"""Actors, acts and named persons, found through lexicons that investigators extend.

Two lexicons ship with dalil (``dalil/data/lexicons/``): ``acts.tsv`` maps phrases to the
act vocabulary (optionally with a method of violence or the identity question asked, and
``?deaths`` for a phrase that names the act only where its sentence reports deaths) and
``actors.tsv`` maps phrases to perpetrator and victim groups (``perpetrator?violence``: a
party proposed only where its sentence tells violence). A workspace adds its own
entries (:class:`Lexicon` takes extra rows), and every confirmed proposal feeds them
(:mod:`dalil.records.suggestions`). Phrases match folded text (:mod:`dalil.extract.folded`) at
word boundaries; an Arabic phrase may carry an attached و/ف/ب/ل, and a ``*`` at the end of a
word matches any ending ("alawite*" finds "Alawites").

Named persons have no offline Arabic model (``extraction.md`` §2), and the English spaCy
model on PyPI is an unofficial re-upload; so dalil finds them by cue words instead
("Dr. Samir Haddad", "named Ali Hassan", "Ali Hassan, a 45-year-old", "المدعو علي حسن",
"الشاب علي حسن") plus the names a workspace has confirmed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dalil.extract.folded import fold_phrase, fold_text
from dalil.places.folding import is_arabic


@dataclass(frozen=True)
class Entry:
    """One lexicon phrase: ``kind`` is ``act`` or ``actor``; ``value`` what it stands for."""

    kind: str
    phrase: str
    value: tuple[tuple[str, str], ...]  # sorted items of the proposal's value
    #: "deaths": the phrase names the act only in a sentence that reports deaths ("the
    #: attack" is a killing where it killed, a word of the fighting elsewhere); "violence":
    #: the actor only in a sentence telling violence (a party named in passing did nothing)
    when: str = ""

    @property
    def as_dict(self) -> dict[str, str]:
        return dict(self.value)


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("dalil") / "data" / "lexicons" / name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def shipped() -> tuple[Entry, ...]:
    """The lexicon entries shipped with this version of dalil."""
    out = []

    def condition(when: str, allowed: str, phrase: str) -> str:
        if when not in ("", allowed):
            raise ValueError(f"lexicon phrase {phrase!r}: unknown condition ?{when}")
        return when

    for row in _read("acts.tsv"):
        code, _, when = row["value"].partition("?")
        when = condition(when, "deaths", row["phrase"])
        act, _, extra = code.partition("+")
        value = {"type": act}
        if extra:
            value["method" if extra.startswith("shooting") else "identity_question"] = extra
        out.append(Entry("act", row["phrase"], tuple(sorted(value.items())), when))
    for row in _read("actors.tsv"):
        role, _, when = row["role"].partition("?")
        when = condition(when, "violence", row["phrase"])
        value = {"role": role, "name": row["name"]}
        out.append(Entry("actor", row["phrase"], tuple(sorted(value.items())), when))
    return tuple(out)


_AR_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل")


def _compile(phrase: str) -> tuple[re.Pattern[str], str, bool]:
    """The phrase's pattern (matched at the start of a word of folded text), its first
    word as folded text tokenises it, and whether that word is a prefix (``word*``)."""
    folded = fold_phrase(phrase)
    words = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in folded.split()]
    prefix = f"(?:{'|'.join(_AR_PREFIXES)})?" if is_arabic(phrase) else ""
    first = re.match(r"\w+", folded.rstrip("*"))
    token = first.group() if first else folded
    wild = folded.split()[0].endswith("*") and token == folded.split()[0].rstrip("*")
    body = r"\s+".join(words)
    return re.compile(rf"{prefix}{body}(?!\w)"), token, wild


@dataclass(frozen=True)
class LexiconFact:
    start: int
    end: int
    text: str
    kind: str  # act or actor
    value: dict[str, Any]
    rule: str
    when: str = ""  # as :attr:`Entry.when`

    @property
    def confidence(self) -> float:
        return 0.6 if self.rule == "person" else 0.8


class Lexicon:
    """The shipped entries plus a workspace's own, indexed by their first word: a text is
    read word by word, and only the phrases that can start at a word are tried there (one
    alternation of every phrase is ten times slower)."""

    def __init__(self, extra: Iterable[Entry] = ()) -> None:
        by_phrase: dict[str, Entry] = {}
        for e in [*shipped(), *extra]:  # a workspace entry overrides a shipped one
            by_phrase[fold_phrase(e.phrase)] = e
        self.entries = list(by_phrase.values())
        self.patterns: list[re.Pattern[str]] = []
        self.exact: dict[str, list[int]] = {}
        self.wild: dict[str, list[tuple[str, int]]] = {}  # by the stem's first two letters
        for i, e in enumerate(self.entries):
            pattern, token, wild = _compile(e.phrase)
            self.patterns.append(pattern)
            if wild:
                self.wild.setdefault(token[:2], []).append((token, i))
            else:
                self.exact.setdefault(token, []).append(i)

    def _candidates(self, word: str) -> set[int]:
        variants = [word] + [word[len(p):] for p in _AR_PREFIXES
                             if word.startswith(p) and len(word) - len(p) >= 2]  # fmt: skip
        found: set[int] = set()
        for v in variants:
            found.update(self.exact.get(v, ()))
            found.update(i for stem, i in self.wild.get(v[:2], ()) if v.startswith(stem))
        return found

    def find(self, text: str) -> Iterator[LexiconFact]:
        """Every lexicon phrase in ``text`` (the longest where phrases overlap), then
        every named person."""
        folded = fold_text(text)
        reached = 0
        for word in re.finditer(r"\w+", folded.text):
            if word.start() < reached:
                continue
            best: tuple[int, int] | None = None  # (end, entry)
            for i in self._candidates(word.group()):
                m = self.patterns[i].match(folded.text, word.start())
                if m and (best is None or m.end() > best[0]):
                    best = (m.end(), i)
            if best is None:
                continue
            entry, reached = self.entries[best[1]], best[0]
            start, end = folded.span(word.start(), best[0])
            value = entry.as_dict
            if entry.kind == "actor" and value.get("role") == "person":
                value = {"role": "other", "type": "person", "name": value["name"]}
            yield LexiconFact(start, end, text[start:end], entry.kind, value, "lexicon", entry.when)
        yield from persons(text)


_TITLE = (r"(?:Mr|Mrs|Ms|Dr|Sheikh|Shaykh|Colonel|Col|General|Gen|Brigadier|Captain|Capt"
          r"|Major|Lieutenant|Lt|Father|Imam)\.?")  # fmt: skip
_NAME_WORD = r"(?:(?:al|el|Abu|Abou|bin|ibn|Umm)[- ])?[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?"
_EN_PERSON = re.compile(
    rf"\b{_TITLE}\s+(?P<a>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
    rf"|\b(?:named|called|identified as|known as)\s+(?P<b>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
    rf"|(?P<c>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}),?\s+(?:a\s+|an\s+)?(?:aged\s+\d|\d{{1,3}}-year-old|\(\d{{1,3}}\))"
)
_AR_CUE = re.compile(
    r"(?<![\u0621-\u064a])(?:المدعو|المدعوة|الشاب|الشابة|الطفل|الطفلة|المواطن|المواطنة|الشيخ"
    r"|السيد|السيدة|الحاج|الحاجة|العقيد|العميد|اللواء|النقيب|المسن|المسنة|الدكتور|الدكتورة"
    r"|الشهيد|الضحية)\s+"
)
_AR_STOP = set(
    [
        "من",
        "في",
        "على",
        "إلى",
        "الى",
        "عن",
        "الذي",
        "التي",
        "عمره",
        "عمرها",
        "البالغ",
        "البالغة",
        "وهو",
        "وهي",
        "بعد",
        "قبل",
        "مع",
        "أمام",
        "داخل",
        "خارج",
        "قرب",
        "برصاص",
        "بالرصاص",
        "إثر",
        "أثناء",
        "خلال",
        "حيث",
        "كان",
        "كانت",
        "وقد",
        "قد",
        "لم",
        "لا",
        "وابنه",
        "وابنها",
        "وزوجته",
        "وزوجها",
        "وشقيقه",
    ]
)
_AR_WORD = re.compile(r"[\u0621-\u064a\u064b-\u065f]+")


def persons(text: str) -> Iterator[LexiconFact]:
    """Named persons found by their cue words (English titles and appositions, Arabic
    descriptors such as المدعو or الشاب)."""
    for m in _EN_PERSON.finditer(text):
        group = next(g for g in ("a", "b", "c") if m[g])
        start, end = m.span(group)
        name = text[start:end]
        if len(name.split()) < 2 and group != "a":
            continue
        yield LexiconFact(start, end, name, "actor",
                          {"role": "other", "type": "person", "name": name}, "person")  # fmt: skip
    for cue in _AR_CUE.finditer(text):
        words: list[re.Match[str]] = []
        for w in _AR_WORD.finditer(text, cue.end()):
            gap = text[(words[-1].end() if words else cue.end()) : w.start()]
            if gap.strip() or w.group() in _AR_STOP or len(words) == 4:
                break
            words.append(w)
        if len(words) >= 2:
            start, end = words[0].start(), words[-1].end()
            name = text[start:end]
            yield LexiconFact(
                start,
                end,
                name,
                "actor",
                {"role": "other", "type": "person", "name": name},
                "person",
            )
