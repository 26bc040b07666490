"""Recovery shares: the refusals an investigator meets when typing shares back in."""

from __future__ import annotations

import pytest

from dalil.errors import InvalidInput
from dalil.vault import shamir

SECRET = bytes(range(32))


@pytest.mark.parametrize(("k", "n"), [(1, 3), (3, 2), (2, 256), (0, 0)])
def test_split_refuses_impossible_thresholds(k: int, n: int) -> None:
    with pytest.raises(InvalidInput, match="2 <= k <= n <= 255"):
        shamir.split(SECRET, k, n)


@pytest.mark.parametrize(
    "share",
    ["not a share", "dalil-share-2-2-1-00-abcd", "dalil-share-1-2-1-00", "x-share-1-2-1-00-ab"],
)
def test_combine_refuses_text_that_is_not_a_share(share: str) -> None:
    good = shamir.split(SECRET, 2, 3)
    with pytest.raises(InvalidInput, match="not a dalil recovery share"):
        shamir.combine([good[0], share])


def test_combine_refuses_shares_of_two_keys() -> None:
    a = shamir.split(SECRET, 2, 3)
    b = shamir.split(bytes(32), 2, 3)
    with pytest.raises(InvalidInput, match="do not belong to the same key"):
        shamir.combine([a[0], b[1]])


def test_combine_refuses_shares_with_different_thresholds() -> None:
    a = shamir.split(SECRET, 2, 3)
    b = shamir.split(SECRET, 3, 3)
    with pytest.raises(InvalidInput, match="do not belong to the same key"):
        shamir.combine([a[0], b[1], b[2]])


def test_combine_refuses_share_number_zero() -> None:
    shares = shamir.split(SECRET, 2, 3)
    parts = shares[0].split("-")
    parts[4] = "0"  # x = 0 would hand out the secret itself; never a valid share
    with pytest.raises(InvalidInput, match="invalid number"):
        shamir.combine(["-".join(parts), shares[1]])


def test_combine_reports_a_mistyped_share_instead_of_a_wrong_key() -> None:
    shares = shamir.split(SECRET, 2, 3)
    parts = shares[1].split("-")
    digits = parts[5]
    parts[5] = ("1" if digits[0] != "1" else "2") + digits[1:]  # one hex digit mistyped
    with pytest.raises(InvalidInput, match="do not fit together"):
        shamir.combine([shares[0], "-".join(parts)])
    assert shamir.combine([shares[0], shares[2]]) == SECRET
