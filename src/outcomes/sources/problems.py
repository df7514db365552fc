"""Problems found while reading a dataset, collected and raised together.

Every problem names the file, the row or line, the field and a plain-English fix, so that a
performance officer can correct a spreadsheet without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    location: str  # "row 12", "line 40", "sheet Observations cell C12", "" for the whole file
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.location) if part)
        what = f" [{self.field}]" if self.field else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{what}: {self.message}{fix}"

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "location": self.location,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }


class DatasetError(Exception):
    """The dataset cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.summary())

    def summary(self) -> str:
        head = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} in {self.source or 'the dataset'}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


@dataclass
class Problems:
    """A collector: add problems as you go, then :meth:`raise_if_any`."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, location: str, field_name: str, message: str, fix: str = "") -> None:
        self.items.append(Problem(file, location, field_name, message, fix))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self, *, source: str = "") -> None:
        if self.items:
            raise DatasetError(self.items, source=source)
