"""The demo case's records, written with ids and timestamps that depend only on the seed.

A fresh case id (uuid5 of the seed) and record ids that count up in the demo's uuid5
namespace, with a clock that starts on 20 March 2025 and ticks 37 seconds a record, make
the same seed give a byte-identical export. The order in which the builder adds records
is therefore part of the demo's output: keep it when changing the builder.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from dalil.demo.story import NAMESPACE
from dalil.model.tables import Record
from dalil.records import Records


class DemoBook:
    """:class:`~dalil.records.Records` of the demo case, with deterministic ids and clock."""

    def __init__(self, session: Session, case_id: str, actor: str, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0
        self.clock = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)
        self.book = Records(session, case_id, actor)
        self.book.check_ids = False  # uuid5 ids under a fresh case id cannot collide
        self.book.new_id = self.id
        self.book.clock = self.now

    def id(self) -> str:
        self.counter += 1
        return str(uuid.uuid5(NAMESPACE, f"demo-{self.counter}"))

    def now(self) -> datetime:
        self.clock += timedelta(seconds=37)
        return self.clock

    def add(self, kind: str, **kw: Any) -> Record:
        return self.book.add(kind, **kw)

    def fact(self, record: Record, field_name: str, value: Any, **kw: Any) -> str:
        return self.book.assert_fact(record.id, field_name, value, **kw).id
