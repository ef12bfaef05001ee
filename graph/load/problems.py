"""Problems found in a spreadsheet, each with the sheet, row and column it is about."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graph.errors import EcomapError


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (sheet, row, column; row and column may be unknown) and why."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class SpreadsheetError(EcomapError):
    """A spreadsheet cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the spreadsheet"
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {count - 50} more" if count > 50 else ""
        super().__init__(f"{head}:\n{shown}{more}")
