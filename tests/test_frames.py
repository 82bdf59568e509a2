from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets.errors import SchemaError
from targets.frames import from_frame, record_rows, rows_frame, to_frame, unit_factors
from targets.io import read_frame, write_frame
from targets.strategies import actuals, targets

# a frame holds each record once (RecordFrame refuses a repeated record)
records = st.lists(
    st.one_of(targets(), actuals()), min_size=1, max_size=8, unique_by=lambda r: r.record_id
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(records, st.sampled_from(["csv", "jsonl", "parquet"]))
def test_frame_files_round_trip(tmp_path: Path, recs: list, fmt: str) -> None:
    frame = to_frame(recs)
    path = write_frame(frame, tmp_path / f"records.{fmt}")
    back = read_frame(path)
    pd.testing.assert_frame_equal(frame, back, check_dtype=False)
    assert from_frame(back) == recs


def test_seed_records_round_trip(tmp_path: Path, seed_records: dict) -> None:
    recs = [r for rs in seed_records.values() for r in rs]
    frame = to_frame(recs)
    for fmt in ("csv", "jsonl", "parquet"):
        back = read_frame(write_frame(frame, tmp_path / f"x.{fmt}"))
        assert from_frame(back) == recs


def test_rows_of_many_reports_make_the_frame_of_all_records(seed_records: dict) -> None:
    """The CLI and workers ship plain rows and build one frame: the same frame, dtypes and
    categories included, as to_frame of all records (and one frame per report, joined)."""
    recs = [r for rs in seed_records.values() for r in rs]
    rows = [row for rs in seed_records.values() for row in record_rows(rs)]
    pd.testing.assert_frame_equal(rows_frame(rows), to_frame(recs))
    raw = rows_frame(rows, validate=False)
    pd.testing.assert_frame_equal(raw, to_frame(recs, validate=False))
    assert str(raw["period_start"].dtype) == "datetime64[s]"
    pd.testing.assert_frame_equal(rows_frame([]), to_frame([]))


def test_base_value_is_exact_for_decimal_figures(seed_records: dict) -> None:
    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    row = frame[(frame.indicator == "tech_transaction_volume") & (frame.kind == "actual")].iloc[0]
    assert row.base_value == 1_606_000_000.0
    assert row.base_unit == "元"
    assert row.unit == "亿元"


def test_missing_column_is_one_clear_error(tmp_path: Path, seed_records: dict) -> None:
    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"]).drop(columns=["unit"])
    path = tmp_path / "broken.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(SchemaError, match="unit") as info:
        read_frame(path)
    assert "broken.csv" in str(info.value)


def test_wrong_type_lists_the_failing_cells(tmp_path: Path, seed_records: dict) -> None:
    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    frame["value"] = frame["value"].astype(object)
    frame.loc[3, "value"] = "很多"
    path = tmp_path / "broken.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(SchemaError, match="很多") as info:
        read_frame(path)
    assert info.value.failure_cases is not None


def test_a_cell_of_the_wrong_type_is_one_problem(tmp_path: Path, seed_records: dict) -> None:
    """pandera reports a cell that cannot be converted twice (coerce_dtype and dtype), and the
    range checks of the unconverted column as failing with a TypeError: one line per cell."""
    from targets.schemas import RecordFrame, validate

    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    frame["year"] = frame["year"].astype(str)
    frame.loc[[3, 7], "year"] = ["明年", "二〇二五"]
    with pytest.raises(SchemaError) as info:
        validate(frame, RecordFrame)
    assert str(info.value).splitlines()[1:] == [
        "  year: '明年' is not int64 (row 3)",
        "  year: '二〇二五' is not int64 (row 7)",
    ]
    assert "(2 problems)" in str(info.value)
    assert len(info.value.failure_cases) > 2  # pandera's own cases are all kept


def test_a_cell_of_the_wrong_type_in_a_file_names_its_excel_row(
    tmp_path: Path, seed_records: dict
) -> None:
    """Read from a file, the same cells are said in one line on the spreadsheet's rows (the
    header is row 1: frame row 3 is row 5); ``failure_cases`` lists both."""
    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    frame["year"] = frame["year"].astype(str)
    frame.loc[[3, 7], "year"] = ["明年", "二〇二五"]
    path = tmp_path / "broken.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(SchemaError) as info:
        read_frame(path)
    assert str(info.value) == (
        f"{path}, row 5, column year: '明年' is not a year (and 1 more problem)"
    )
    assert info.value.failure_cases["row"].tolist() == [5, 9]


def test_unit_factors_one_lookup_per_unit() -> None:
    factors, bases, dims = unit_factors(pd.Series(["亿元", "万元", "家", "亿元", ""]))
    assert factors.tolist() == [1e8, 1e4, 1.0, 1e8, 1.0]
    assert bases.tolist() == ["元", "元", "家", "元", ""]
    assert dims.tolist()[0] == "[money]"


def test_validation_coerces_a_copy_and_leaves_the_input_alone(seed_records: dict) -> None:
    """validate() coerces into a shallow copy: the caller's frame keeps its own types and
    values, and columns that already have their type are shared, not duplicated."""
    from targets.schemas import RecordFrame, validate

    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    frame["year"] = frame["year"].astype("int32")  # coerced to int64 by the schema
    frame["value"] = frame["value"].astype(object)  # coerced to float64
    before = frame.copy()
    valid = validate(frame, RecordFrame)
    assert valid["year"].dtype == "int64"
    assert valid["value"].dtype == "float64"
    assert frame["year"].dtype == "int32"
    assert frame["value"].dtype == object
    pd.testing.assert_frame_equal(frame, before)
    assert np.shares_memory(valid["base_value"].to_numpy(), frame["base_value"].to_numpy())


def test_few_valued_text_columns_are_categoricals_in_text_order(seed_records: dict) -> None:
    """Whatever form the text columns come in (plain text, categoricals with unsorted or
    unused categories, numbers), validation gives categoricals of text in text order; a
    returned frame has exactly the categories it uses."""
    from targets.schemas import RecordFrame, validate

    frame = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    assert list(frame["kind"].cat.categories) == ["actual", "target"]
    assert list(frame["comparator"].cat.categories) == sorted(set(frame["comparator"]))
    assert frame["quote"].dtype == "str"
    messy = frame.astype({"doc": str, "unit": str})
    messy["kind"] = messy["kind"].cat.set_categories(["target", "forecast", "actual", "x"])
    messy["year"] = messy["year"].astype(str)
    compact = validate(messy, RecordFrame, compact=True)
    pd.testing.assert_frame_equal(compact, frame)
    kept = validate(messy, RecordFrame)
    assert list(kept["kind"].cat.categories) == ["actual", "forecast", "target", "x"]
    assert (kept["kind"].astype(str) == frame["kind"].astype(str)).all()
    numbers = frame.assign(issuer=pd.Categorical([7] * len(frame)))
    assert set(validate(numbers, RecordFrame)["issuer"]) == {"7"}
    empty = to_frame([])
    assert len(empty) == 0
    assert isinstance(empty["unit"].dtype, pd.CategoricalDtype)
    assert len(validate(empty.astype({"unit": float}), RecordFrame)) == 0


def test_concat_keeps_categoricals_over_the_union_of_categories(seed_records: dict) -> None:
    from targets.schemas import concat

    first = to_frame(seed_records["000_835873c35e75d7b1.txt"])
    second = to_frame(seed_records["004_fc67e6954e58fea0.txt"])
    assert set(first["unit"].cat.categories) != set(second["unit"].cat.categories)
    joined = concat([first, second])
    assert isinstance(joined["unit"].dtype, pd.CategoricalDtype)
    assert list(joined.columns) == list(first.columns)
    assert joined.index.equals(pd.RangeIndex(len(first) + len(second)))
    plain = pd.concat([first, second], ignore_index=True)
    assert joined["unit"].astype(str).tolist() == plain["unit"].astype(str).tolist()
    assert list(joined["unit"].cat.categories) == sorted(set(plain["unit"].astype(str)))
