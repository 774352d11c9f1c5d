"""Equations on slides: native, editable PowerPoint math (OMML) from the curriculum's LaTeX.

LaTeX goes to MathML (latex2mathml), MathML to Office Math (OMML) here, as Pandoc does for its
PowerPoint writer. The equation is stored the way PowerPoint stores its own: an
`mc:AlternateContent` whose choice is a text box holding `a14:m` math and whose fallback is a
typeset picture of the same equation, so applications that cannot draw Office Math (LibreOffice,
Google Slides, Keynote) still show it. LaTeX that does not convert is placed as the picture alone, and the
deck stage warns, naming the slide.
"""

from __future__ import annotations

import copy
import hashlib
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from lxml import etree

MATHML = "http://www.w3.org/1998/Math/MathML"
OMML = "http://schemas.openxmlformats.org/officeDocument/2006/math"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
PRESENTATION = "http://schemas.openxmlformats.org/presentationml/2006/main"
COMPATIBILITY = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DRAWING_2010 = "http://schemas.microsoft.com/office/drawing/2010/main"
MATH_FONT = "Cambria Math"

LATEX_DOCUMENT = r"""\documentclass[border=2pt,varwidth=true]{standalone}
\usepackage{amsmath,amssymb}
\begin{document}
$\displaystyle %s$
\end{document}
"""
# LaTeX sets math at 10pt; shown at 2.6x that, slide equations read like 26pt text.
RENDER_DPI = 300
SLIDE_SCALE = 2.6 / RENDER_DPI  # inches on the slide per rendered pixel
_RENDER_DIR = Path(tempfile.gettempdir()) / "course-equations"

LARGE_OPERATORS = {"∑", "∏", "∐", "∫", "∬", "∭", "∮", "⋃", "⋂", "⋁", "⋀"}
# MathML accent characters -> the combining characters OMML's m:acc expects.
ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "˙": "\u0307", "¨": "\u0308",
           "→": "\u20d7", "⃗": "\u20d7", "ˇ": "\u030c", "´": "\u0301", "`": "\u0300"}
BARS = {"¯", "‾", "_", "\u0305"}


class UnsupportedMath(ValueError):
    """The LaTeX uses something this converter cannot express as OMML."""


# --- LaTeX -> picture -------------------------------------------------------------------------


def render_png(latex: str, dpi: int = RENDER_DPI) -> Path:
    """Typeset `latex` (math mode) and return a PNG of it; cached by content for this machine."""
    digest = hashlib.sha256(f"{dpi}:{latex}".encode()).hexdigest()[:16]
    output = _RENDER_DIR / f"{digest}.png"
    if output.is_file():
        return output
    _RENDER_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=_RENDER_DIR) as scratch:
        folder = Path(scratch)
        (folder / "equation.tex").write_text(LATEX_DOCUMENT % latex, encoding="utf-8")
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "equation.tex"],
                                cwd=folder, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            problem = next((line for line in result.stdout.splitlines() if line.startswith("!")), "LaTeX failed")
            raise ValueError(f"cannot typeset equation {latex!r}: {problem}")
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "equation.pdf", "equation"],
                       cwd=folder, check=True, capture_output=True, timeout=60)
        (folder / "equation.png").replace(output)
    return output


# --- LaTeX -> OMML ----------------------------------------------------------------------------


def _m(tag: str) -> str:
    return f"{{{OMML}}}{tag}"


def _local(element: Any) -> str:
    return etree.QName(element).localname


class _Converter:
    """MathML elements to OMML elements; `size` is in hundredths of a point."""

    def __init__(self, size: int) -> None:
        self.size = size

    def run(self, text: str, plain: bool = False) -> Any:
        run = etree.Element(_m("r"))
        if plain:
            properties = etree.SubElement(run, _m("rPr"))
            etree.SubElement(properties, _m("sty")).set(_m("val"), "p")
        drawing = etree.SubElement(run, f"{{{DRAWING}}}rPr", lang="en-US", sz=str(self.size))
        etree.SubElement(drawing, f"{{{DRAWING}}}latin", typeface=MATH_FONT)
        etree.SubElement(drawing, f"{{{DRAWING}}}ea", typeface=MATH_FONT)
        etree.SubElement(run, _m("t")).text = text
        return run

    def argument(self, tag: str, element: Any) -> Any:
        """An OMML argument slot (m:e, m:sub, ...) holding the conversion of one MathML element."""
        slot = etree.Element(_m(tag))
        slot.extend(self.convert(element))
        return slot

    def slot_of(self, tag: str, elements: list[Any]) -> Any:
        slot = etree.Element(_m(tag))
        for element in elements:
            slot.extend(self.convert(element))
        return slot

    def children(self, parent: Any) -> list[Any]:
        """Convert a sequence of MathML siblings; a large operator takes the rest as its body."""
        converted: list[Any] = []
        siblings = list(parent)
        index = 0
        while index < len(siblings):
            element = siblings[index]
            if self._is_large_operator_with_limits(element):
                converted.append(self.nary(element, siblings[index + 1:]))
                break
            converted.extend(self.convert(element))
            index += 1
        return converted

    def _is_large_operator_with_limits(self, element: Any) -> bool:
        tag = _local(element)
        if tag not in {"msub", "msup", "msubsup", "munder", "mover", "munderover"} and not (
                tag == "mo" and (element.text or "").strip() in LARGE_OPERATORS):
            return False
        base = element if tag == "mo" else element[0]
        return _local(base) == "mo" and (base.text or "").strip() in LARGE_OPERATORS

    def nary(self, element: Any, body: list[Any]) -> Any:
        tag = _local(element)
        operator = (element.text if tag == "mo" else element[0].text).strip()
        lower = element[1] if tag in {"msub", "msubsup", "munder", "munderover"} else None
        upper = (element[2] if tag in {"msubsup", "munderover"} else element[1] if tag in {"msup", "mover"}
                 else None)
        nary = etree.Element(_m("nary"))
        properties = etree.SubElement(nary, _m("naryPr"))
        etree.SubElement(properties, _m("chr")).set(_m("val"), operator)
        location = "subSup" if operator in {"∫", "∬", "∭", "∮"} else "undOvr"
        etree.SubElement(properties, _m("limLoc")).set(_m("val"), location)
        if lower is None:
            etree.SubElement(properties, _m("subHide")).set(_m("val"), "1")
        if upper is None:
            etree.SubElement(properties, _m("supHide")).set(_m("val"), "1")
        nary.append(self.argument("sub", lower) if lower is not None else etree.Element(_m("sub")))
        nary.append(self.argument("sup", upper) if upper is not None else etree.Element(_m("sup")))
        nary.append(self.slot_of("e", body))
        return nary

    def convert(self, element: Any) -> list[Any]:
        tag = _local(element)
        handler = getattr(self, f"_{tag}", None)
        if handler is None:
            raise UnsupportedMath(f"MathML <{tag}> has no Office Math equivalent here")
        result = handler(element)
        return result if isinstance(result, list) else [result]

    def _math(self, element: Any) -> list[Any]:
        return self.children(element)

    def _mrow(self, element: Any) -> list[Any]:
        items = list(element)
        opens = items and _local(items[0]) == "mo" and items[0].get("fence") == "true" \
            and items[0].get("form") == "prefix"
        if not opens:
            return self.children(element)
        closes = len(items) > 1 and _local(items[-1]) == "mo" and items[-1].get("fence") == "true" \
            and items[-1].get("form") == "postfix"
        inner = items[1:-1] if closes else items[1:]
        delimiter = etree.Element(_m("d"))
        properties = etree.SubElement(delimiter, _m("dPr"))
        etree.SubElement(properties, _m("begChr")).set(_m("val"), (items[0].text or "").strip())
        etree.SubElement(properties, _m("endChr")).set(_m("val"), (items[-1].text or "").strip() if closes else "")
        wrapper = etree.Element(f"{{{MATHML}}}mrow")
        for item in inner:
            wrapper.append(copy.deepcopy(item))
        delimiter.append(self.slot_of("e", [wrapper]))
        return [delimiter]

    _mstyle = _mpadded = _semantics = _mrow

    def _mi(self, element: Any) -> Any:
        text = (element.text or "").strip()
        return self.run(text, plain=len(text) > 1 or element.get("mathvariant") == "normal")

    def _mn(self, element: Any) -> Any:
        return self.run((element.text or "").strip())

    def _mo(self, element: Any) -> Any:
        return self.run((element.text or "").strip() or " ")

    def _mtext(self, element: Any) -> Any:
        return self.run(element.text or "", plain=True)

    def _mspace(self, element: Any) -> Any:
        return self.run("\u2009")

    def _msub(self, element: Any) -> Any:
        node = etree.Element(_m("sSub"))
        node.extend([self.argument("e", element[0]), self.argument("sub", element[1])])
        return node

    def _msup(self, element: Any) -> Any:
        node = etree.Element(_m("sSup"))
        node.extend([self.argument("e", element[0]), self.argument("sup", element[1])])
        return node

    def _msubsup(self, element: Any) -> Any:
        node = etree.Element(_m("sSubSup"))
        node.extend([self.argument("e", element[0]), self.argument("sub", element[1]),
                     self.argument("sup", element[2])])
        return node

    def _mfrac(self, element: Any) -> Any:
        node = etree.Element(_m("f"))
        node.extend([self.argument("num", element[0]), self.argument("den", element[1])])
        return node

    def _msqrt(self, element: Any) -> Any:
        node = etree.Element(_m("rad"))
        properties = etree.SubElement(node, _m("radPr"))
        etree.SubElement(properties, _m("degHide")).set(_m("val"), "1")
        etree.SubElement(node, _m("deg"))
        node.append(self.slot_of("e", list(element)))
        return node

    def _mroot(self, element: Any) -> Any:
        node = etree.Element(_m("rad"))
        node.extend([self.argument("deg", element[1]), self.argument("e", element[0])])
        return node

    def _mover(self, element: Any) -> Any:
        base, over = element[0], element[1]
        mark = (over.text or "").strip() if _local(over) == "mo" else ""
        if mark in BARS:
            node = etree.Element(_m("bar"))
            etree.SubElement(etree.SubElement(node, _m("barPr")), _m("pos")).set(_m("val"), "top")
            node.append(self.argument("e", base))
            return node
        if mark in ACCENTS:
            node = etree.Element(_m("acc"))
            etree.SubElement(etree.SubElement(node, _m("accPr")), _m("chr")).set(_m("val"), ACCENTS[mark])
            node.append(self.argument("e", base))
            return node
        node = etree.Element(_m("limUpp"))
        node.extend([self.argument("e", base), self.argument("lim", over)])
        return node

    def _munder(self, element: Any) -> Any:
        node = etree.Element(_m("limLow"))
        node.extend([self.argument("e", element[0]), self.argument("lim", element[1])])
        return node

    def _munderover(self, element: Any) -> Any:
        lower = etree.Element(_m("limLow"))
        lower.extend([self.argument("e", element[0]), self.argument("lim", element[1])])
        node = etree.Element(_m("limUpp"))
        slot = etree.SubElement(node, _m("e"))
        slot.append(lower)
        node.append(self.argument("lim", element[2]))
        return node

    def _mtable(self, element: Any) -> Any:
        matrix = etree.Element(_m("m"))
        properties = etree.SubElement(matrix, _m("mPr"))
        columns = max((len(row) for row in element), default=1)
        group = etree.SubElement(etree.SubElement(properties, _m("mcs")), _m("mc"))
        group_properties = etree.SubElement(group, _m("mcPr"))
        etree.SubElement(group_properties, _m("count")).set(_m("val"), str(columns))
        etree.SubElement(group_properties, _m("mcJc")).set(_m("val"), "left")
        for row in element:
            matrix_row = etree.SubElement(matrix, _m("mr"))
            for cell in row:
                matrix_row.append(self.slot_of("e", list(cell)))
        return matrix


def latex_to_omml(latex: str, size_points: float = 28) -> Any:
    """`latex` as an OMML `m:oMathPara`; raises `UnsupportedMath` when it cannot be expressed."""
    import latex2mathml.converter

    try:
        mathml = etree.fromstring(latex2mathml.converter.convert(latex).encode("utf-8"))
    except Exception as error:  # latex2mathml raises many kinds of errors for LaTeX it cannot read
        raise UnsupportedMath(f"cannot read the LaTeX ({type(error).__name__}: {error})") from None
    converter = _Converter(round(size_points * 100))
    paragraph = etree.Element(_m("oMathPara"), nsmap={"m": OMML})
    properties = etree.SubElement(paragraph, _m("oMathParaPr"))
    etree.SubElement(properties, _m("jc")).set(_m("val"), "center")
    math = etree.SubElement(paragraph, _m("oMath"))
    math.extend(converter.convert(mathml))
    return paragraph


def omml_text(element: Any) -> str:
    """The characters of an OMML tree, in order (for tests and for alt text)."""
    return "".join(node.text or "" for node in element.iter(_m("t")))


# --- placing an equation on a slide -----------------------------------------------------------


def add_native_equation(slide: Any, latex: str, left: int, top: int, width: int, height: int,
                        fallback_image: Path, fallback_size: tuple[int, int], size_points: float = 28) -> bool:
    """Place `latex` as an editable equation with a picture fallback; False if it cannot be converted."""
    try:
        math = latex_to_omml(latex, size_points)
    except UnsupportedMath:
        return False
    fallback_width, fallback_height = fallback_size
    picture = slide.shapes.add_picture(str(fallback_image), left + (width - fallback_width) // 2,
                                       top + (height - fallback_height) // 2, fallback_width, fallback_height)
    picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", f"수식: {latex}")
    box = slide.shapes.add_textbox(left, top, width, height)
    box.name = "Equation"
    box._element.xpath("./p:nvSpPr/p:cNvPr")[0].set("descr", f"수식: {latex}")
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = 3  # middle (MSO_ANCHOR.MIDDLE)
    paragraph = frame.paragraphs[0]._p
    container = etree.SubElement(paragraph, f"{{{DRAWING_2010}}}m", nsmap={"a14": DRAWING_2010})
    container.append(math)

    # Wrap both as PowerPoint does: the math where a14 is understood, the picture elsewhere.
    tree = box._element.getparent()
    position = tree.index(picture._element)
    alternate = etree.Element(f"{{{COMPATIBILITY}}}AlternateContent", nsmap={"mc": COMPATIBILITY})
    # Requiring the math namespace as well as a14 is what the content needs, and it sends readers that take
    # an a14 choice without drawing its math (LibreOffice 7.x) to the picture instead of an empty box.
    choice = etree.SubElement(alternate, f"{{{COMPATIBILITY}}}Choice", nsmap={"a14": DRAWING_2010, "m": OMML})
    choice.set("Requires", "a14 m")
    fallback = etree.SubElement(alternate, f"{{{COMPATIBILITY}}}Fallback")
    tree.remove(box._element)
    tree.remove(picture._element)
    choice.append(box._element)
    fallback.append(picture._element)
    tree.insert(position, alternate)
    return True
