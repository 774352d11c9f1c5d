"""Handouts: the printed PDF typeset by Typst from plain data, every block kind, hostile text kept as text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageStat

from pipeline import handouts, schema
from pipeline.errors import CurriculumError
from pipeline.words import words_for

TEMPLATE = Path(__file__).parents[1] / "templates" / "handout.typ"
# Typst markup and code that would change the document if it were read as markup rather than text.
HOSTILE = r"#set page(width: 2cm) $x^2$ ] [ <label> @ref \ // not a comment #pagebreak()"

SESSION = {
    "number": 2,
    "title": "모든 블록",
    "objectives": ["첫째 **목표**", "둘째 목표"],
    "slides": [
        {"kind": "title", "title": "모든 블록"},
        {"kind": "section", "title": "1. 첫 부분", "subtitle": "섹션 부제"},
        {"kind": "bullets", "title": "글머리표", "notes": f"첫 문단 {HOSTILE}\n\n둘째 문단",
         "bullets": ["**강조**와 보통 글", {"text": "상위", "children": ["하위 항목"]}, "짝 없는 ** 표시"]},
        {"kind": "figure", "title": "넓은 그림", "figure": "wide", "caption": "슬라이드의 캡션"},
        {"kind": "two_column", "title": "두 칸", "left": {"bullets": ["왼쪽 칸"]}, "right": {"figure": "tall"}},
        {"kind": "table", "title": "표", "columns": ["모델", "정확도"], "rows": [["CNN", "99%"], ["ViT", "95%"]],
         "caption": "표 설명"},
        {"kind": "equation", "title": "수식", "latex": [r"y = \sum_i w_i x_i"], "bullets": ["수식 설명"]},
        {"kind": "code", "title": "코드", "code": "for x in range(3):\n    print(x)  # 주석 #set"},
        {"kind": "timeline", "title": "연표", "events": [{"year": 1969, "label": "겨울", "era": "winter"},
                                                         {"year": 1957, "label": "퍼셉트론", "era": "golden"}]},
        {"kind": "quote", "quote": "인용문입니다", "attribution": "누군가"},
        {"kind": "animation", "title": "애니메이션", "animation": "movie"},
        {"kind": "summary", "title": "정리", "bullets": ["요점 하나"]},
    ],
}


def picture(path: Path, size: tuple[int, int]) -> Path:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 20, size[0] - 20, size[1] - 20), outline="navy", width=10)
    image.save(path)
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("media")
    wide, tall = picture(folder / "wide.png", (1200, 500)), picture(folder / "tall.png", (400, 900))
    poster = picture(folder / "poster.png", (640, 360))

    def entry(path: Path, caption: str) -> dict:
        return {"src": str(path), "width": handouts.print_width(path), "caption": caption, "alt": f"{path.stem} 그림"}

    session = schema.Session.model_validate(SESSION)
    return {
        "language": "ko", "title": "2회차. 모든 블록 · 강좌", "course": "강좌", "heading": "2회차. 모든 블록",
        "subtitle": None, "instructor": "홍길동", "fonts": handouts.handout_fonts("Noto Sans CJK KR"),
        "accent": "#1F5FA8",
        "words": words_for("ko"), "objectives": list(session.objectives),
        "sections": handouts.handout_sections(session, str, handouts.print_equation),
        "figures": {"wide": entry(wide, "넓은 그림의 기본 캡션"), "tall": entry(tall, "높은 그림 캡션")},
        "animations": {"movie": entry(poster, "애니메이션 캡션")},
        "labs": [{"title": "실습 하나", "description": f"설명 {HOSTILE}", "student": "labs/one.student.ipynb"}],
    }


@pytest.fixture(scope="module")
def pdf(data: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("handout") / "handout.pdf"
    handouts.typeset_pdf(TEMPLATE, data, output)
    return output


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_every_block_kind_reaches_the_page(pdf: Path) -> None:
    text = pdf_text(pdf)
    for expected in ("2회차. 모든 블록", "학습 목표", "1. 첫 부분", "섹션 부제", "하위 항목", "슬라이드의 캡션",
                     "왼쪽 칸", "높은 그림 캡션", "ViT", "95%", "표 설명", "수식 설명", "print(x)", "퍼셉트론",
                     "인용문입니다", "누군가", "애니메이션 캡션", words_for("ko")["labs"], "labs/one.student.ipynb"):
        assert expected in text, expected
    assert text.index("1957") < text.index("1969")  # the timeline is in year order


def test_curriculum_text_is_typeset_as_written_never_as_markup(pdf: Path) -> None:
    text = " ".join(pdf_text(pdf).split())
    for fragment in ("#set page(width: 2cm)", "$x^2$", "<label>", "@ref", "// not a comment", "#pagebreak()"):
        assert text.count(fragment) == 2, fragment  # in the notes and in the lab's description
    width = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in width  # no `#set page` took effect


def test_bold_marks_become_bold_and_an_unpaired_mark_stays(pdf: Path) -> None:
    text = pdf_text(pdf)
    assert "강조와 보통 글" in text and "**강조**" not in text and "짝 없는 ** 표시" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJKkr-Bold" in fonts and "NotoSansCJKkr-Regular" in fonts


def test_pages_render_with_embedded_korean_fonts(pdf: Path, tmp_path: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(ImageStat.Stat(Image.open(p).convert("L")).stddev[0] > 5 for p in pages)


def test_a_tall_figure_is_narrowed_to_fit_the_page_height(tmp_path: Path) -> None:
    assert handouts.print_width(picture(tmp_path / "wide.png", (1600, 600))) == 1.0
    tall = handouts.print_width(picture(tmp_path / "tall.png", (400, 900)))
    assert tall * handouts.PRINT_TEXT_WIDTH_MM * 900 / 400 == pytest.approx(handouts.PRINT_FIGURE_HEIGHT_MM, rel=0.01)


def test_a_broken_template_is_one_line_naming_it(data: dict, tmp_path: Path) -> None:
    template = tmp_path / "handout.typ"
    template.write_text(TEMPLATE.read_text(encoding="utf-8").replace("#let rich(source) = {", "#let rich(source = {"),
                        encoding="utf-8")
    output = tmp_path / "handout.pdf"
    with pytest.raises(CurriculumError) as raised:
        handouts.typeset_pdf(template, data, output)
    message = raised.value.one_line()
    assert message.startswith(str(template)) and "Typst" in message and "\n" not in message
    assert not output.exists()
