"""Errors raised by ``targets``.

Every error derives from :class:`TargetsError`, and each concrete error also derives from the
builtin it resembles, so ``except ValueError`` keeps working for callers who do not know us.
An inconsistency *in the data* (a target below its baseline, say) is never an exception: it is
a finding row (see :mod:`targets.checks`).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CatalogueError",
    "DependencyError",
    "DocumentError",
    "EncodingError",
    "FileError",
    "ManifestError",
    "ParseError",
    "SchemaError",
    "TargetsError",
    "UnitError",
]


def _rebuild(cls: type[TargetsError], message: str, kwargs: dict[str, Any]) -> TargetsError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    for key, value in kwargs.items():
        setattr(error, key, value)
    return error


class TargetsError(Exception):
    """Base class of every error raised by this package.

    Errors pickle with their attributes (``path``, ``unit``, ...), so that an error raised in a
    worker process reaches the parent intact.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in vars(self).items() if not k.startswith("__")}
        return (_rebuild, (type(self), str(self), state))


class UnitError(TargetsError, ValueError):
    """An unknown unit, or a conversion between incompatible units (家 to 亿元, % to 个百分点)."""

    def __init__(self, message: str, *, unit: str | None = None) -> None:
        super().__init__(message)
        self.unit = unit


class ParseError(TargetsError, ValueError):
    """Text that does not parse as a target or a number. ``text`` is the offending input."""

    def __init__(self, message: str, *, text: str) -> None:
        super().__init__(f"{message}: {text!r}")
        self.text = text


class CatalogueError(TargetsError, ValueError):
    """A malformed resource table (indicator catalogue or unit definitions)."""

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line


class FileError(TargetsError, OSError):
    """A file that cannot be read or written: missing, a folder where a file is wanted, a
    format we do not read, a parent that is a file. ``path`` names it."""

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class DocumentError(FileError):
    """A report that cannot be read: missing, a directory, binary, or empty."""


class ManifestError(TargetsError, ValueError):
    """A folder's MANIFEST.csv that cannot be read (a missing column, a bad year, a file
    listed twice); the message names the manifest and its row."""

    def __init__(self, message: str, *, path: str, row: int | None = None) -> None:
        where = f"{path}, row {row}" if row is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.row = row


class EncodingError(DocumentError, UnicodeError):
    """A report in an encoding we do not recognise (we read UTF-8, UTF-8 with BOM, GB18030/GBK)."""


class DependencyError(TargetsError, ImportError):
    """An optional library a feature needs is not installed; the message says which extra to
    install (``pip install 'targets[formats]'``)."""


class SchemaError(TargetsError, ValueError):
    """A frame that does not satisfy its schema; ``failure_cases`` lists the failing cells."""

    def __init__(self, message: str, *, failure_cases: object = None) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases
