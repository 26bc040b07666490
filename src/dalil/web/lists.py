"""Victim-list upload in the browser: the column mapping shown, every bad row listed,
nothing stored until every row is good."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
