"""Build src/dalil/data/names/latin_keys.tsv from public Arabic/Latin name dictionaries.

Usage: python tools/build_name_keys.py [../shared/data/names]

For every (Arabic spelling, Latin spelling) pair in the TechForPalestine dictionary
(public domain) and the Wikidata person-label token pairs of Merhav & Ash (COLING 2018,
CC0), the Arabic spelling's rule key (dalil.places.names) is a vote for what the Latin
spelling should key to. A Latin spelling is written to the table when its votes agree
(at least 60 % for one key and at least 2 votes; a mined Wikidata pair needs 3
sightings and no leading article), that key differs from the
Latin rule key, and the two keys are still similar (which filters mis-aligned pairs in
the mined data). Everything else keeps the rule key at run time.

Pairs whose Arabic name falls in the held-out half (``benchmarks/linkage_sets.half_of``)
are skipped: the linkage benchmarks score dalil on lists made from that half only, which
the table must never have seen.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from dalil.places import names

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from linkage_sets import half_of  # noqa: E402  (evaluation split, shared with the benchmarks)

OUT = ROOT / "src/dalil/data/names/latin_keys.tsv"


def pairs(data: Path) -> list[tuple[str, str, int, str]]:
    out: list[tuple[str, str, int, str]] = []
    with (data / "tfp-palestine-datasets/dict_ar_en.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) == 2:
                out.append((row[0], row[1], 3, "tfp"))
    wd = data / "wikidata-coling2018-ar/wd_arabic.normalized.aligned.tokens"
    with wd.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[2].isdigit():
                out.append((parts[1].replace(" ", ""), parts[0], int(parts[2]), "wd"))
    return out


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/names"
    names._learnt_latin_keys.cache_clear()
    OUT.write_text("", encoding="utf-8")  # learn from the rules alone
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, weight, src in pairs(data):
        ar_tokens, la_tokens = names.name_tokens(arabic), names.name_tokens(latin)
        if len(ar_tokens) != 1 or len(la_tokens) != 1 or not names.is_arabic(arabic):
            continue
        if half_of(arabic) == "test":
            continue  # held out for the benchmarks
        if ar_tokens[0] in {"عبد", "ابو", "ابي", "ابا"}:
            continue  # a bare compound head: the Latin side is usually the whole compound
        if src == "wd" and (weight < 3 or names.normalise(arabic).startswith("ال")):
            continue  # rare or article-initial mined pairs are mostly mis-aligned or foreign
        ak = names.token_key(ar_tokens[0])
        if ak:
            votes[la_tokens[0]][ak] += weight
    rows = []
    for latin, counter in sorted(votes.items()):
        key, n = counter.most_common(1)[0]
        total = sum(counter.values())
        rule = names._latin_key(latin)
        if (
            n >= 2
            and n / total >= 0.6
            and key != rule
            and SequenceMatcher(None, key, rule).ratio() >= 0.6
        ):
            rows.append(f"{latin}\t{key}")
    header = (
        "# Latin spelling -> dalil cross-script key, learnt by tools/build_name_keys.py from\n"
        "# TechForPalestine/palestine-datasets dict_ar_en.csv (public domain) and\n"
        "# steveash/NETransliteration-COLING2018 Wikidata token pairs (CC0-1.0). See NOTICE.\n"
    )
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} spellings written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
