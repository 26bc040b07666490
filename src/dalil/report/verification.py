"""The case file's verification appendix: the signed tree head of the custody ledger and, for
each evidence item the file lists, its ingest entry and RFC 9162 inclusion proof; and the
PDF, which carries that appendix as an attached file so that ``tools/verify_bundle.py``
checks a PDF as it checks the HTML.

Kept apart from :mod:`dalil.report.casefile` (which gathers and renders the sections)
because it is the part a verifier depends on: its data format is
:data:`APPENDIX_FORMAT`, and it touches the ledger, never the records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from dalil.vault import ledger, merkle
from dalil.vault.canonical import canonical_json

APPENDIX_FORMAT = "dalil-casefile-appendix/1"


def appendix(
    session: Session,
    case_id: str,
    evidence: list[dict[str, Any]],
    sign: Callable[[], ledger.SignedHead] | None,
    say: Callable[[str], None] = lambda _m: None,
) -> tuple[ledger.SignedHead | None, dict[str, Any] | None]:
    """The signed tree head the case file shows, and the appendix that ties every listed
    item to it: each item's ingest entry and its RFC 9162 inclusion proof against that head.

    The head must cover every item (tree size above every ledger index listed). The newest
    signed head is used when it does; otherwise ``sign`` (the unlocked vault's
    ``checkpoint``, which signs in its own short transaction) signs a fresh one. Without
    ``sign`` and without a covering head, the items the head does not cover are listed in
    ``not_covered`` and the file says how to make a head that covers them. The proofs are
    checked here before they are printed, so a ledger that no longer matches its head
    stops the case file instead of giving it proofs that fail.

    Assumes the caller's ``session`` has written nothing (so holds no ledger lock): the
    signature commits in another transaction, and the proofs are then read in this one
    (SQLite reads outside a write transaction and PostgreSQL's read committed both see
    that commit)."""
    need = max((e["ledger_index"] for e in evidence), default=-1) + 1
    head = ledger.latest_head(session)
    if sign is not None and (head is None or head.tree_size < need):
        say("signing a tree head over the evidence")
        head = sign()
    if head is None:
        return None, None
    items, not_covered = [], []
    for e in evidence:
        index = e["ledger_index"]
        if index >= head.tree_size:
            not_covered.append(index)
            continue
        entry = ledger.entry(session, index)
        proof = ledger.inclusion_proof(session, index, head.tree_size)
        leaf = merkle.leaf_hash(canonical_json(entry))
        if not merkle.verify_inclusion(index, head.tree_size, leaf, proof, head.root_hash):
            raise ledger.LedgerTampered(
                f"ledger entry {index} is not included in the tree head signed at size "
                f"{head.tree_size}; run `dalil vault verify`"
            )
        items.append(
            {
                "sha256": e["sha256"],
                "size": e["size"],
                "media_type": e["media_type"],
                "ledger_index": index,
                "entry": entry,
                "leaf_hash": leaf.hex(),
                "inclusion_proof": [h.hex() for h in proof],
            }
        )
    data = {
        "format": APPENDIX_FORMAT,
        "case": case_id,
        "tree_head": head.to_dict(),
        "items": items,
        "not_covered": not_covered,
    }
    return head, data


_APPENDIX_BLOCK = re.compile(
    r'<script type="application/json" id="dalil-verification">(.*?)</script>', re.DOTALL
)


def render_pdf(html: str) -> bytes:
    """The PDF of a rendered case file (WeasyPrint; fonts from the system's fontconfig,
    Noto for Arabic, as ``make browser`` installs them).

    The verification appendix's data (the HTML's ``dalil-verification`` block) goes in as
    an attached file, ``dalil-verification.json``, so the PDF can be checked by
    ``tools/verify_bundle.py`` as the HTML can (the printed text is for people)."""
    from weasyprint import HTML, Attachment  # type: ignore[import-untyped]

    found = _APPENDIX_BLOCK.search(html)
    attachments = []
    if found:
        data = json.dumps(json.loads(found.group(1)), ensure_ascii=False, sort_keys=True)
        attachments.append(
            Attachment(
                string=data,
                name="dalil-verification.json",
                description="dalil case file verification appendix (dalil-casefile-appendix/1)",
            )
        )
    return bytes(HTML(string=html).write_pdf(attachments=attachments))
