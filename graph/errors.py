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


class RecordError(EcomapError):
    """One record (entity, tie, source) is invalid; ``problems`` name each field."""

    def __init__(self, record_id: str | None, problems: list) -> None:
        self.record_id = record_id
        self.problems = problems
        name = f" '{record_id}'" if record_id else ""
        super().__init__(f"invalid record{name}: " + "; ".join(str(p) for p in problems))


class IntakeError(EcomapError):
    """A document cannot be read or taken in (empty, no text layer, unknown format, seen before)."""
