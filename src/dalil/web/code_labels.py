"""English labels of the codes that no shipped vocabulary names.

:data:`LABELS` names the codes that are not in a shipped vocabulary (job kinds and states,
estimation methods, legal statuses, standards of proof, checklist scopes, case-file
audiences, custody-ledger actions, kinds of derived copy), by code list, in English;
``term(code, list)`` in the templates shows them (:mod:`dalil.web.deps`), and the Arabic
catalogue translates them like any other string (``tests/web/test_messages.py`` checks).
"""

from dalil.vault.custody_entry import ACTIONS
from dalil.vault.ingest import DERIVATIONS

LABELS: dict[str, dict[str, str]] = {
    # the ledger's own codes, in words (the audit log, an item's custody history)
    "custody_action": {a: a.replace("_", " ") for a in ACTIONS},
    "derivation": {d: d.replace("_", " ") for d in DERIVATIONS},
    "job_kind": {"linkage": "Linkage", "estimate": "Estimate", "casefile": "Case file"},
    "job_state": {"queued": "Waiting", "running": "Running", "done": "Finished",
                  "failed": "Failed"},
    "estimation_method": {
        "lcmcr": "Latent-class model (LCMCR)",
        "loglinear": "Log-linear models",
        "dga": "Decomposable graphical models (DGA)",
    },
    "estimation_method_short": {"lcmcr": "LCMCR", "loglinear": "Log-linear", "dga": "DGA"},
    "legal_status": {"not_assessed": "Not assessed", "supported": "Supported",
                     "contested": "Contested", "insufficient": "Insufficient"},
    "standard_of_proof": {
        "insufficient": "Insufficient",
        "some_information": "Some information",
        "reasonable_grounds": "Reasonable grounds to believe",
        "strong": "Clear and convincing",
    },
    "checklist_status": {"complete": "Complete", "partial": "Partial",
                         "not_started": "Not started", "not_applicable": "Not applicable",
                         "impossible": "Impossible"},
    "checklist_scope": {"case": "The case", "death": "Each death", "witness": "Each witness",
                        "burial_site": "Each burial site", "digital_item": "Each digital item",
                        "evidence": "Each evidence item"},
    "audience": {"internal": "Internal (the team)", "committee": "Committee",
                 "public": "Public"},
}  # fmt: skip
