"""The place picker: a search over the gazetteer (Arabic and Latin) for the case's forms."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
