"""The one error hierarchy. Edges turn these into one clear line (CLI) or one reply (Slack).

DossierError
 ├── UserInputError        a flag, question or path the user gave is unusable
 ├── ReportReadError       one file could not be read or parsed (names the file)
 ├── IndexEmpty            nothing ingested yet
 ├── StoreMismatch         the index was built with another model, dimension or schema
 ├── StoreBusy             another ingest holds the lock
 └── StoreWriteError       writing the index failed (disk full, permissions)
"""
from __future__ import annotations


class DossierError(Exception):
    """Base of every error Dossier raises on purpose. str() is one line for the user."""


class UserInputError(DossierError):
    pass


class ReportReadError(DossierError):
    def __init__(self, path: object, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexEmpty(DossierError):
    pass


class StoreMismatch(DossierError):
    pass


class StoreBusy(DossierError):
    pass


class StoreWriteError(DossierError):
    pass
