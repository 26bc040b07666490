"""Build src/dalil/data/names/name_variants.tsv (which spellings are one name) and the
held-out spellings the tests measure it on, from public name dictionaries.

Usage: python tools/build_name_variants.py [../shared/data/names]

* Arabic names: every single-token Arabic spelling of the TechForPalestine dictionary
  (dict_ar_en.csv, public domain), normalised (dalil.places.names.name_tokens): the
  names of the Gaza Ministry of Health list, the population dalil's users document.
* Latin spellings: each (Arabic, Latin) token pair of that dictionary (3 votes) and of
  the Wikidata person-label token pairs of Merhav & Ash (COLING 2018, CC0; its count as
  votes, pairs seen once dropped as mostly mis-aligned) whose Arabic side is one of those
  names, and whose two consonant skeletons are alike (dalil.places.names.token_key),
  votes for the Latin spelling being that name. A spelling is written with every name
  that has at least a fifth of its votes (and two votes): "hassan" is حسن, not حسان.
* Spacing: dict_ar_ar.csv rows (public domain) whose two sides differ after
  normalisation become split rows: a glued spelling and the names it is made of.

One Latin spelling in five (by a hash of the spelling, so the split is reproducible and
all of a spelling's pairs fall on the same side) is held out: not written to the table but
to tests/records/name_variants_heldout.tsv, with the Arabic name it was seen for, so that
tests measure how the search reads spellings it never saw.
"""

from __future__ import annotations

import csv
import sys
import zlib
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from dalil.places import names

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/dalil/data/names/name_variants.tsv"
HELD_OUT = ROOT / "tests/records/name_variants_heldout.tsv"
#: a name needs this share of a spelling's votes (and MIN_VOTES) to be written with it
SHARE, MIN_VOTES = 0.2, 2


def held_out(latin: str) -> bool:
    """One Latin spelling in five, by a stable hash of the spelling."""
    return zlib.crc32(latin.encode("utf-8")) % 5 == 0


def _single(text: str) -> str | None:
    tokens = names.name_tokens(text)
    return tokens[0] if len(tokens) == 1 else None


def _spelling(latin: str) -> bool:
    """Whether a Latin token can be a spelling of a name: letters with a vowel ("dr",
    "jr" and a lone "l" are abbreviations or a split article)."""
    return latin.isascii() and latin.isalpha() and any(v in latin for v in "aeiouy")


def _alike(arabic: str, latin: str) -> bool:
    """Whether the two spellings' consonant skeletons are close enough for the pair to be
    a transliteration, not a mis-aligned pair of the mined data ("morocco" for محمد)."""
    a, la = names.token_key(arabic), names.token_key(latin, learnt=False)
    return SequenceMatcher(None, a, la).ratio() >= 0.5


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/names"
    tfp: list[tuple[str, str]] = []
    with (data / "tfp-palestine-datasets/dict_ar_en.csv").open(encoding="utf-8") as fh:
        tfp = [(r[0], r[1]) for r in csv.reader(fh) if len(r) == 2 and r[0] != "ar"]
    arabic = {t for a, _ in tfp if names.is_arabic(a) and (t := _single(a))}
    arabic -= {"عبد", "ابو", "ابي", "ابا", "ال"}  # a bare compound head or article is no name
    pairs = [(a, latin, 3) for a, latin in tfp]
    wd = data / "wikidata-coling2018-ar/wd_arabic.normalized.aligned.tokens"
    with wd.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) >= 2:
                pairs.append((parts[1].replace(" ", ""), parts[0], int(parts[2])))
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ar, latin, weight in pairs:
        a, la = _single(ar), _single(latin)
        if a in arabic and la and _spelling(la) and _alike(a, la):
            votes[la][a] += weight
    kept: dict[str, list[str]] = {}
    for la, counter in votes.items():
        total = sum(counter.values())
        kept_names = sorted(a for a, n in counter.items() if n >= MIN_VOTES and n >= SHARE * total)
        if kept_names:
            kept[la] = kept_names
    splits: dict[str, list[str]] = {}
    with (data / "tfp-palestine-datasets/dict_ar_ar.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) != 2 or not names.is_arabic(row[0] + row[1]):
                continue
            one, two = names.name_tokens(row[0]), names.name_tokens(row[1])
            if one != two and min(len(one), len(two)) >= 1 and 1 in (len(one), len(two)):
                glued, parts = (one, two) if len(one) == 1 else (two, one)
                if len(parts) > 1 and all(len(p) > 1 for p in parts):
                    splits[glued[0]] = parts
    header = (
        "# Which spellings are one name (dalil.places.name_variants), built by\n"
        "# tools/build_name_variants.py from TechForPalestine/palestine-datasets dict_ar_en.csv\n"
        "# and dict_ar_ar.csv (public domain) and steveash/NETransliteration-COLING2018\n"
        "# Wikidata token pairs (CC0-1.0). See NOTICE. kind<TAB>spelling<TAB>names\n"
    )
    rows = [f"arabic\t{a}" for a in sorted(arabic)]
    rows += [f"latin\t{la}\t{' '.join(n)}" for la, n in sorted(kept.items()) if not held_out(la)]
    rows += [f"split\t{g}\t{' '.join(p)}" for g, p in sorted(splits.items())]
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    test_rows = [
        f"{la}\t{a}\t{n}"
        for la, counter in sorted(votes.items())
        if held_out(la) and la in kept
        for a, n in sorted(counter.items())
        if a in kept[la]
    ]
    HELD_OUT.write_text(
        "# Latin spellings held out of name_variants.tsv by tools/build_name_variants.py, with\n"
        "# the Arabic name each was seen for and its votes (sources: see\n"
        "# src/dalil/data/names/NOTICE). latin<TAB>arabic<TAB>votes\n"
        + "\n".join(test_rows) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    print(f"{len(arabic)} Arabic names, {len(kept)} Latin spellings "
          f"({len(test_rows)} held-out pairs), {len(splits)} glued spellings")  # fmt: skip


if __name__ == "__main__":
    main()
