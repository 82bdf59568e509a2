"""Write the seed report 000 as the formats reports are published in: a government web page
(navigation, breadcrumb, metadata table, article, footer, scripts), a Word file and a PDF
printed by a browser. The files land in ``tests/cases/formats/`` and are committed; rerun
this script only to change them (it needs python-docx and a headless Chromium).

    python tools/make_format_cases.py

The article is the report's text once (the captured ``.txt`` holds the page text twice); the
metadata lines at its head (索引号, 发布单位, 发文日期 ...) become the page's metadata table,
as on the bureau's site.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "reports" / "000_835873c35e75d7b1.txt"
OUT = ROOT / "tests" / "cases" / "formats"

NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进临安", "专题专栏"]
FOOTER = [
    "主办单位:杭州市临安区人民政府办公室 承办单位:杭州市临安区大数据发展管理局",
    "网站标识码:3301850001 浙公网安备 33018502000123号 浙ICP备05000000号-1",
    "版权所有 © 2025 杭州市临安区人民政府 技术支持:杭州某某信息技术有限公司",
]


def _article(text: str) -> tuple[list[str], str, list[str]]:
    """The metadata lines, the title and the article's paragraphs (first copy only)."""
    lines = [line.strip() for line in text.splitlines()]
    title_at = next(i for i, line in enumerate(lines) if "工作总结和" in line)
    again = next(i for i in range(title_at + 1, len(lines)) if lines[i] == lines[title_at])
    meta = [line for line in lines[:title_at] if line]
    body = [line for line in lines[title_at + 1 : again] if line]
    # the page's date/source/view-count block (日期: / 2025-03-25 09:08 / 来源: ...) stays
    # in the article header, as the site prints it
    return meta, lines[title_at], body


def write_html(meta: list[str], title: str, body: list[str]) -> Path:
    esc = html.escape
    nav = "".join(f'<li><a href="/col/{i}">{esc(n)}</a></li>' for i, n in enumerate(NAV))
    rows = "".join(f"<tr><td>{esc(m)}</td></tr>" for m in meta)
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in body)
    footer = "".join(f"<p>{esc(f)}</p>" for f in FOOTER)
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;width:900px;margin:auto}}
nav ul{{list-style:none;display:flex;gap:1em}} .meta td{{font-size:12px}}</style>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
hm.src = "https://hm.example.cn/hm.js?0000"; document.head.appendChild(hm); }})();</script>
</head><body>
<header><div class="logo">杭州市临安区人民政府</div><nav><ul>{nav}</ul></nav>
<div class="search"><input placeholder="请输入关键字"><button>搜索</button></div></header>
<div class="crumb">当前位置:<a href="/">首页</a> &gt; <a href="/col/1">政务公开</a> &gt;
<a href="/col/9">部门文件</a></div>
<main><article>
<table class="meta">{rows}</table>
<h1>{esc(title)}</h1>
<div class="content">
{paragraphs}
</div>
<div class="share">分享到:微信 微博 【打印本页】【关闭窗口】</div>
</article></main>
<footer>{footer}</footer>
<script>document.querySelectorAll(".share").forEach(function(e){{e.onclick=null;}});</script>
</body></html>
"""
    path = OUT / "000.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(meta: list[str], title: str, body: list[str]) -> Path:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for line in meta:
        document.add_paragraph(line)
    for line in body:
        document.add_paragraph(line)
    path = OUT / "000.docx"
    document.save(str(path))
    return path


def write_pdf(page: Path) -> Path:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("needs a headless Chromium (Debian package chromium)")
    path = OUT / "000.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={path}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    meta, title, body = _article(SOURCE.read_text(encoding="utf-8"))
    page = write_html(meta, title, body)
    write_docx(meta, title, body)
    write_pdf(page)
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
