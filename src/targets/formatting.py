"""Numbers as text: the one formatter of finding messages and of the report.

:func:`format_numbers` formats a column at once (Arrow text, for the finding messages of
:mod:`targets.checks`); :func:`format_number` is the same rule for one number (the report's
tables, charts and badges), with an optional thousands separator and a typographic minus.
:func:`decimals` and :func:`round_like` round a computed value to the precision of the
figures it was computed from (a value derived from 25.44 and 20.9 % is shown with two
decimals, not as 21.0475).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["SIGNIFICANT", "decimals", "format_number", "format_numbers", "round_like"]

SIGNIFICANT: Final = 6
"""Significant digits of a computed number (all digits of its integer part are kept)."""

MINUS: Final = "\u2212"
_TEXT = pa.large_string()


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def format_numbers(values: pd.Series | np.ndarray, spec: str = "g") -> pa.Array:
    """Numbers as Arrow text: ``?`` when missing, ``inf`` / ``-inf`` when infinite.

    ``g``: every digit of the integer part and at most 6 significant digits in all, in the
    shortest text that reads back as that number (16.06, 7227, 1234567, 81.3857 for a
    computed 81.385739…). ``.Nf``: N decimals (37.8, 21.0; ``.0f`` for years).
    """
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    finite = np.isfinite(x)
    if spec == "g":
        v = np.where(finite, x, 0.0)
        with np.errstate(divide="ignore"):
            magnitude = np.floor(np.log10(np.abs(v)))
        places = np.where(
            v == 0, 0, np.clip(SIGNIFICANT - 1 - np.nan_to_num(magnitude), 0, 15)
        ).astype(int)
        rounded = v.copy()
        for d in np.unique(places):  # a handful of distinct precisions
            chosen = places == d
            rounded[chosen] = np.round(v[chosen], int(d))
        text = pc.cast(pa.array(rounded + 0.0), _TEXT)
        size = np.abs(rounded)
        big = np.flatnonzero((size >= 1e10) & (size < 1e21))
        tiny = np.flatnonzero((size > 0) & (size < 1e-4))
        if len(big) or len(tiny):  # Arrow writes these with an exponent
            slow = np.asarray(text.to_pylist(), dtype=object)
            slow[big] = [f"{v:.0f}" for v in rounded[big]]  # no decimals left
            slow[tiny] = [f"{v:.15f}".rstrip("0") for v in rounded[tiny]]  # 0.0000001
            text = pa.array(slow, type=_TEXT)
    else:
        digits = int(spec.strip(".f"))
        scale = 10**digits
        scaled = np.rint(np.abs(np.where(finite, x, 0.0)) * scale)
        exact = scaled < 2.0**53
        whole = np.where(exact, scaled, 0).astype(np.int64)
        sign = np.where((x < 0) & (whole > 0), "-", "")
        text = pc.cast(pa.array(whole // scale), _TEXT)
        if digits:
            fraction = pc.utf8_lpad(pc.cast(pa.array(whole % scale), _TEXT), digits, "0")
            text = pc.binary_join_element_wise(text, _lit("."), fraction, _lit(""))
        text = pc.binary_join_element_wise(pa.array(sign, type=_TEXT), text, _lit(""))
        if not exact.all():  # beyond float precision: Python formats the few such numbers
            slow = np.asarray(text.to_pylist(), dtype=object)
            slow[~exact] = [format(v, spec) for v in x[~exact]]
            text = pa.array(slow, type=_TEXT)
    other = np.where(np.isnan(x), "?", np.where(x > 0, "inf", "-inf"))
    return pc.if_else(pa.array(finite), text, pa.array(other, type=_TEXT))


@lru_cache(maxsize=8192)
def _one(value: float, spec: str) -> str:
    return str(format_numbers(np.array([value]), spec)[0].as_py())


def format_number(
    value: float | None, spec: str = "g", *, grouping: bool = False, typographic: bool = False
) -> str:
    """One number by the rule of :func:`format_numbers` (``—`` when missing or infinite).

    Args:
        value: the number.
        spec: ``g`` or ``.Nf`` as in :func:`format_numbers`.
        grouping: thousands separators from 1,000 on (``8,500``, ``1,234.57``).
        typographic: a minus sign (``−37.7``) instead of a hyphen, and ``0`` for ``-0``.
    """
    if value is None or not math.isfinite(value):
        return "—"
    text = _one(float(value), spec)
    if grouping:
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, dot, fraction = body.partition(".")
        if len(whole) > 3 and whole.isdigit():
            text = f"{sign}{int(whole):,}{dot}{fraction}"
    if typographic:
        if text.strip("-0.") == "":
            return "0"
        text = text.replace("-", MINUS)
    return text


def decimals(value: float, *, limit: int = 6) -> int:
    """The decimals a figure is written with: 16.06 → 2, 750 → 0, 3.5 → 1 (at most ``limit``)."""
    if not math.isfinite(value):
        return 0
    for places in range(limit + 1):
        if abs(round(value, places) - value) <= 1e-9 * max(1.0, abs(value)):
            return places
    return limit


def round_like(value: float, inputs: Iterable[float]) -> float:
    """``value`` rounded to the most decimals among ``inputs`` (the figures it was computed
    from): a value derived from 25.44 and 20.9 gives 21.05, not 21.0475. Unchanged when there
    are no inputs."""
    places = [decimals(v) for v in inputs if math.isfinite(v)]
    return round(value, max(places)) if places else value
