from __future__ import annotations

import dalil.model
from dalil.errors import ALL_ERRORS, DalilError, InvalidInput

STABLE = {
    "DalilError": "dalil.error",
    "UserError": "input.error",
    "InvalidInput": "input.invalid",
    "UnknownTerm": "input.vocabulary",
    "NotFound": "record.not_found",
    "Conflict": "record.conflict",
    "ProtectedData": "protection.refused",
    "WorkspaceError": "workspace.error",
    "WorkspaceMissing": "workspace.missing",
    "WorkspaceExists": "workspace.exists",
    "WorkspaceTooNew": "workspace.newer",
    "StorageError": "storage.error",
}


def test_codes_are_stable_and_unique() -> None:
    assert {e.__name__: e.code for e in ALL_ERRORS} == STABLE
    assert all(issubclass(e, DalilError) for e in ALL_ERRORS)


def test_error_shape() -> None:
    err = InvalidInput("bad", path="$.records[0]")
    assert str(err) == "$.records[0]: bad"
    assert err.to_dict() == {"code": "input.invalid", "message": "bad", "path": "$.records[0]"}


def test_model_exports_match_all() -> None:
    exported = set(dalil.model.__all__)
    assert len(exported) == len(dalil.model.__all__)
    assert all(hasattr(dalil.model, name) for name in exported)
    public_classes = {
        n for n, v in vars(dalil.model).items() if isinstance(v, type) and not n.startswith("_")
    }
    assert public_classes <= exported
