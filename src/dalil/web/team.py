"""Case and team set-up in the browser: cases, members and roles, users (admins)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
