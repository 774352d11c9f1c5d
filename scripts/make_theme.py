"""Writes templates/theme.pptx: the default 16:9 master the decks are drawn on.

Instructors may replace the file with their own master; decks use its "Title Only" layout (or the
layout with the fewest placeholders) and draw the body themselves. Run: python scripts/make_theme.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

FONT = "Noto Sans CJK KR"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def main(output: Path) -> None:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(12_192_000), Emu(6_858_000)
    theme_part = presentation.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(theme_part.blob)
    # Theme fonts: Korean in the East Asian slot, so any text without an explicit font still renders.
    for slot in theme.iter(f"{{{DRAWING}}}latin", f"{{{DRAWING}}}ea"):
        if slot.getparent().tag in (f"{{{DRAWING}}}majorFont", f"{{{DRAWING}}}minorFont"):
            slot.set("typeface", FONT)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    presentation.save(str(output))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "templates" / "theme.pptx")
