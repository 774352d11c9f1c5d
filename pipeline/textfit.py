"""Measuring text with real font metrics, so slide text never overflows its box.

PowerPoint's own autofit only acts when the file is opened in PowerPoint; LibreOffice and
Keynote show overflowing text as it is. So the build measures each paragraph with the font the
slide uses, wraps it as a renderer would, and picks the largest size that fits.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass

from PIL import ImageFont

POINTS_PER_INCH = 72
# Line height as a multiple of the font size. Decks set it as an exact spacing in points: a proportional
# spacing multiplies the font's own line height, which renderers take from different tables (1.45 em
# for Noto Sans CJK in LibreOffice), so text measured here would render taller than measured.
LINE_SPACING = 1.25


@functools.cache
def font_file(family: str, bold: bool = False) -> tuple[str, int]:
    """(path, face index) of an installed font family, found through fontconfig."""
    pattern = f"{family}:bold" if bold else family
    try:
        result = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
                                capture_output=True, text=True, check=True, timeout=10)
    except (OSError, subprocess.SubprocessError) as error:
        raise RuntimeError(f"fontconfig cannot find fonts ({error}); run scripts/install-system-deps.sh") from None
    path, index, families = result.stdout.split("|", 2)
    if family.lower() not in families.lower():
        raise RuntimeError(f"font {family!r} is not installed (fontconfig offers {families.split(',')[0]!r}); "
                           "run scripts/install-system-deps.sh")
    return path, int(index or 0)


@functools.cache
def _font(family: str, size_tenths: int, bold: bool) -> ImageFont.FreeTypeFont:
    path, index = font_file(family, bold)
    # Measure at 10x the point size for sub-point precision.
    return ImageFont.truetype(path, size_tenths, index=index)


def text_width(text: str, family: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points at `size` points."""
    font = _font(family, round(size * 10), bold)
    return font.getlength(text) / 10


def wrap(text: str, family: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width` points: at spaces, or anywhere in a long word."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, family, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for character in word:  # a word wider than the box breaks between characters (as Hangul may)
                if text_width(current + character, family, size, bold) > width and current:
                    lines.append(current)
                    current = ""
                current += character
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # indentation level; each level indents and shrinks the text
    bold: bool = False


def paragraphs_height(paragraphs: list[Paragraph], family: str, size: float, width: float,
                      indent: float, level_shrink: float, space_after: float) -> float:
    """Total height in points of the paragraphs wrapped into `width` points."""
    total = 0.0
    for paragraph in paragraphs:
        paragraph_size = size * (level_shrink ** paragraph.level)
        available = width - indent * (paragraph.level + 1)
        lines = wrap(paragraph.text, family, paragraph_size, available, paragraph.bold)
        total += len(lines) * paragraph_size * LINE_SPACING + space_after * paragraph_size
    return total


def fitting_size(paragraphs: list[Paragraph], family: str, width: float, height: float, largest: float,
                 smallest: float, indent: float = 0.0, level_shrink: float = 0.88,
                 space_after: float = 0.35) -> float | None:
    """The largest font size (in half points) from `largest` down to `smallest` at which the text fits."""
    size = largest
    while size >= smallest:
        if paragraphs_height(paragraphs, family, size, width, indent, level_shrink, space_after) <= height:
            return size
        size -= 0.5
    return None
