"""The keys of the person search index (:mod:`dalil.records.person_search`): those a
person's names give, and those each rule of a query looks for, strictest rule first.

A person's names give, for every name token (:func:`~dalil.places.name_variants.tokens`):

* ``n:<token>`` (and ``n:<word>`` for every normalised word, for word beginnings);
* ``f:<tokens>`` for each whole name;
* ``vl:<name>`` for each Arabic name a Latin token spells
  (:func:`~dalil.places.name_variants.classes`: "Mohammed" -> محمد, never محمود);
* ``x:<skeleton>`` (:func:`~dalil.places.names.token_key`), and ``u:<skeleton>`` and
  ``nu:<token>`` as well for a token that is no name the variant table knows.

A query is tried under :data:`RULES` from strictest to loosest (:func:`tiers`): a person
is ranked by the first rule that finds them. A known name meets only *unknown* spellings
of its skeleton and only unknown names it begins, never another known name: محمد is not
محمود, عمر does not begin عمرو.
"""

from __future__ import annotations

from collections.abc import Iterable

from dalil.places.name_variants import classes, is_known, is_listed, skeleton
from dalil.places.name_variants import tokens as tokens_of
from dalil.places.names import is_arabic, normalise


def keys(names: Iterable[str], sex: str | None) -> set[str]:
    """The search keys of a person with these full names and sex."""
    out = {f"sex:{sex}"} if sex else set()
    for full in names:
        tokens = tokens_of(full)
        out |= {f"n:{w}" for w in normalise(full).split()} | {f"n:{t}" for t in tokens}
        if tokens:
            out.add(f"f:{' '.join(tokens)}")
        for token in tokens:
            if not is_known(token):
                out.add(f"nu:{token}")
            if sk := skeleton(token):
                out |= {f"x:{sk}"} | (set() if is_known(token) else {f"u:{sk}"})
            if not is_arabic(token):
                out |= {f"vl:{name}" for name in classes(token)}
    return {k[:200] for k in out}


#: one test a person's keys must pass: ("in", keys) holds when one of the keys is the
#: person's; ("starts", (prefix,)) when one of their keys starts with the prefix
Test = tuple[str, tuple[str, ...]]
#: the rules a search ranks by, strictest first (see :func:`tiers`); the page names the
#: rule that found each person
RULES = ("exact", "same", "other_script", "variant", "prefix", "similar")


def _levels(token: str) -> list[set[str]]:
    """The keys a name token matches under the rules ``same``, ``other_script``,
    ``variant`` and ``similar``, each set holding the stricter ones'."""
    same = {f"n:{token}"}
    if is_arabic(token):  # Latin spellings of this name; no Arabic variant is left after
        other = variant = same | {f"vl:{token}"}  # normalisation
    else:
        names = classes(token)
        other = same | {f"n:{c}" for c in names}  # the Arabic names it spells
        variant = other | {f"vl:{c}" for c in names}  # other Latin spellings of them
    sk = skeleton(token)
    # a known name meets only unknown spellings of its skeleton, never another known name
    # (محمد is not محمود); an unknown spelling meets every name of its skeleton
    similar = variant | ({f"{'u' if is_known(token) else 'x'}:{sk}"} if sk else set())
    return [{k[:200] for k in level} for level in (same, other, variant, similar)]


def tiers(query: str) -> list[tuple[str, list[Test]]]:
    """The rules a query is tried under, strictest first, each with the tests that must
    all hold (one per query word): ``exact`` (the whole name), ``same`` (every word a word
    of the name, after normalisation), ``other_script`` (or a transliteration of it),
    ``variant`` (or another spelling of that name), ``prefix`` (every word starts a word
    of the name), ``similar`` (or has the same consonant skeleton, :func:`_levels`). A
    rule whose tests are those of the one before it is left out. Empty for an empty
    query."""
    words, tokens = normalise(query).split(), tokens_of(query)
    if not words:
        return []
    # a listed name begins only names the table does not know: عمر does not find عمرو,
    # but "ahm" finds Ahmad
    starts: list[Test] = [("starts", (f"{'nu' if is_listed(w) else 'n'}:{w}",)) for w in words]
    if not tokens:  # only connectors or articles ("بن"): their beginnings
        return [("prefix", starts)]
    keyed = [sorted(level) for level in zip(*(_levels(t) for t in tokens), strict=True)]
    tiers: list[tuple[str, list[Test]]] = [("exact", [("in", (f"f:{' '.join(tokens)}"[:200],))])]
    for rule, level in zip(("same", "other_script", "variant", "similar"), keyed, strict=True):
        if rule == "similar":
            tiers.append(("prefix", starts))
        tests = [("in", tuple(keys)) for keys in level]
        if tiers[-1][1] != tests:
            tiers.append((rule, tests))
    return tiers


def variant_of(query: str, names: Iterable[str]) -> str:
    """The name a person was found as a spelling variant of (rule ``variant``): the
    Arabic name that a query word and a differently spelt word of one of ``names`` both
    spell; empty if none."""
    words = tokens_of(query)
    for full in names:
        for token in tokens_of(full):
            for word in words:
                shared = set(classes(word)) & set(classes(token)) if word != token else set()
                if shared:
                    return sorted(shared)[0]
    return ""
