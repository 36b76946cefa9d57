"""Ageing chart: what is owed by days late (0–30, 31–60, 61–90, over 90), a PNG drawn with
Pillow. Labels come from `templates/documents/<lang>/labels.txt.j2`.

Font: Pillow's built-in font (Aileron, FreeType) — the only one every install has. It has no
accented letters and no €: labels are shown without accents and amounts with "EUR".
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont
from sqlmodel import Session

from actions.context import ActionContext
from actions.documents.labels import labels, language
from domain.ledger import overdue_invoices
from domain.money import ZERO

WIDTH, HEIGHT = 800, 480
BUCKET_LIMITS = (30, 60, 90)  # upper bounds of the first three buckets, in days late
COLOURS = ("#f2c14e", "#f08a4b", "#d1495b", "#8c2f39")
_FONT_CHARS = frozenset(chr(c) for c in range(32, 127)) | set("«»°±·‘’“”…")


@dataclass(frozen=True)
class Bucket:
    amount: Decimal
    count: int


def ageing_buckets(amounts_by_days: list[tuple[int, Decimal]]) -> list[Bucket]:
    """(days late, amount due) pairs → four buckets; amounts summed."""
    sums = [ZERO] * 4
    counts = [0] * 4
    for days, amount in amounts_by_days:
        index = next((i for i, limit in enumerate(BUCKET_LIMITS) if days <= limit), 3)
        sums[index] += amount
        counts[index] += 1
    return [Bucket(a, c) for a, c in zip(sums, counts, strict=True)]


def drawable(text: str) -> str:
    """`text` with only the characters the built-in font has (accents dropped, € → EUR)."""
    text = text.replace("€", "EUR").replace("\u202f", " ").replace("\xa0", " ")
    text = text.replace("–", "-").replace("—", "-")
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if ch in _FONT_CHARS)


def _money(value: Decimal, lang: str) -> str:
    whole = f"{value:,.0f}"
    return (whole.replace(",", " ") + " EUR") if lang == "fr" else ("EUR " + whole)


def ageing_png(ctx: ActionContext, session: Session, owner_id: int, today: date,
               lang: str) -> bytes:
    """The owner's overdue invoices on `today`, by days late, as PNG bytes (800 × 480)."""
    lang = language(lang)
    rows = overdue_invoices(session, owner_id, today)
    buckets = ageing_buckets([(r.days_late, r.amount_due) for r in rows])
    return draw_chart(buckets, labels(ctx, lang).chart, today, lang)


def draw_chart(buckets: list[Bucket], words: dict[str, object], today: date, lang: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    title_font = ImageFont.load_default(size=22)
    font = ImageFont.load_default(size=15)
    as_of = today.strftime("%d/%m/%Y") if lang == "fr" else today.isoformat()
    pen.text((30, 20), drawable(f"{words['title']} ({words['as_of']} {as_of})"),
             fill="black", font=title_font)
    left, right, top, bottom = 70, WIDTH - 40, 90, HEIGHT - 80
    pen.line([(left, bottom), (right, bottom)], fill="#444", width=2)
    highest = max((b.amount for b in buckets), default=ZERO)
    if highest <= 0:
        pen.text((left + 20, (top + bottom) // 2), drawable(str(words["empty"])),
                 fill="#444", font=font)
    slot = (right - left) / len(buckets)
    names = list(words["buckets"])  # type: ignore[call-overload]
    for i, (bucket, colour) in enumerate(zip(buckets, COLOURS, strict=True)):
        x0 = left + i * slot + slot * 0.18
        x1 = left + (i + 1) * slot - slot * 0.18
        height = 0 if highest <= 0 else float(bucket.amount / highest) * (bottom - top - 40)
        if height:
            pen.rectangle([(x0, bottom - height), (x1, bottom - 1)], fill=colour)
        noun = words["invoice"] if bucket.count == 1 else words["invoices"]
        caption = f"{_money(bucket.amount, lang)} ({bucket.count} {noun})"
        _centred(pen, drawable(caption), (x0 + x1) / 2, bottom - height - 24, font)
        _centred(pen, drawable(str(names[i])), (x0 + x1) / 2, bottom + 12, font)
    _centred(pen, drawable(str(words["axis"])), (left + right) / 2, bottom + 42, font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _centred(pen: ImageDraw.ImageDraw, text: str, x: float, y: float,
             font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> None:
    width = pen.textlength(text, font=font)
    pen.text((x - width / 2, y), text, fill="black", font=font)
