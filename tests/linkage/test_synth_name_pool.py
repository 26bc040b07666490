"""The names fictional people are drawn from (``dalil.linkage.name_pool``), shared by the
synthetic lists and the demo."""

from __future__ import annotations

from dalil.linkage.name_pool import FAMILY, FEMALE, MALE, Token, pools, tfp_tokens
from dalil.places.folding import is_arabic


def test_lexicon_entries_are_arabic_then_two_latin_styles() -> None:
    for entries in (MALE, FEMALE, FAMILY):
        assert len(set(entries)) == len(entries)
        for ar, style_a, style_b in entries:
            assert is_arabic(ar) and not is_arabic(style_a) and not is_arabic(style_b)
            assert style_a.isascii() and style_b.isascii()
    assert len(MALE) == 48 and len(FEMALE) == 20 and len(FAMILY) == 30


def test_pools_put_the_lexicon_first() -> None:
    male, female, family = pools()
    assert male[: len(MALE)] == tuple(Token(ar, a) for ar, a, _ in MALE)
    assert female[: len(FEMALE)] == tuple(Token(ar, a) for ar, a, _ in FEMALE)
    assert family[0] == Token("الأحمد", "al-Ahmad")
    assert len(male) > 10 * len(MALE) and len(family) > 10 * len(FAMILY)
    assert any(t.ar.startswith("أبو ") and t.en.startswith("Abu ") for t in family)
    assert all(t.ar and t.en for t in tfp_tokens())
