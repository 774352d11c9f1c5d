"""Measuring text with real font metrics, so slide text never overflows its box.

PowerPoint's own autofit only acts when the file is opened in PowerPoint; LibreOffice and
Keynote show overflowing text as it is. So the build measures each paragraph with the font the
slide uses, wraps it as a renderer would, and picks the largest size that fits.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

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


def font_folders(families: tuple[str, ...]) -> list[str]:
    """The folders holding every installed face (all weights) of `families`, from one fontconfig listing."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{family}\t%{file}\n"],
                                 capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise RuntimeError(f"fontconfig cannot list fonts ({error}); run scripts/install-system-deps.sh") from None
    wanted = {family.lower() for family in families}
    found: dict[str, set[str]] = {}
    for line in listing.splitlines():
        names, _, path = line.partition("\t")
        for name in {n.strip().lower() for n in names.split(",")} & wanted:
            found.setdefault(name, set()).add(str(Path(path).parent))
    missing = [family for family in families if family.lower() not in found]
    if missing:
        raise RuntimeError(f"font {missing[0]!r} is not installed; run scripts/install-system-deps.sh")
    return sorted(set().union(*found.values()))


@functools.cache
def _font(family: str, size_tenths: int, bold: bool) -> ImageFont.FreeTypeFont:
    path, index = font_file(family, bold)
    # Measure at 10x the point size for sub-point precision.
    return ImageFont.truetype(path, size_tenths, index=index)


# Text is measured once, at this size, and scaled: a wrap tries many sizes of the same words, and at
# 1000 pixels to the em the font's rounding to whole pixels no longer shows.
REFERENCE_SIZE = 100.0


@functools.lru_cache(maxsize=65536)
def _reference_width(text: str, family: str, bold: bool) -> float:
    return _font(family, round(REFERENCE_SIZE * 10), bold).getlength(text) / 10


def text_width(text: str, family: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points at `size` points."""
    return _reference_width(text, family, bold) * size / REFERENCE_SIZE


def wrap(text: str, family: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width` points: at spaces, or anywhere in a long word.

    A line's width is the sum of its words' and spaces' widths, each measured once: measuring every
    growing line whole would cost time quadratic in its length, for the same result to within the
    kerning around a space."""
    space = text_width(" ", family, size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_width = "", 0.0
        for word in paragraph.split(" "):
            word_width = text_width(word, family, size, bold)
            if current and current_width + space + word_width <= width:
                current, current_width = f"{current} {word}", current_width + space + word_width
                continue
            if not current and word_width <= width:
                current, current_width = word, word_width
                continue
            if current:
                lines.append(current)
            current = ""
            if word_width <= width:
                current, current_width = word, word_width
                continue
            for character in word:  # a word wider than the box breaks between characters (as Hangul may)
                if text_width(current + character, family, size, bold) > width and current:
                    lines.append(current)
                    current = ""
                current += character
            current_width = text_width(current, family, size, bold)
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
