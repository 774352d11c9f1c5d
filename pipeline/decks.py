"""Stage `deck`: one 16:9 PowerPoint deck per session, with speaker notes, from the curriculum.

Every slide is drawn on the theme's "Title Only" layout (its title placeholder keeps the deck's
outline and accessibility), with the body laid out here. Every text run names the course font in
both the Latin and the East Asian slot (`a:latin`, `a:ea`), so Hangul renders in LibreOffice,
Keynote and PowerPoint alike. Text is measured before it is placed (see `pipeline.textfit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from pipeline import atomic, equations, metrictext, schema, textfit
from pipeline.errors import SlideOverflowError
from pipeline.words import words_for

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 16:9, 13.333 x 7.5 in
MARGIN = Inches(0.6)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(0.95)
BODY_TOP = Inches(1.35)
BODY_HEIGHT = SLIDE_HEIGHT - BODY_TOP - Inches(0.45)
BODY_WIDTH = SLIDE_WIDTH - 2 * MARGIN
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x5c, 0x67, 0x7d)
BODY_LARGEST, BODY_SMALLEST = 28.0, 14.0
EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
# A bullet slide whose text would have to shrink below this is split into continuation slides.
SPLIT_BELOW = 18.0


@dataclass
class DeckContext:
    """What every slide drawer needs: fonts, colours, media and the build's metrics."""

    font: str
    accent: RGBColor
    session: str
    figures: dict[str, Path]
    figure_alt: dict[str, str]
    figure_caption: dict[str, str]
    animations: dict[str, tuple[Path, Path]]  # id -> (mp4, poster)
    animation_alt: dict[str, str]
    animation_caption: dict[str, str]
    metrics: dict[str, dict[str, float]]
    warnings: list[str]
    language: str = "ko"

    def label(self, name: str) -> str:
        return words_for(self.language)[name]

    def text(self, value: str) -> str:
        """Curriculum text with build metrics filled in; everything else stays as written."""
        return metrictext.substitute(value, self.metrics)


# --- text -------------------------------------------------------------------------------------


def set_run_font(run: Any, font: str, size: float | None = None, bold: bool | None = None,
                 color: RGBColor | None = None) -> None:
    """Name the font in the Latin, East Asian and complex-script slots of a run."""
    run.font.name = font
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    properties = run._r.get_or_add_rPr()
    for slot in ("a:ea", "a:cs"):
        element = properties.find(qn(slot))
        if element is None:
            element = etree.SubElement(properties, qn(slot))
        element.set("typeface", font)
    # a:latin must precede a:ea and a:cs in the schema's order.
    latin = properties.find(qn("a:latin"))
    if latin is not None:
        properties.remove(latin)
        properties.insert(_first_font_slot_index(properties), latin)


def _first_font_slot_index(properties: Any) -> int:
    for index, child in enumerate(properties):
        if child.tag in (qn("a:ea"), qn("a:cs"), qn("a:sym"), qn("a:hlinkClick")):
            return index
    return len(properties)


def add_runs(paragraph: Any, text: str, font: str, size: float, color: RGBColor = INK,
             bold: bool = False) -> None:
    """Add `text` to a paragraph; `**...**` spans become bold runs."""
    position = 0
    for match in EMPHASIS.finditer(text):
        if match.start() > position:
            set_run_font(_run(paragraph, text[position:match.start()]), font, size, bold, color)
        set_run_font(_run(paragraph, match.group(1)), font, size, True, color)
        position = match.end()
    if position < len(text) or not text:
        set_run_font(_run(paragraph, text[position:]), font, size, bold, color)


def _run(paragraph: Any, text: str) -> Any:
    run = paragraph.add_run()
    run.text = text
    return run


def plain(text: str) -> str:
    return EMPHASIS.sub(r"\1", text)


def flatten_bullets(items: list[Any], context: DeckContext, level: int = 0) -> list[textfit.Paragraph]:
    paragraphs: list[textfit.Paragraph] = []
    for item in items:
        if isinstance(item, str):
            paragraphs.append(textfit.Paragraph(context.text(item), level))
        else:
            paragraphs.append(textfit.Paragraph(context.text(item.text), level))
            paragraphs.extend(flatten_bullets(item.children, context, level + 1))
    return paragraphs


def fixed_box(slide: Any, left: int, top: int, width: int, height: int, wrap: bool = True) -> Any:
    """A text box that keeps the size the layout gave it (no renderer resizes or re-centres it)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    box.text_frame.word_wrap = wrap
    return box


def add_text_box(slide: Any, left: int, top: int, width: int, height: int, paragraphs: list[textfit.Paragraph],
                 context: DeckContext, slide_number: int, largest: float = BODY_LARGEST,
                 smallest: float = BODY_SMALLEST, bullets: bool = True, align: Any = PP_ALIGN.LEFT,
                 color: RGBColor = INK, anchor: Any = MSO_ANCHOR.TOP) -> Any:
    """A text box whose font size is the largest at which its text fits; an error if none does."""
    indent = 18.0 if bullets else 0.0
    inner_width = Emu(width).pt - 14.4
    inner_height = Emu(height).pt - 7.2
    size = textfit.fitting_size([textfit.Paragraph(plain(p.text), p.level, p.bold) for p in paragraphs],
                                context.font, inner_width, inner_height, largest, smallest, indent=indent)
    if size is None:
        raise SlideOverflowError(context.session, slide_number,
                                 f"text does not fit even at {smallest}pt; shorten it or split the slide")
    box = fixed_box(slide, left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Pt(7.2)
    frame.margin_top = frame.margin_bottom = Pt(3.6)
    for index, paragraph in enumerate(paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        target.alignment = align
        paragraph_size = size * (0.88 ** paragraph.level)
        target.space_after = Pt(paragraph_size * 0.35)
        target.line_spacing = Pt(paragraph_size * textfit.LINE_SPACING)
        if bullets:
            _bullet(target, paragraph.level, indent, context)
        add_runs(target, paragraph.text, context.font, paragraph_size, color, paragraph.bold)
    return box


def _bullet(paragraph: Any, level: int, indent: float, context: DeckContext) -> None:
    """A real bullet (not a typed character), indented by level."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(int(Pt(indent * (level + 1)))))
    properties.set("indent", str(int(-Pt(indent))))
    font = etree.SubElement(properties, qn("a:buFont"))
    font.set("typeface", "Arial")
    character = etree.SubElement(properties, qn("a:buChar"))
    character.set("char", "•" if level == 0 else "–")


# --- slides -----------------------------------------------------------------------------------


def _layout(presentation: Any) -> Any:
    """The theme's title-only layout, or the layout with the fewest placeholders."""
    for layout in presentation.slide_layouts:
        if layout.name.lower() in {"title only", "제목만"}:
            return layout
    return min(presentation.slide_layouts, key=lambda layout: len(layout.placeholders))


def _title(slide: Any, text: str, context: DeckContext, slide_number: int) -> None:
    title_shape = slide.shapes.title
    if title_shape is None:
        title_shape = fixed_box(slide, MARGIN, TITLE_TOP, BODY_WIDTH, TITLE_HEIGHT)
    title_shape.left, title_shape.top, title_shape.width, title_shape.height = (
        MARGIN, TITLE_TOP, BODY_WIDTH, TITLE_HEIGHT)
    frame = title_shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    size = textfit.fitting_size([textfit.Paragraph(plain(text), bold=True)], context.font,
                                Emu(BODY_WIDTH).pt - 14.4, Emu(TITLE_HEIGHT).pt - 7.2, 34, 20)
    if size is None:
        raise SlideOverflowError(context.session, slide_number, "title is too long for one slide title")
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    add_runs(paragraph, text, context.font, size, context.accent, bold=True)
    rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, TITLE_TOP + TITLE_HEIGHT + Inches(0.02),
                                  Inches(1.2), Inches(0.06))
    rule.fill.solid()
    rule.fill.fore_color.rgb = context.accent
    rule.line.fill.background()


def add_picture_fitted(slide: Any, image: Path, left: int, top: int, width: int, height: int, alt: str) -> Any:
    """Place an image as large as fits the box, centred, keeping its aspect ratio, with alt text."""
    from PIL import Image

    with Image.open(image) as opened:
        pixel_width, pixel_height = opened.size
    scale = min(width / pixel_width, height / pixel_height)
    shown_width, shown_height = int(pixel_width * scale), int(pixel_height * scale)
    picture = slide.shapes.add_picture(str(image), left + (width - shown_width) // 2,
                                       top + (height - shown_height) // 2, shown_width, shown_height)
    set_alt_text(picture, alt)
    return picture


def _scaled_size(image: Path, width: int, height: int, inches_per_pixel: float) -> tuple[int, int]:
    """The image's size at a fixed scale (so every equation's type matches), shrunk only to fit the box."""
    from PIL import Image

    with Image.open(image) as opened:
        pixel_width, pixel_height = opened.size
    scale = min(Inches(inches_per_pixel), width / pixel_width, height / pixel_height)
    return int(pixel_width * scale), int(pixel_height * scale)


def add_picture_scaled(slide: Any, image: Path, left: int, top: int, width: int, height: int, alt: str,
                       inches_per_pixel: float) -> Any:
    shown_width, shown_height = _scaled_size(image, width, height, inches_per_pixel)
    picture = slide.shapes.add_picture(str(image), left + (width - shown_width) // 2,
                                       top + (height - shown_height) // 2, shown_width, shown_height)
    set_alt_text(picture, alt)
    return picture


def set_alt_text(shape: Any, alt: str) -> None:
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", alt)


def _caption(slide: Any, text: str, top: int, context: DeckContext, left: int = MARGIN,
             width: int = BODY_WIDTH) -> None:
    box = fixed_box(slide, left, top, width, Inches(0.4))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    size = textfit.fitting_size([textfit.Paragraph(plain(text))], context.font, Emu(width).pt - 14.4, 40, 14, 10)
    add_runs(paragraph, text, context.font, size or 10, MUTED)


CAPTION_HEIGHT = Inches(0.45)


def draw_slide(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    """Lay out one slide of any kind."""
    kind = model.kind
    if kind in {"title", "section"}:
        _draw_title_like(slide, model, context, number)
        return
    if kind == "quote":
        _draw_quote(slide, model, context, number)
        return
    _title(slide, context.text(model.title), context, number)
    if kind in {"bullets", "summary"}:
        add_text_box(slide, MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT,
                     flatten_bullets(model.bullets, context), context, number)
    elif kind == "figure":
        caption = context.text(model.caption or context.figure_caption[model.figure])
        add_picture_fitted(slide, context.figures[model.figure], MARGIN, BODY_TOP, BODY_WIDTH,
                           BODY_HEIGHT - CAPTION_HEIGHT, context.figure_alt[model.figure])
        _caption(slide, caption, BODY_TOP + BODY_HEIGHT - CAPTION_HEIGHT, context)
    elif kind == "two_column":
        gap = Inches(0.4)
        widths = two_column_widths(model, context, BODY_WIDTH - gap)
        left = MARGIN
        for column, width in zip((model.left, model.right), widths, strict=True):
            _draw_column(slide, column, left, width, context, number)
            left += width + gap
    elif kind == "table":
        _draw_table(slide, model, context, number)
    elif kind == "equation":
        _draw_equation(slide, model, context, number)
    elif kind == "code":
        _draw_code(slide, model, context, number)
    elif kind == "timeline":
        _draw_timeline(slide, model, context)
    elif kind == "animation":
        movie, poster = context.animations[model.animation]
        _add_movie(slide, movie, poster, context.animation_alt[model.animation])
        caption = context.text(model.caption or context.animation_caption[model.animation])
        _caption(slide, caption, BODY_TOP + BODY_HEIGHT - CAPTION_HEIGHT, context)


def _draw_title_like(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.3), SLIDE_WIDTH, Inches(2.9))
    band.fill.solid()
    band.fill.fore_color.rgb = context.accent
    band.line.fill.background()
    _send_to_back(slide, band)
    title_shape = slide.shapes.title
    if title_shape is not None:  # a title-only slide keeps its title placeholder for the outline
        title_shape.left, title_shape.top, title_shape.width, title_shape.height = (
            MARGIN, Inches(2.5), BODY_WIDTH, Inches(1.5))
        frame = title_shape.text_frame
        frame.clear()
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        largest = 40 if model.kind == "title" else 36
        size = textfit.fitting_size([textfit.Paragraph(plain(context.text(model.title)), bold=True)],
                                    context.font, Emu(BODY_WIDTH).pt - 14.4, Emu(Inches(1.5)).pt - 7.2, largest, 22)
        if size is None:
            raise SlideOverflowError(context.session, number, "title is too long for a title slide")
        frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        add_runs(frame.paragraphs[0], context.text(model.title), context.font, size,
                 RGBColor(0xFF, 0xFF, 0xFF), bold=True)
    if model.subtitle:
        add_text_box(slide, MARGIN, Inches(4.05), BODY_WIDTH, Inches(1.0),
                     [textfit.Paragraph(context.text(model.subtitle))], context, number, largest=24,
                     smallest=14, bullets=False, color=RGBColor(0xFF, 0xFF, 0xFF))


def _send_to_back(slide: Any, shape: Any) -> None:
    """Move a decoration behind every other shape (the spTree's first two children are its own properties)."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)


def _draw_quote(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    if model.title:
        _title(slide, context.text(model.title), context, number)
    mark = fixed_box(slide, MARGIN, BODY_TOP, Inches(1.2), Inches(1.4))
    add_runs(mark.text_frame.paragraphs[0], "“", context.font, 96, context.accent, bold=True)
    add_text_box(slide, MARGIN + Inches(1.2), BODY_TOP + Inches(0.4), BODY_WIDTH - Inches(2.0), Inches(3.8),
                 [textfit.Paragraph(context.text(model.quote))], context, number, largest=32, smallest=16,
                 bullets=False, anchor=MSO_ANCHOR.MIDDLE)
    if model.attribution:
        add_text_box(slide, MARGIN + Inches(1.2), BODY_TOP + Inches(4.4), BODY_WIDTH - Inches(2.0), Inches(0.7),
                     [textfit.Paragraph(f"— {context.text(model.attribution)}")], context, number,
                     largest=20, smallest=12, bullets=False, align=PP_ALIGN.RIGHT, color=MUTED)


def two_column_widths(model: Any, context: DeckContext, total: int) -> tuple[int, int]:
    """Two figures side by side share the width by their aspect ratios, so both are shown at one height
    (a wide strip of panels next to a square plot is not shrunk to a sliver); a figure beside text, or
    text beside text, gets half."""
    from PIL import Image

    if model.left.figure is None or model.right.figure is None:
        return total // 2, total - total // 2
    aspects = []
    for figure_id in (model.left.figure, model.right.figure):
        with Image.open(context.figures[figure_id]) as opened:
            aspects.append(opened.width / opened.height)
    left_share = min(max(aspects[0] / sum(aspects), 0.3), 0.7)
    left = int(total * left_share)
    return left, total - left


def _draw_column(slide: Any, column: Any, left: int, width: int, context: DeckContext, number: int) -> None:
    if column.figure is not None:
        caption = context.text(column.caption or context.figure_caption[column.figure])
        add_picture_fitted(slide, context.figures[column.figure], left, BODY_TOP, width,
                           BODY_HEIGHT - CAPTION_HEIGHT, context.figure_alt[column.figure])
        _caption(slide, caption, BODY_TOP + BODY_HEIGHT - CAPTION_HEIGHT, context, left, width)
    else:
        add_text_box(slide, left, BODY_TOP, width, BODY_HEIGHT, flatten_bullets(column.bullets, context),
                     context, number, largest=24)


CELL_PADDING = 12  # points above and below a table cell's text: its margins plus the cell border
CELL_MARGINS = 14.4  # points left and right of a table cell's text (python-pptx's default 0.1 in each)


def column_widths(cells: list[list[str]], font: str, total: int, size: float) -> list[int]:
    """Each column's width (EMU, summing to `total`) for text at `size` points: shares in proportion to the
    column's longest text, and none below its longest word (so "Seq2Seq" is not broken) or half an equal
    share. Proportional shares wrap every column to about the same number of lines, so a short label
    column gives its room to a column of prose and the table can stay larger."""
    count = len(cells[0])
    total_pt = Emu(total).pt

    def width(text: str, header: bool) -> float:
        return textfit.text_width(text, font, size, bold=header)

    natural = [max(max(width(plain(row[c]), i == 0) for i, row in enumerate(cells)), 1.0) for c in range(count)]
    longest_word = [max(width(word, i == 0) for i, row in enumerate(cells) for word in plain(row[c]).split() or [""])
                    for c in range(count)]
    floors = [max(0.5 / count, (word + CELL_MARGINS + 1) / total_pt) for word in longest_word]
    if sum(floors) > 1:  # words too long for any layout: fall back to even floors and let words break
        floors = [0.5 / count] * count
    raised: set[int] = set()
    while True:  # columns below their floor get it; the rest share what is left in proportion
        free = [c for c in range(count) if c not in raised]
        left = 1.0 - sum(floors[c] for c in raised)
        shares = {c: left * natural[c] / sum(natural[f] for f in free) for c in free}
        below = {c for c, share in shares.items() if share < floors[c]}
        if not below:
            break
        raised |= below
    shares |= {c: floors[c] for c in raised}
    widths = [int(total * shares[c]) for c in range(count - 1)]
    return widths + [total - sum(widths)]


def _draw_table(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    rows, columns = len(model.rows) + 1, len(model.columns)
    available = BODY_HEIGHT - (CAPTION_HEIGHT if model.caption else 0)
    cells = [[context.text(c) for c in model.columns]] + [[context.text(c) for c in row] for row in model.rows]
    # One size for the whole table: the largest at which every cell fits its share of the height.
    size = 24.0
    while size >= 10:
        widths = column_widths(cells, context.font, BODY_WIDTH, size)
        text_widths = [Emu(width).pt - CELL_MARGINS for width in widths]
        heights = [max(len(textfit.wrap(plain(c), context.font, size, text_widths[column], bold=index == 0))
                       for column, c in enumerate(row))
                   * size * textfit.LINE_SPACING + CELL_PADDING for index, row in enumerate(cells)]
        if sum(heights) <= Emu(available).pt:
            break
        size -= 0.5
    else:
        raise SlideOverflowError(context.session, number, "table does not fit even at 10pt; split it")
    shape = slide.shapes.add_table(rows, columns, MARGIN, BODY_TOP, BODY_WIDTH, int(Pt(sum(heights))))
    table = shape.table
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row_index, (row, height) in enumerate(zip(cells, heights, strict=True)):
        table.rows[row_index].height = int(Pt(height))
        for column_index, text in enumerate(row):
            cell = table.cell(row_index, column_index)
            cell.text_frame.word_wrap = True
            cell.margin_top = cell.margin_bottom = Pt(3.6)
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.line_spacing = Pt(size * textfit.LINE_SPACING)
            header = row_index == 0
            add_runs(paragraph, text, context.font, size, RGBColor(0xFF, 0xFF, 0xFF) if header else INK, header)
            if header:
                cell.fill.solid()
                cell.fill.fore_color.rgb = context.accent
    if model.caption:
        _caption(slide, context.text(model.caption), BODY_TOP + int(Pt(sum(heights))) + Inches(0.1), context)


def _draw_equation(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    count = len(model.latex)
    text_height = Inches(1.9) if model.bullets else 0
    row_height = (BODY_HEIGHT - text_height) // count
    for index, latex in enumerate(model.latex):
        top = BODY_TOP + index * row_height
        image = equations.render_png(latex)
        size = _scaled_size(image, BODY_WIDTH, row_height, equations.SLIDE_SCALE)
        if not equations.add_native_equation(slide, latex, MARGIN, top, BODY_WIDTH, row_height, image, size):
            context.warnings.append(f"slide {number}: equation shown as an image, not editable ({latex[:40]!r})")
            add_picture_scaled(slide, image, MARGIN, top, BODY_WIDTH, row_height, f"수식: {latex}",
                               equations.SLIDE_SCALE)
    if model.bullets:
        add_text_box(slide, MARGIN, BODY_TOP + BODY_HEIGHT - text_height, BODY_WIDTH, text_height,
                     flatten_bullets(model.bullets, context), context, number, largest=22)


def _draw_code(slide: Any, model: Any, context: DeckContext, number: int) -> None:
    background = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, BODY_TOP, BODY_WIDTH, BODY_HEIGHT)
    background.fill.solid()
    background.fill.fore_color.rgb = RGBColor(0xF4, 0xF5, 0xF7)
    background.line.fill.background()
    mono = context.font.replace("Sans CJK", "Sans Mono CJK")
    lines = model.code.rstrip("\n").split("\n")
    width = Emu(BODY_WIDTH).pt - 28
    size = 24.0
    while size >= 9 and (max(textfit.text_width(line, mono, size) for line in lines) > width
                         or len(lines) * size * textfit.LINE_SPACING > Emu(BODY_HEIGHT).pt - 20):
        size -= 0.5
    if size < 9:
        raise SlideOverflowError(context.session, number, "code does not fit even at 9pt; shorten it")
    box = fixed_box(slide, MARGIN + Inches(0.1), BODY_TOP + Inches(0.1), BODY_WIDTH - Inches(0.2),
                    BODY_HEIGHT - Inches(0.2), wrap=False)
    frame = box.text_frame
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.line_spacing = Pt(size * textfit.LINE_SPACING)
        set_run_font(_run(paragraph, line), mono, size, False, INK)


ERA_COLOURS = {"golden": RGBColor(0xED, 0xAE, 0x49), "winter": RGBColor(0x5C, 0x9E, 0xD6),
               "neutral": RGBColor(0x8D, 0x99, 0xAE)}


def _draw_timeline(slide: Any, model: Any, context: DeckContext) -> None:
    events = sorted(model.events, key=lambda event: event.year)
    axis_y = BODY_TOP + BODY_HEIGHT // 2
    line = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, axis_y - Inches(0.03), BODY_WIDTH, Inches(0.06))
    line.fill.solid()
    line.fill.fore_color.rgb = MUTED
    line.line.fill.background()
    slot = BODY_WIDTH // len(events)
    label_height = Inches(1.9)
    for index, event in enumerate(events):
        centre = MARGIN + slot * index + slot // 2
        dot = slide.shapes.add_shape(MSO_SHAPE.OVAL, centre - Inches(0.13), axis_y - Inches(0.13),
                                     Inches(0.26), Inches(0.26))
        dot.fill.solid()
        dot.fill.fore_color.rgb = ERA_COLOURS[event.era]
        dot.line.fill.background()
        above = index % 2 == 0
        width = min(slot * 2 - Inches(0.1), Inches(2.6))
        top = axis_y - Inches(0.25) - label_height if above else axis_y + Inches(0.25)
        paragraphs = [textfit.Paragraph(str(event.year), bold=True), textfit.Paragraph(context.text(event.label))]
        box = add_text_box(slide, centre - width // 2, top, width, label_height, paragraphs, context, 0,
                           largest=20, smallest=9, bullets=False, align=PP_ALIGN.CENTER,
                           anchor=MSO_ANCHOR.BOTTOM if above else MSO_ANCHOR.TOP)
        box.name = f"timeline {event.year}"
    for index, era in enumerate(("golden", "winter", "neutral")):
        label = context.label(era)
        left = MARGIN + index * Inches(2.2)
        top = BODY_TOP + BODY_HEIGHT - Inches(0.35)
        swatch = slide.shapes.add_shape(MSO_SHAPE.OVAL, left, top + Inches(0.08), Inches(0.18), Inches(0.18))
        swatch.fill.solid()
        swatch.fill.fore_color.rgb = ERA_COLOURS[era]
        swatch.line.fill.background()
        box = fixed_box(slide, left + Inches(0.22), top, Inches(1.9), Inches(0.35))
        add_runs(box.text_frame.paragraphs[0], label, context.font, 14, MUTED)


def _add_movie(slide: Any, movie: Path, poster: Path, alt: str) -> None:
    from PIL import Image

    with Image.open(poster) as opened:
        pixel_width, pixel_height = opened.size
    box_height = BODY_HEIGHT - CAPTION_HEIGHT
    scale = min(BODY_WIDTH / pixel_width, box_height / pixel_height)
    width, height = int(pixel_width * scale), int(pixel_height * scale)
    shape = slide.shapes.add_movie(str(movie), MARGIN + (BODY_WIDTH - width) // 2,
                                   BODY_TOP + (box_height - height) // 2, width, height,
                                   poster_frame_image=str(poster), mime_type="video/mp4")
    set_alt_text(shape, alt)


# --- the stage --------------------------------------------------------------------------------


def pages_of(model: Any, context: DeckContext) -> list[Any]:
    """A slide as one or more pages: a bullet list too long for one slide continues on the next."""
    if model.kind not in {"bullets", "summary"} or len(model.bullets) < 2:
        return [model]
    width, height = Emu(BODY_WIDTH).pt - 14.4, Emu(BODY_HEIGHT).pt - 7.2

    def size_of(items: list[Any]) -> float:
        paragraphs = [textfit.Paragraph(plain(p.text), p.level) for p in flatten_bullets(items, context)]
        return textfit.fitting_size(paragraphs, context.font, width, height, BODY_LARGEST, BODY_SMALLEST,
                                    indent=18.0) or 0.0

    if size_of(model.bullets) >= SPLIT_BELOW:
        return [model]
    groups: list[list[Any]] = [[]]
    for item in model.bullets:
        if groups[-1] and size_of([*groups[-1], item]) < SPLIT_BELOW:
            groups.append([])
        groups[-1].append(item)
    continued = f"{model.title} {context.label('continued')}"
    return [model.model_copy(update={"bullets": group, "title": model.title if index == 0 else continued})
            for index, group in enumerate(groups)]


def _write_notes(slide: Any, notes: str, context: DeckContext) -> None:
    """Speaker notes, one paragraph per line, in the course font."""
    frame = slide.notes_slide.notes_text_frame
    frame.text = ""
    for index, line in enumerate(notes.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        add_runs(paragraph, line, context.font, 12)


def _objectives_slide(session: schema.Session, context: DeckContext) -> schema.BulletsSlide:
    return schema.BulletsSlide(kind="bullets", title=context.label("objectives"), bullets=list(session.objectives))


def write_deck(session: schema.Session, context: DeckContext, template: Path, output: Path) -> None:
    """Write the session's deck; curriculum slide N keeps its number N in every message about it."""
    presentation = Presentation(str(template)) if template.is_file() else Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    layout = _layout(presentation)
    for number, model in enumerate(session.slides, start=1):
        pages = [(page, model.notes if index == 0 else context.label("continued_note"))
                 for index, page in enumerate(pages_of(model, context))]
        if number == 1 and model.kind == "title":  # the objectives follow the title slide
            pages.append((_objectives_slide(session, context), None))
        for page, notes in pages:
            slide = presentation.slides.add_slide(layout)
            for placeholder in list(slide.placeholders):
                if placeholder.placeholder_format.type not in (1, 3):  # keep only title placeholders
                    placeholder._element.getparent().remove(placeholder._element)
            if page.kind == "quote" and not page.title and slide.shapes.title is not None:
                slide.shapes.title._element.getparent().remove(slide.shapes.title._element)
            draw_slide(slide, page, context, number)
            if notes:
                _write_notes(slide, context.text(notes.strip()), context)
    with atomic.atomic_path(output) as temporary:
        presentation.save(str(temporary))


def build_deck(bundle: Any, context: Any, target: Any, report: Any) -> str:
    from pipeline.curriculum import metric_references
    from pipeline.graph import session_media
    from pipeline.training import load_metrics

    loaded = next(s for s in bundle.sessions if s.session.slug == target.subject)
    figures, animations = session_media(loaded)
    theme = bundle.course.theme
    deck_context = DeckContext(
        font=theme.font, accent=RGBColor.from_string(theme.accent_color.lstrip("#")),
        session=str(loaded.session.number),
        figures={f: context.output(f"figures/{f}.png") for f in figures},
        figure_alt={f: bundle.figure(f).alt for f in figures},
        figure_caption={f: bundle.figure(f).caption for f in figures},
        animations={a: (context.output(f"animations/{a}.mp4"), context.output(f"animations/{a}.png"))
                    for a in animations},
        animation_alt={a: bundle.animation(a).alt for a in animations},
        animation_caption={a: bundle.animation(a).caption for a in animations},
        metrics=load_metrics(context.build_dir, sorted(metric_references(loaded))),
        warnings=[],
        language=bundle.course.language,
    )
    write_deck(loaded.session, deck_context, bundle.root / theme.template, context.output(target.outputs[0]))
    for warning in deck_context.warnings:
        print(f"warning: {warning}", flush=True)
    report(1, 1)
    return "cpu"
