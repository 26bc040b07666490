"""Screenshots of dalil's main screens, in English and Arabic, from a fresh demo.

``make screens`` runs::

    python tools/screens.py docs/screens

It builds the demo case in a temporary directory, serves it on a loopback port (the
browser tests' harness, tests/browser_support.py), runs a linkage and an estimation job
so that the jobs and estimates screens have something to show, and has Debian's
Chromium photograph each screen of :data:`SCREENS` at 1366 px wide in both languages,
and the few of :data:`NARROW` at 390 px (a phone). Shots are of the viewport (what a person sees on
arrival), not the whole page; PNGs are reduced to 256 colours and optimised with Pillow,
so the folder stays small enough to keep in the repository. ``README.md`` in the output
folder lists them.

Signed in as "ada", a workspace admin who is an investigator of the case, so that every
control and the admin menu are shown. The demo is fictional.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from PIL import Image  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import aliased  # noqa: E402

from browser_support import (  # noqa: E402
    Site,
    add_user,
    chromium,
    serve_demo,
    signed_in,
    wait_for_job,
)
from dalil.model.tables import Act, Record  # noqa: E402
from dalil.vault.tables import VaultItem  # noqa: E402

WIDE, NARROW_SIZE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
USER = "ada"


@dataclass(frozen=True)
class Screen:
    name: str  # file stem
    title: str  # for the README
    path: Callable[[Site, dict[str, str]], str]  # the page's path (from the found ids)


def _case(tail: str = "") -> Callable[[Site, dict[str, str]], str]:
    return lambda site, ids: f"/cases/{site.case}{tail.format(**ids)}"


SCREENS = (
    Screen("case", "Case front page", _case()),
    Screen("incidents", "Incidents", _case("/incidents")),
    Screen("incident", "An incident", _case("/incidents/{incident}")),
    Screen("victims", "Victims", _case("/victims")),
    Screen("person", "A person", _case("/persons/{person}")),
    Screen("evidence", "Evidence gallery", _case("/evidence")),
    Screen("evidence-item", "An evidence item", _case("/evidence/{item}")),
    Screen("team", "Team", _case("/team")),
    Screen("lists", "Victim lists and their upload", _case("/lists")),
    Screen("jobs", "Jobs", _case("/jobs")),
    Screen("job", "A finished linkage job", _case("/jobs/{job}")),
    Screen("estimates", "Estimates", _case("/estimates")),
    Screen("legal", "Legal analysis", _case("/legal")),
    Screen("legal-matrix", "An element matrix", _case("/legal/{subject}")),
    Screen("map", "Map", _case("/map")),
    Screen("review", "Linkage review", _case("/review")),
)
#: the screens also shot at 390 px
NARROW = (
    "case",
    "incident",
    "victims",
    "person",
    "evidence",
    "legal-matrix",
    "map",
    "jobs",
    "estimates",
)


def ids_of(p: Any, site: Site) -> dict[str, str]:
    """The records to show: the incident with the most acts and the victim of its first
    act (by label), the first photo in the vault and the first subject the legal page
    links to."""
    with site.ws.session() as s:
        acts = func.count(Act.id)
        incident = (
            s.execute(
                select(Act.event_id).group_by(Act.event_id).order_by(acts.desc(), Act.event_id)
            )
            .scalars()
            .first()
        )
        person = aliased(Record)
        victim = s.scalars(
            select(Act.victim_id)
            .join(person, person.id == Act.victim_id)
            .where(Act.event_id == incident)
            .order_by(person.label)
        ).first()
        item = s.scalars(
            select(VaultItem.id)
            .where(VaultItem.case_id == site.case, VaultItem.derived_from_id.is_(None))
            .order_by(VaultItem.media_type.not_like("image/%"), VaultItem.ingest_index)
        ).first()
    found = {"incident": str(incident), "person": str(victim), "item": str(item),
             "subject": str(incident)}  # fmt: skip
    p.goto(f"{site.url}/cases/{site.case}/legal")
    hrefs = p.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        tail = str(href).split("?")[0].split("#")[0].split("/legal/", 1)
        if len(tail) == 2 and tail[1] and "/" not in tail[1]:
            found["subject"] = tail[1]
            break
    return found


def run_job(p: Any, site: Site, kind: str) -> str:
    """Start a background job (``linkage`` or ``estimate``) from the estimates page's form
    and wait for it to finish; its id."""
    p.goto(f"{site.url}/cases/{site.case}/estimates")
    csrf = p.locator("input[name=csrf]").first.get_attribute("value")
    answer = p.request.post(f"{site.url}/cases/{site.case}/jobs",
                            form={"kind": kind, "csrf": csrf}, max_redirects=0)  # fmt: skip
    job = str(answer.headers["location"]).rstrip("/").rsplit("/", 1)[1]
    if wait_for_job(site, job) != "done":
        raise SystemExit(f"the {kind} job {job} did not finish")
    return job


def settle_gallery(p: Any, site: Site) -> None:
    """Open the gallery until no preview is pending (previews are made after the page that
    first asks for them), at most a minute, so that its shot shows them."""
    for _ in range(60):
        p.goto(f"{site.url}/cases/{site.case}/evidence?lang=en")
        if not p.locator(".ev-placeholder", has_text="preview being prepared").count():
            return
        p.wait_for_timeout(1000)


def shrink(path: Path) -> None:
    """256 colours, optimised: a UI screenshot loses nothing a reader would notice."""
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def shoot(p: Any, url: str, out: Path) -> bool:
    """The screenshot of ``url`` in ``out``; whether the page is wider than the window (it
    scrolls sideways: a fault the shot may not show)."""
    p.goto(url, wait_until="networkidle")
    p.screenshot(path=str(out), full_page=False)
    shrink(out)
    return bool(p.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def readme(out: Path, made: list[tuple[Screen, list[str]]]) -> None:
    lines = [
        "# Screens",
        "",
        "The main screens of dalil on the fictional demo case, in English and Arabic, at",
        "1366 px wide (and a few at 390 px, a phone). Regenerate them with `make screens`",
        "(tools/screens.py: a fresh demo, Debian's Chromium); do not edit them by hand.",
        "",
        "![The case front page in English](case-en-1366.png)",
        "",
        "![The case front page in Arabic](case-ar-1366.png)",
        "",
        "| Screen | English | Arabic |",
        "|---|---|---|",
    ]
    for screen, files in made:
        en = " ".join(f"[{f.split('.')[0].rsplit('-', 1)[-1]}]({f})" for f in files if "-en-" in f)
        ar = " ".join(f"[{f.split('.')[0].rsplit('-', 1)[-1]}]({f})" for f in files if "-ar-" in f)
        lines.append(f"| {screen.title} | {en} | {ar} |")
    (out / "README.md").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "screens")
    parser.add_argument("--only", nargs="*", default=None, help="screen names to shoot")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    made: list[tuple[Screen, list[str]]] = []
    with tempfile.TemporaryDirectory() as tmp, serve_demo(Path(tmp) / "ws") as site:
        add_user(site, USER, "investigator", admin=True)
        with chromium() as browser, signed_in(browser, site, USER, viewport=WIDE) as page:
            p: Any = page
            ids = ids_of(p, site)
            ids["job"] = run_job(p, site, "linkage")
            run_job(p, site, "estimate")
            settle_gallery(p, site)
            for screen in SCREENS:
                if args.only and screen.name not in args.only:
                    continue
                files = []
                for lang in ("en", "ar"):
                    url = f"{site.url}{screen.path(site, ids)}?lang={lang}"
                    sizes = [("1366", WIDE)] + ([("390", NARROW_SIZE)] * (screen.name in NARROW))
                    for width, size in sizes:
                        name = f"{screen.name}-{lang}-{width}.png"
                        p.set_viewport_size(size)
                        wide = shoot(p, url, out / name)
                        files.append(name)
                        print(out / name, "(wider than the window)" * wide, flush=True)
                    p.set_viewport_size(WIDE)
                made.append((screen, files))
    if not args.only:
        readme(out, made)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
