"""Plain text rendered from a template → an A4 PDF, with a few layout conventions.

The text is the wording; this module only lays it out:
- `# title`, `## section`: headings; `**line**`: a bold line;
- `| a | b | c |` lines: a table (the first row of a block is its header);
- `- item`: a bullet; a line indented by 20 spaces or more: the right-hand address block;
- lines starting with one of `bold_prefixes` (the letter's subject): bold.

Font: the PDF core font Helvetica with the Windows-1252 encoding, which covers French
(accents, «», œ, €). No TrueType font ships with the installed packages (Pillow's embedded
Aileron has no accented letters), and a system font would make the output depend on the
machine; characters outside Windows-1252 are transliterated (`pdf_safe`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ENCODING = "windows-1252"
FONT = "Helvetica"
RIGHT_BLOCK_INDENT = 20
_WIDTHS = {2: (3, 2), 3: (1, 2, 1), 4: (2.2, 2.6, 6.6, 2.4), 5: (2, 2.4, 5.6, 2, 2)}
_REPLACEMENTS = {"\u202f": "\xa0", "\u2009": " ", "\u2212": "-", "\u2192": "->", "\u2264": "<=",
                 "\u2265": ">=", "\u2610": "[ ]", "\u2713": "x"}


def pdf_safe(text: str) -> str:
    """Text the core font can show: Windows-1252, else a close ASCII form, else '?'."""
    out: list[str] = []
    for ch in text:
        ch = _REPLACEMENTS.get(ch, ch)
        try:
            ch.encode(ENCODING)
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


class Document(FPDF):
    """An A4 page setup with a discreet footer (page numbers only, nothing official-looking)."""

    def __init__(self, title: str, footer_label: str = "") -> None:
        super().__init__(format="A4", unit="mm")
        self.core_fonts_encoding = ENCODING
        self.footer_label = pdf_safe(footer_label)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_title(pdf_safe(title))
        self.set_creator("Relance")
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(120)
        self.cell(0, 5, f"{self.footer_label} {self.page_no()}/{{nb}}".strip(), align="R")
        self.set_text_color(0)


def render_text(pdf: Document, text: str, *, bold_prefixes: Sequence[str] = (),
                size: float = 10.5) -> None:
    """Lay out `text` (see the module docstring) on `pdf`."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|"):
            block: list[str] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            _table(pdf, [_cells(row) for row in block], size)
            continue
        _line(pdf, line, bold_prefixes, size)
        i += 1


def _line(pdf: Document, line: str, bold_prefixes: Sequence[str], size: float) -> None:
    height = size * 0.5
    stripped = line.strip()
    if not stripped:
        pdf.ln(height * 0.8)
        return
    if stripped.startswith("## "):
        _write(pdf, stripped[3:], size + 1.5, "B", height + 1, before=2)
    elif stripped.startswith("# "):
        _write(pdf, stripped[2:], size + 5, "B", height + 3)
    elif stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4:
        _write(pdf, stripped[2:-2], size, "B", height)
    elif len(line) - len(line.lstrip(" ")) >= RIGHT_BLOCK_INDENT:
        pdf.set_x(pdf.w / 2 + 10)
        _write(pdf, stripped, size, "", height, width=pdf.w / 2 - 30)
    elif stripped.startswith("- "):
        pdf.set_x(pdf.l_margin + 4)
        item = stripped[2:]
        _write(pdf, item if item.startswith("[ ]") else "\u2022 " + item, size, "", height)
    elif any(stripped.startswith(p) for p in bold_prefixes):
        _write(pdf, stripped, size, "B", height, before=1)
    else:
        _write(pdf, stripped, size, "", height)


def _write(pdf: Document, text: str, size: float, style: str, height: float, *,
           before: float = 0, width: float = 0) -> None:
    if before:
        pdf.ln(before)
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(width, height, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _table(pdf: Document, rows: Iterable[list[str]], size: float) -> None:
    rows = list(rows)
    width = max(len(r) for r in rows)
    pdf.set_font(FONT, "", size - 1.5)
    pdf.ln(1)
    widths = _WIDTHS.get(width, tuple([1] * width))
    align = tuple(["LEFT"] * (width - 1) + ["RIGHT"])
    with pdf.table(line_height=size * 0.48, padding=1.2, first_row_as_headings=True,
                   col_widths=widths, text_align=align) as table:
        for row in rows:
            cells = table.row()
            for value in row + [""] * (width - len(row)):
                cells.cell(pdf_safe(value))
    pdf.ln(1)
