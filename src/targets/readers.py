"""Reading report files: the bytes of a ``.txt``, ``.html``, ``.docx`` or ``.pdf`` to the text
that is extracted.

:func:`read_text` is the one call that gives a file's text; every quote of the records of a
file is ``read_text(path)[start:end]``. Plain text is decoded (UTF-8, UTF-8 with BOM, UTF-16,
GB18030/GBK). The other formats need the ``formats`` extra (``pip install 'targets[formats]'``):

* HTML: the page's main text by trafilatura (navigation, scripts, share buttons and footers
  dropped; tables kept, one cell per line as a copied page gives them).
* ``.docx``: paragraphs and table cells in document order by python-docx.
* PDF: the text layer by pdfminer.six; the lines a page wraps are joined back into their
  paragraph and the radical code points browser-printed PDFs use (``⼈⺠`` for 人民) are
  repaired. A scanned PDF without a text layer is refused with a message saying so.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path

from targets.errors import DependencyError, DocumentError, EncodingError

__all__ = [
    "REPORT_SUFFIXES",
    "check_path",
    "decode",
    "read_text",
    "refusal",
    "repair_radicals",
    "report_format",
]

REPORT_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
"""File suffixes read as reports, and the format each names."""

_REFUSED = {
    ".doc": "an old Word .doc file: save it as .docx or PDF",
    ".wps": "a WPS file: save it as .docx or PDF",
    ".xls": "a spreadsheet, not a report",
    ".xlsx": "a spreadsheet, not a report (a table of figures is read as observations)",
    ".jpg": "an image: run OCR first and give the text",
    ".jpeg": "an image: run OCR first and give the text",
    ".png": "an image: run OCR first and give the text",
}
_EXTRA = "pip install 'targets[formats]'"


def report_format(path: str | Path) -> str | None:
    """``text``, ``html``, ``docx`` or ``pdf`` for a file of that suffix, else ``None``."""
    return REPORT_SUFFIXES.get(Path(path).suffix.lower())


def refusal(path: str | Path) -> str:
    """Why a file of this suffix is not read as a report (for a folder's list of skipped files)."""
    return _REFUSED.get(Path(path).suffix.lower(), "not a report format (.txt .html .docx .pdf)")


_MAX_PATH = 4096  # PATH_MAX on Linux, and NAME_MAX for one part: a longer string is no path
_MAX_NAME = 255
_TEXT_LIKE = re.compile(r"[\n\r\x00\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_TEXT_HINT = "no such file (to read report text from a string, use targets.extract_text(text))"


def check_path(source: str | Path) -> Path:
    """``source`` as the path of an existing regular file.

    A string that is no file and reads like text (a line break, Chinese characters, longer
    than any path) gets a hint to call :func:`targets.extract_text` instead.

    Raises:
        DocumentError: no such file, a directory, or not a regular file.
    """
    if isinstance(source, str):
        shown = source if len(source) <= 60 else source[:40] + "…"
        impossible = (
            "\x00" in source
            or len(source) > _MAX_PATH
            or any(len(part) > _MAX_NAME for part in re.split(r"[/\\]", source))
        )
        if impossible or ("\n" in source and not Path(source).exists()):
            raise DocumentError(_TEXT_HINT, path=repr(shown) if "\n" in shown else shown)
    path = Path(source)
    if not path.exists():
        text_like = isinstance(source, str) and _TEXT_LIKE.search(source) is not None
        raise DocumentError(_TEXT_HINT if text_like else "no such file", path=str(source))
    if path.is_dir():
        raise DocumentError("is a directory, not a report file", path=str(source))
    if not path.is_file():
        raise DocumentError("not a regular file (a pipe or device?)", path=str(source))
    return path


def read_text(path: str | Path) -> str:
    """The text of a report file, as extraction reads it.

    Raises:
        DocumentError: the file is missing, a folder, empty, of a format we do not read, a
            binary file given as text, or a PDF without a text layer.
        EncodingError: a text file in an encoding we do not recognise.
        DependencyError: an HTML, Word or PDF file without the ``formats`` extra installed.
    """
    source = check_path(path)
    name = str(path)
    kind = report_format(source) or "text"
    if source.suffix.lower() in _REFUSED:
        raise DocumentError(refusal(source), path=name)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", path=name) from exc
    if kind == "text" and _sniff(data) != "text":
        kind = _sniff(data)  # a page or a PDF saved under another suffix
    if kind == "html":
        text = _html_text(data, name)
    elif kind == "docx":
        text = _docx_text(data, name)
    elif kind == "pdf":
        text = _pdf_text(data, name)
    else:
        text = decode(data, name=name)
    if not text.strip():
        raise DocumentError("empty report (no text)", path=name)
    return text


def _sniff(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if head.startswith(b"pk\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _missing(what: str, name: str, exc: ImportError) -> DependencyError:
    return DependencyError(f"{name}: reading {what} needs the formats extra: {_EXTRA} ({exc.name})")


def _html_text(data: bytes, name: str) -> str:
    try:
        import trafilatura
    except ImportError as exc:
        raise _missing("HTML pages", name, exc) from None
    text = trafilatura.extract(
        data,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not text:  # no main text found (a bare fragment): all the page's text
        text = trafilatura.html2txt(data)
    return _table_cells(text or "")


def _table_cells(text: str) -> str:
    """trafilatura writes a table row as ``| a | b |``; a copied page gives one cell per line,
    as the table reader expects."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if set("".join(cells)) <= set("-: "):
                continue  # a markdown rule under a header row
            out.extend(c for c in cells if c)
        else:
            out.append(line)
    return "\n".join(out)


def _docx_text(data: bytes, name: str) -> str:
    try:
        import docx
        from docx.table import Table
    except ImportError as exc:
        raise _missing("Word files", name, exc) from None
    import io
    import zipfile

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"not a readable .docx file ({exc})", path=name) from None
    lines: list[str] = []

    def cells(table: Table) -> None:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell repeats across the row
                    continue
                seen.add(id(cell._tc))
                for inner in cell.iter_inner_content():
                    if isinstance(inner, Table):
                        cells(inner)
                    elif inner.text.strip():
                        lines.append(inner.text)

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            cells(block)
        else:
            lines.append(block.text)
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _radicals() -> dict[int, str]:
    text = resources.files("targets.resources").joinpath("radicals.tsv").read_text("utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            radical, ideograph = line.split("\t")
            table[ord(radical)] = ideograph
    for code in range(0x2F00, 0x2FD6):  # Kangxi radicals: their NFKC form
        table[code] = unicodedata.normalize("NFKC", chr(code))
    return table


def repair_radicals(text: str) -> str:
    """``text`` with the radical code points a PDF font maps ideographs to replaced by the
    ideographs (``⼈⺠政府`` → ``人民政府``)."""
    return text.translate(_radicals())


def _pdf_text(data: bytes, name: str) -> str:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
    except ImportError as exc:
        raise _missing("PDF files", name, exc) from None
    import io

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's
    lines: list[tuple[float, float, float, str]] = []  # x0, x1, height, text
    pages = 0
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            pages += 1
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                for line in element:
                    if isinstance(line, LTTextLine):
                        text = line.get_text().rstrip("\n")
                        lines.append((line.x0, line.x1, line.height, text))
            lines.append((0.0, 0.0, 0.0, "\f"))  # a page break
    except (PDFSyntaxError, PSException, ValueError, TypeError, KeyError) as exc:
        raise DocumentError(f"not a readable PDF ({exc})", path=name) from None
    except Exception as exc:  # pdfminer raises its own hierarchy for encrypted files
        if type(exc).__module__.startswith("pdfminer"):
            raise DocumentError(f"not a readable PDF ({type(exc).__name__})", path=name) from None
        raise
    if not any(t.strip() and t != "\f" for _, _, _, t in lines):
        raise DocumentError(
            f"a PDF without a text layer ({pages} pages of images, a scan?): run OCR on it "
            "first and give the text",
            path=name,
        )
    return repair_radicals(_paragraphs(lines))


def _paragraphs(lines: list[tuple[float, float, float, str]]) -> str:
    """Join the lines a page wrapped back into their paragraph: a line that reaches the right
    edge of the text continues on the next line of the same font size (across a page break
    too); a line that ends a sentence, a heading in a larger font, or a short line ends it."""
    kept = [(x0, x1, h, t.strip()) for x0, x1, h, t in lines if t != "\f" and t.strip()]
    if not kept:
        return ""
    right = max(x1 for _, x1, _, _ in kept)
    out: list[str] = [kept[0][3]]
    for (_, x1, height, text), (_, _, next_height, next_text) in itertools.pairwise(kept):
        same_size = abs(next_height - height) <= 0.15 * max(height, 1.0)
        full = x1 >= right - 2.5 * max(height, 1.0)
        if full and same_size and not text.endswith(("。", "：", ":", "！", "？")):
            out[-1] += next_text
        else:
            out.append(next_text)
    return "\n".join(out) + "\n"


def decode(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 (Windows "Unicode"), else
    GB18030 (a superset of GBK).

    Raises:
        DocumentError: the bytes are binary (NUL bytes) or empty after decoding.
        EncodingError: neither UTF-8 nor GB18030 gives plausible Chinese text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"{_bad_bytes(exc)} after a UTF-16 byte-order mark; re-save the file as UTF-8",
                path=name,
            ) from exc
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise DocumentError("binary file (NUL bytes), not a text report", path=name)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"{_bad_bytes(exc, skipped=3)} after a UTF-8 byte-order mark; "
                "re-save the file as UTF-8",
                path=name,
            ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        not_utf8 = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not UTF-8 ({_bad_bytes(not_utf8)}) and not GB18030/GBK text; "
            "re-save the file as UTF-8",
            path=name,
        ) from exc
    if not _plausible_chinese(text):
        raise EncodingError(
            "decodes as GB18030 only into unlikely characters; re-save the file as UTF-8",
            path=name,
        )
    return text


def _bad_bytes(exc: UnicodeDecodeError, *, skipped: int = 0) -> str:
    """Where decoding failed, as an offset into the file (``skipped`` bytes were not decoded):
    ``bad byte 0xff at offset 1234``."""
    bad = exc.object[exc.start : min(exc.end, exc.start + 4)]
    shown = " ".join(f"0x{b:02x}" for b in bad)
    return f"bad byte{'s' if len(bad) > 1 else ''} {shown} at offset {exc.start + skipped}"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark, if the bytes read as plausible text."""
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        controls = any(ord(c) < 32 and c not in "\n\r\t" for c in text[:20000])
        if text.strip() and not controls and _plausible_chinese(text):
            return text
    return None


def _plausible_chinese(text: str) -> bool:
    sample = text[:20000]
    if not sample.strip():
        return True
    common = sum(
        1
        for ch in sample
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
    )
    return common / len(sample) >= 0.9
