"""How the synthetic lists spell a name (``dalil.linkage.synth_spelling``)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from dalil.linkage.name_pool import FAMILY, MALE, Token, pools
from dalil.linkage.synth_spelling import spell
from dalil.places.folding import is_arabic

_TOKENS = st.sampled_from(pools()[0] + pools()[2])
_SEEDS = st.integers(min_value=0, max_value=2**32)


@given(_SEEDS, _TOKENS, st.booleans())
def test_arabic_lists_write_arabic_script(seed: int, token: Token, family: bool) -> None:
    written = spell(random.Random(seed), token, "arabic", family)
    assert written and is_arabic(written)


@given(_SEEDS, _TOKENS, st.sampled_from(("english", "french", "tfp")), st.booleans())
def test_latin_lists_write_latin_script(seed: int, token: Token, style: str, family: bool) -> None:
    written = spell(random.Random(seed), token, style, family)
    assert written and not is_arabic(written)
    assert written.strip() == written


@given(_SEEDS, _TOKENS, st.sampled_from(("arabic", "english", "french", "tfp")))
def test_the_same_draws_give_the_same_spelling(seed: int, token: Token, style: str) -> None:
    assert spell(random.Random(seed), token, style, True) == spell(
        random.Random(seed), token, style, True
    )


def test_spellings_vary_as_real_lists_do() -> None:
    rng = random.Random(1)
    mohammad = Token(MALE[0][0], MALE[0][1])
    latin = {spell(rng, mohammad, "english", False) for _ in range(300)}
    assert "Mohammad" in latin and len(latin) > 3
    french = {spell(rng, mohammad, "french", False) for _ in range(300)}
    assert any("ou" in w or "u" in w for w in french)
    abd = Token("عبد الكريم", "Abd al-Karim")
    arabic = {spell(rng, abd, "arabic", False) for _ in range(300)}
    assert {"عبد الكريم", "عبدالكريم"} <= arabic  # compounds written with and without space
    family = Token(FAMILY[0][0], FAMILY[0][1])
    articles = {spell(rng, family, "english", True).split("-")[0] for _ in range(300)}
    assert "al" in articles and "el" in articles
