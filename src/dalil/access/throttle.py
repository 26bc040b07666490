"""Slowing down password guessing on web sign-in, per client address, in memory.

After :data:`FREE_FAILURES` failures from one address, across any accounts, each further
attempt must wait twice as long as the one before (1 s, 2 s, ... up to :data:`MAX_DELAY`
seconds); :data:`MAX_FAILURES` failures on one account lock that account for
:data:`LOCK_MINUTES` minutes *for the address that failed*, so nobody can keep another
person locked out. Sign-ins without an address (re-authentication, the CLI) use the
account-wide lock in the database instead (:func:`dalil.access.accounts.authenticate`).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

#: failures on one account before it is locked, and for how many minutes
MAX_FAILURES, LOCK_MINUTES = 5, 15
#: sign-in failures one client address may make, across accounts, before slowing down;
#: the longest wait (seconds) and how long a quiet address's failures are remembered
FREE_FAILURES, MAX_DELAY, FORGET_AFTER = 5, 15 * 60, 60 * 60
#: addresses (and address, account pairs) remembered at most: a bound on memory
MAX_CLIENTS = 50_000


def client_key(host: str | None) -> str:
    """The throttling key of a client address: an IPv6 address counts as its /64 network
    (one subscriber usually holds a whole /64), anything else as written."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


_K = TypeVar("_K")


@dataclass
class _Failures:
    count: int
    last: float  # the clock's seconds at the latest failure


class SignInThrottle:
    """Failed web sign-ins per client address and per (account, address), in memory.

    * ``wait(client)``: seconds the address must still wait before its next attempt. The
      first :data:`FREE_FAILURES` failures cost nothing; after the n-th failure beyond
      them the address waits 2**(n-1) s (1, 2, 4 ... capped at :data:`MAX_DELAY`),
      whichever accounts it tried: password spraying is slowed like guessing one password;
    * ``locked(name, client)``: whether :data:`MAX_FAILURES` failures on that account from
      that address in the last :data:`LOCK_MINUTES` lock it out of the account. Other
      addresses are not locked out, so the account's owner can still sign in while someone
      elsewhere types wrong passwords for it;
    * an address's failures are forgotten :data:`FORGET_AFTER` seconds after its latest
      one; a successful sign-in clears that address's failures on that account but not its
      count across accounts (one's own account must not reset a sprayer's slow-down).

    One instance per server process: with several workers each keeps its own counts, so an
    address gets that many more tries. At most :data:`MAX_CLIENTS` entries of each kind are
    kept; the least recently failed go first. ``clock`` is seconds on a monotonic scale.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: OrderedDict[str, _Failures] = OrderedDict()
        self._pairs: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._mutex = threading.Lock()

    @staticmethod
    def _current(table: OrderedDict[_K, _Failures], key: _K, now: float) -> _Failures:
        found = table.get(key)
        if found is not None and now - found.last >= FORGET_AFTER:
            del table[key]
            found = None
        return found or _Failures(0, now)

    def wait(self, client: str) -> float:
        with self._mutex:
            now = self._clock()
            seen = self._current(self._clients, client, now)
            if seen.count < FREE_FAILURES:
                return 0.0
            delay = min(2.0 ** (seen.count - FREE_FAILURES), MAX_DELAY)
            return max(0.0, seen.last + delay - now)

    def locked(self, name: str, client: str) -> bool:
        with self._mutex:
            now = self._clock()
            seen = self._current(self._pairs, (name, client), now)
            return seen.count >= MAX_FAILURES and now - seen.last < LOCK_MINUTES * 60

    def failed(self, name: str, client: str) -> None:
        with self._mutex:
            now = self._clock()
            self._count(self._clients, client, now)
            self._count(self._pairs, (name, client), now)

    def _count(self, table: OrderedDict[_K, _Failures], key: _K, now: float) -> None:
        seen = self._current(table, key, now)
        table[key] = _Failures(seen.count + 1, now)
        table.move_to_end(key)
        while len(table) > MAX_CLIENTS:
            table.popitem(last=False)

    def succeeded(self, name: str, client: str) -> None:
        with self._mutex:
            self._pairs.pop((name, client), None)
