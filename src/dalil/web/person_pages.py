"""A person's page: names, acts, lists, sources and (for protection officers) the identity."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
