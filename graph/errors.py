"""Ecomap's exceptions.

EcomapError
├── SettingsError            a setting has a value Ecomap cannot use
├── StoreUnavailableError    the database cannot be reached or started
├── QueryError               the database refused or failed a query
│   ├── QueryTimeoutError    the query ran past its time limit
│   ├── QueryLimitError      the query would pass a size limit, so it was not sent
│   └── ReadOnlyError        a write was sent through the read path
├── InvalidParameterError    a query parameter is of a type or shape Ecomap will not send
├── SavedQueryError          a saved query file is malformed
├── SeedError                seed files failed validation (carries every problem)
├── EditError                an edit cannot be applied
│   ├── InvalidEditError     fields fail validation (carries each field's problem)
│   ├── ConflictError        the fact changed since the editor read it (carries both versions)
│   ├── FactNotFoundError    no current fact has that id
│   └── NotAllowedError      the identity's role does not allow this
├── RecordError              one record is invalid (names every field at fault)
└── IntakeError              a document cannot be read or taken in
"""

from __future__ import annotations


class EcomapError(Exception):
    """Base of every error Ecomap raises on purpose."""


class SettingsError(EcomapError):
    """A setting has a value Ecomap cannot use."""


class StoreUnavailableError(EcomapError):
    """The database cannot be reached or started."""


class QueryError(EcomapError):
    """The database refused or failed a query."""


class QueryTimeoutError(QueryError):
    """The query ran past its time limit."""


class QueryLimitError(QueryError):
    """The query would pass a size limit (a list too long to build), so it was not sent."""


class ReadOnlyError(QueryError):
    """A statement that writes (or reaches outside the database) was sent to the read path."""


class InvalidParameterError(EcomapError):
    """A parameter is of a type or shape Ecomap will not send to a database."""


class SavedQueryError(EcomapError):
    """A saved query file is malformed."""


class SeedError(EcomapError):
    """Seed files failed validation; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the seed files"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


class EditError(EcomapError):
    """An edit cannot be applied."""


class InvalidEditError(EditError):
    """Fields of an edit fail validation; ``problems`` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{key}: {message}" for key, message in problems.items()))


class ConflictError(EditError):
    """The fact changed since the editor read it; ``current`` is what the graph holds now."""

    def __init__(self, message: str, current: dict | None = None) -> None:
        self.current = current or {}
        super().__init__(message)


class FactNotFoundError(EditError):
    """No current entity, tie or revision has that id."""


class NotAllowedError(EditError):
    """The identity's role does not allow this action."""


class RecordError(EcomapError):
    """One record (entity, tie, source) is invalid; ``problems`` name each field."""

    def __init__(self, record_id: str | None, problems: list) -> None:
        self.record_id = record_id
        self.problems = problems
        name = f" '{record_id}'" if record_id else ""
        super().__init__(f"invalid record{name}: " + "; ".join(str(p) for p in problems))


class IntakeError(EcomapError):
    """A document cannot be read or taken in (empty, no text layer, unknown format, seen before)."""
