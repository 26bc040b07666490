"""One error tree for the whole library, with stable codes.

Callers catch at the level they can act on; the CLI and web layers turn any
:class:`UserError` into one clear line (CLI exit status 2, HTTP 4xx) and never a traceback.
Codes are part of the public interface: scripts match on them, so never change one.

    DalilError                      dalil.error
    ├── UserError                   input.error        the person can fix it
    │   ├── InvalidInput            input.invalid      a value or document is malformed
    │   │   └── UnknownTerm         input.vocabulary   a term is not in its vocabulary
    │   ├── NotFound                record.not_found   no such case/record (or not visible)
    │   ├── Conflict                record.conflict    duplicate id, already exists
    │   └── ProtectedData           protection.refused witness-safety rule refused the write
    ├── WorkspaceError              workspace.error
    │   ├── WorkspaceMissing        workspace.missing  no workspace at DALIL_HOME
    │   ├── WorkspaceExists         workspace.exists   init over an existing workspace
    │   └── WorkspaceTooNew         workspace.newer    written by a newer dalil
    └── StorageError                storage.error      the database failed (not the user's fault)

Messages never contain protected values (witness identities): they name the place of
the problem (file, row, JSON path, field), not the offending content.
"""

from __future__ import annotations


class DalilError(Exception):
    """Base of every error dalil raises on purpose."""

    code = "dalil.error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.message = message
        #: Where the problem is: a JSON path (``$.records[3].id``), ``file:row:field``, ...
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)

    def to_dict(self) -> dict[str, str | None]:
        """The canonical error shape used by the CLI ``--json`` output and the API."""
        return {"code": self.code, "message": self.message, "path": self.path}


class UserError(DalilError):
    code = "input.error"


class InvalidInput(UserError):
    code = "input.invalid"


class UnknownTerm(InvalidInput):
    code = "input.vocabulary"


class NotFound(UserError):
    code = "record.not_found"


class Conflict(UserError):
    code = "record.conflict"


class ProtectedData(UserError):
    code = "protection.refused"


class WorkspaceError(DalilError):
    code = "workspace.error"


class WorkspaceMissing(WorkspaceError):
    code = "workspace.missing"


class WorkspaceExists(WorkspaceError):
    code = "workspace.exists"


class WorkspaceTooNew(WorkspaceError):
    code = "workspace.newer"


class StorageError(DalilError):
    code = "storage.error"


def json_path(loc: tuple[int | str, ...], root: str = "$") -> str:
    """A JSON path from a validator's location tuple: ``("records", 3, "id")`` ->
    ``$.records[3].id``."""
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


ALL_ERRORS: tuple[type[DalilError], ...] = (
    DalilError,
    UserError,
    InvalidInput,
    UnknownTerm,
    NotFound,
    Conflict,
    ProtectedData,
    WorkspaceError,
    WorkspaceMissing,
    WorkspaceExists,
    WorkspaceTooNew,
    StorageError,
)
