"""Extraction of many reports with ``dask.bag`` (the optional extra ``targets[dask]``).

Extraction is a pure function of one document: its records depend on the document's text and
on the package's data tables, never on other documents. A corpus is therefore a bag of paths
mapped through :func:`targets.extract`, each partition turned into one records frame, and the
frames concatenated. The result equals :func:`targets.frames.to_frame` over the records of
every path, in the order of the paths.

A bad document does not stop the bag. Inside the task, :class:`~targets.TargetsError`,
``OSError`` and ``ValueError`` of one document are caught and kept as a row of an errors
frame (``path``, ``doc``, ``error``, ``message``), the way ``targets extract`` reports a bad
file on one line and goes on; like the records, they cross process boundaries as plain data.
What happens to those rows is the caller's choice:

* :func:`extract_frames` returns both frames (:class:`Extraction`): the way to run a corpus;
* :func:`records_frame` returns the records frame and, with ``on_error``, warns about the
  skipped documents (``"warn"``, the default, as ``pandas.read_csv(on_bad_lines="warn")``),
  says nothing (``"skip"``), or raises a :class:`~targets.DocumentError` for the first bad
  document once the whole bag has run (``"raise"``).

Any other exception is a bug in ``targets``: it fails the computation, with a note naming
the document.

The reconciled frame of a corpus is :func:`targets.reconcile.reconcile` of the records frame;
records of a national corpus fit in memory (see ``docs/scaling.md``), so it runs locally.

Example::

    import dask.bag as db
    from targets.dask import extract_frames

    paths = db.from_sequence(sorted(map(str, Path("corpus").rglob("*.txt"))), npartitions=64)
    result = extract_frames(paths)
    result.records.to_parquet("out/records.parquet")
    result.errors.to_csv("out/unreadable.csv", index=False)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import pandas as pd

from targets.errors import DocumentError, TargetsError

if TYPE_CHECKING:
    import dask.bag

__all__ = [
    "ERROR_COLUMNS",
    "Extraction",
    "SkippedDocumentsWarning",
    "extract_bag",
    "extract_frames",
    "records_frame",
]

ERROR_COLUMNS = ["path", "doc", "error", "message"]
"""Columns of the errors frame: the path as given, its file name, the error class and the
message without the path."""

OnError = Literal["raise", "warn", "skip"]


class SkippedDocumentsWarning(UserWarning):
    """Some documents could not be read and were left out of the records frame."""


class Extraction(NamedTuple):
    """Records of the documents that could be read; one error row per document that could not."""

    records: pd.DataFrame
    errors: pd.DataFrame


def _error_row(path: str, exc: BaseException) -> dict[str, str]:
    message = str(exc)
    prefix = f"{getattr(exc, 'path', path)}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    return {"path": path, "doc": Path(path).name, "error": type(exc).__name__, "message": message}


def _extract_partition(
    paths: Iterable[str], validate: bool = True
) -> list[tuple[pd.DataFrame, list[dict[str, str]]]]:
    """One (records frame, error rows) pair for a partition of paths (the frame validated
    unless ``validate`` is false: :func:`extract_frames` validates all partitions once)."""
    from targets.extract import extract
    from targets.frames import to_frame
    from targets.models import Record

    records: list[Record] = []
    errors: list[dict[str, str]] = []
    for path in paths:
        try:
            records.extend(extract(path))
        except (TargetsError, OSError, ValueError) as exc:
            errors.append(_error_row(path, exc))
        except Exception as exc:
            exc.add_note(f"targets.dask: while extracting {path}")
            raise
    return [(to_frame(records, validate=validate), errors)]


def extract_bag(
    paths: Iterable[str | Path] | dask.bag.Bag, *, npartitions: int | None = None
) -> Any:
    """A lazy bag with one ``(records frame, error rows)`` pair per partition of ``paths``.

    For pipelines that write each partition themselves; :func:`extract_frames` computes it.

    Args:
        paths: report files, as an iterable or as a ``dask.bag.Bag`` of path strings.
        npartitions: partitions for an iterable of paths (default: dask's choice, at most
            100); ignored when ``paths`` is already a bag.

    Returns:
        A ``dask.bag.Bag``.
    """
    return _bag(paths, npartitions, validate=True)


def _bag(
    paths: Iterable[str | Path] | dask.bag.Bag, npartitions: int | None, *, validate: bool
) -> Any:
    import dask.bag as db

    if isinstance(paths, db.Bag):
        bag = paths.map(str)
    else:
        items = [str(p) for p in paths]
        if npartitions is not None:
            npartitions = max(1, min(npartitions, len(items)))
        bag = db.from_sequence(items, npartitions=npartitions)
    return bag.map_partitions(_extract_partition, validate=validate)


def extract_frames(
    paths: Iterable[str | Path] | dask.bag.Bag,
    *,
    npartitions: int | None = None,
    scheduler: str | None = None,
) -> Extraction:
    """Records of every document that could be read, and the documents that could not.

    Args:
        paths: report files, as an iterable or as a ``dask.bag.Bag`` of path strings.
        npartitions: see :func:`extract_bag`.
        scheduler: a dask scheduler name (``"sync"``, ``"threads"``, ``"processes"``) or
            ``None`` for the configured one (for bags, processes).

    Returns:
        ``Extraction(records, errors)``: a :class:`~targets.schemas.RecordFrame` equal to
        ``to_frame`` of all records in path order, and an errors frame (:data:`ERROR_COLUMNS`).
    """
    from targets.frames import to_frame
    from targets.schemas import RecordFrame, concat, validate

    source: Any = paths
    if not _is_bag(paths):
        source = [str(p) for p in paths]
        if not source:
            return Extraction(to_frame([]), pd.DataFrame(columns=ERROR_COLUMNS, dtype=object))
    # the partitions' frames are validated once, joined, not each in its worker
    parts = _bag(source, npartitions, validate=False).compute(scheduler=scheduler)
    frames = [frame for frame, _ in parts if len(frame)]
    error_rows = [row for _, rows in parts for row in rows]
    if frames:
        records = validate(concat(frames), RecordFrame, what="records frame", compact=True)
    else:
        records = to_frame([])
    errors = pd.DataFrame(error_rows, columns=ERROR_COLUMNS, dtype=object)
    return Extraction(records, errors)


def _is_bag(obj: object) -> bool:
    try:
        import dask.bag as db
    except ImportError:  # pragma: no cover - the extra is not installed
        return False
    return isinstance(obj, db.Bag)


def records_frame(
    paths: Iterable[str | Path] | dask.bag.Bag,
    *,
    npartitions: int | None = None,
    scheduler: str | None = None,
    on_error: OnError = "warn",
) -> pd.DataFrame:
    """The records frame of many reports, extracted in parallel by dask.

    Equal to ``targets.frames.to_frame`` over the records of every readable path, in order.

    Args:
        paths: report files, as an iterable or as a ``dask.bag.Bag`` of path strings.
        npartitions: see :func:`extract_bag`.
        scheduler: see :func:`extract_frames`.
        on_error: what to do about documents that cannot be read, once all others are
            extracted: ``"warn"`` (one :class:`SkippedDocumentsWarning` naming them),
            ``"skip"`` (nothing) or ``"raise"``.

    Returns:
        A :class:`~targets.schemas.RecordFrame`.

    Raises:
        DocumentError: with ``on_error="raise"``, for the first document that could not be
            read (the message counts the others).
        ValueError: ``on_error`` is not one of the three choices.
    """
    if on_error not in ("raise", "warn", "skip"):
        raise ValueError(f"on_error must be 'raise', 'warn' or 'skip', not {on_error!r}")
    records, errors = extract_frames(paths, npartitions=npartitions, scheduler=scheduler)
    if errors.empty or on_error == "skip":
        return records
    first = errors.iloc[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    if on_error == "raise":
        raise DocumentError(f"{first['error']}: {first['message']}{more}", path=first["path"])
    listed = "; ".join(f"{row.path}: {row.message}" for row in errors.head(5).itertuples())
    warnings.warn(
        f"skipped {len(errors)} document(s) that could not be read: {listed}"
        + (" ..." if len(errors) > 5 else ""),
        SkippedDocumentsWarning,
        stacklevel=2,
    )
    return records
