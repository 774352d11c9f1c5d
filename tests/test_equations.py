"""LaTeX becomes editable Office Math, with a typeset picture for readers that cannot draw it."""

from __future__ import annotations

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Inches

from pipeline import equations

M = f"{{{equations.OMML}}}"


def tags(element) -> list[str]:
    return [etree.QName(node).localname for node in element.iter() if etree.QName(node).namespace == equations.OMML]


def test_sum_with_limits_becomes_an_nary_operator_over_its_body() -> None:
    latex = r"\mathcal{L}(\mathbf{w}) = -\sum_{i \in \mathcal{M}} \mathbf{w}^{T} \mathbf{x}_i y_i"
    math = equations.latex_to_omml(latex)
    nary = math.find(f".//{M}nary")
    assert nary is not None
    assert nary.find(f"{M}naryPr/{M}chr").get(f"{M}val") == "∑"
    assert equations.omml_text(nary.find(f"{M}sub")) == "i∈ℳ"
    assert "𝐱" in equations.omml_text(nary.find(f"{M}e"))  # the summand sits inside the operator


def test_fraction_root_bar_and_scripts() -> None:
    math = equations.latex_to_omml(r"\frac{1}{2} \sqrt{\bar\alpha_t} x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon")
    found = set(tags(math))
    assert {"f", "num", "den", "rad", "bar", "sSub"} <= found
    assert equations.omml_text(math).startswith("12")


def test_cases_become_a_brace_around_a_matrix() -> None:
    math = equations.latex_to_omml(r"y = \begin{cases} 1 & z \geq T \\ 0 & z < T \end{cases}")
    delimiter = math.find(f".//{M}d")
    assert delimiter.find(f"{M}dPr/{M}begChr").get(f"{M}val") == "{"
    rows = delimiter.findall(f".//{M}mr")
    assert len(rows) == 2 and len(rows[0].findall(f"{M}e")) == 2


def test_every_run_names_the_math_font_and_a_size() -> None:
    math = equations.latex_to_omml(r"E = mc^2", size_points=30)
    runs = math.findall(f".//{M}r")
    drawing = f"{{{equations.DRAWING}}}"
    assert runs and all(run.find(f"{drawing}rPr").get("sz") == "3000" for run in runs)
    assert all(run.find(f"{drawing}rPr/{drawing}latin").get("typeface") == "Cambria Math" for run in runs)


def test_unreadable_latex_is_reported_as_unsupported() -> None:
    with pytest.raises(equations.UnsupportedMath):
        equations.latex_to_omml(r"\frac{1}{")


def test_slide_gets_alternate_content_with_math_choice_and_picture_fallback(tmp_path) -> None:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    image = equations.render_png(r"x^2")
    assert equations.add_native_equation(slide, r"x^2", 0, 0, Inches(6), Inches(2), image, (Inches(1), Inches(0.5)))
    presentation.save(tmp_path / "equation.pptx")
    slide = Presentation(tmp_path / "equation.pptx").slides[0]
    tree = slide.shapes._spTree
    alternate = tree.find(f"{{{equations.COMPATIBILITY}}}AlternateContent")
    choice = alternate.find(f"{{{equations.COMPATIBILITY}}}Choice")
    assert set(choice.get("Requires").split()) == {"a14", "m"}
    assert choice.find(f".//{{{equations.DRAWING_2010}}}m/{M}oMathPara") is not None
    fallback_picture = alternate.find(f"{{{equations.COMPATIBILITY}}}Fallback/{{{equations.PRESENTATION}}}pic")
    assert fallback_picture is not None
    assert fallback_picture.xpath("./p:nvPicPr/p:cNvPr/@descr") == ["수식: x^2"]


def test_png_fallback_is_typeset_and_cached() -> None:
    first = equations.render_png(r"\alpha + \beta")
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert equations.render_png(r"\alpha + \beta") == first
    with pytest.raises(ValueError, match="cannot typeset"):
        equations.render_png(r"\undefinedcommand{x}")
