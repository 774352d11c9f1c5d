"""Decks: every slide kind, drawn, opened by python-pptx and rendered by LibreOffice."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.util import Emu

from pipeline import decks, schema
from pipeline.errors import SlideOverflowError

ALL_KINDS = {
    "number": 3,
    "title": "모든 슬라이드 종류",
    "objectives": ["첫째 목표", "둘째 목표"],
    "slides": [
        {"kind": "title", "title": "모든 슬라이드 종류", "subtitle": "부제목", "notes": "표지 노트"},
        {"kind": "section", "title": "1. 첫 부분", "subtitle": "섹션 부제"},
        {"kind": "bullets", "title": "글머리표 <script>alert(1)</script>", "notes": "둘째 줄\n셋째 줄",
         "bullets": ["**강조**와 보통 글", {"text": "상위", "children": ["하위 {{ 7*7 }}"]},
                     "정확도 {{ metrics.demo.accuracy | pct }}"]},
        {"kind": "figure", "title": "그림", "figure": "plot"},
        {"kind": "two_column", "title": "두 칸", "left": {"bullets": ["왼쪽"]}, "right": {"figure": "plot"}},
        {"kind": "table", "title": "표", "columns": ["모델", "정확도"], "rows": [["CNN", "99%"], ["ViT", "95%"]],
         "caption": "표 설명"},
        {"kind": "equation", "title": "수식", "latex": [r"y = \sum_i w_i x_i", r"\frac{a}{b}"], "bullets": ["설명"]},
        {"kind": "code", "title": "코드", "code": "for x in range(3):\n    print(x)  # 한글 주석"},
        {"kind": "timeline", "title": "연표", "events": [{"year": 1957, "label": "퍼셉트론", "era": "golden"},
                                                         {"year": 1969, "label": "겨울", "era": "winter"}]},
        {"kind": "quote", "quote": "인용문입니다", "attribution": "누군가"},
        {"kind": "animation", "title": "애니메이션", "animation": "movie"},
        {"kind": "summary", "title": "정리", "bullets": ["요점 하나", "요점 둘"]},
    ],
}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media")
    image = Image.new("RGB", (800, 500), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 700, 400), outline="navy", width=8)
    image.save(folder / "plot.png")
    image.save(folder / "poster.png")
    import av
    import numpy as np

    with av.open(str(folder / "movie.mp4"), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 200, "yuv420p"
        for index in range(10):
            frame = np.full((200, 320, 3), index * 20, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return {"plot": folder / "plot.png", "poster": folder / "poster.png", "movie": folder / "movie.mp4"}


def context_for(media: dict[str, Path]) -> decks.DeckContext:
    return decks.DeckContext(
        font="Noto Sans CJK KR", accent=decks.RGBColor(0x1F, 0x5F, 0xA8), session="3",
        figures={"plot": media["plot"]}, figure_alt={"plot": "네모 그림"}, figure_caption={"plot": "그림 설명"},
        animations={"movie": (media["movie"], media["poster"])}, animation_alt={"movie": "움직이는 그림"},
        animation_caption={"movie": "애니메이션 설명"}, metrics={"demo": {"accuracy": 0.9876}}, warnings=[])


@pytest.fixture(scope="module")
def deck_path(media: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("deck") / "deck.pptx"
    decks.write_deck(schema.Session.model_validate(ALL_KINDS), context_for(media),
                     Path(__file__).parents[1] / "templates" / "theme.pptx", output)
    return output


def texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_every_kind_is_drawn_in_order_with_objectives_after_the_title(deck_path: Path) -> None:
    slides = list(Presentation(str(deck_path)).slides)
    assert len(slides) == len(ALL_KINDS["slides"]) + 1
    assert "모든 슬라이드 종류" in texts(slides[0])
    assert "학습 목표" in texts(slides[1]) and "둘째 목표" in texts(slides[1])
    assert slides[2].shapes.title.text_frame.text == "1. 첫 부분"
    tables = [shape for shape in slides[6].shapes if shape.has_table]
    assert len(tables) == 1 and len(tables[0].table.rows) == 3 and len(tables[0].table.columns) == 2
    assert tables[0].table.cell(1, 0).text_frame.text == "CNN"
    assert "print(x)" in texts(slides[8])
    assert "1957" in texts(slides[9]) and "황금기" in texts(slides[9])
    assert "인용문입니다" in texts(slides[10])
    assert slides[11].shapes[-2]._element.xpath(".//a:videoFile")  # the movie, then its caption


def test_curriculum_text_is_shown_literally_and_metrics_are_filled_in(deck_path: Path) -> None:
    slide = list(Presentation(str(deck_path)).slides)[3]
    text = texts(slide)
    assert "<script>alert(1)</script>" in text
    assert "하위 {{ 7*7 }}" in text
    assert "정확도 98.8%" in text


def test_notes_pictures_and_fonts(deck_path: Path) -> None:
    slides = list(Presentation(str(deck_path)).slides)
    assert slides[0].notes_slide.notes_text_frame.text == "표지 노트"
    assert slides[3].notes_slide.notes_text_frame.text == "둘째 줄\n셋째 줄"
    # Every picture, the movie and the equations' fallback pictures included, has alt text.
    pictures = [picture for slide in slides for picture in slide._element.xpath(".//p:pic")]
    assert len(pictures) == 2 + 1 + 2
    assert all(picture.xpath("./p:nvPicPr/p:cNvPr/@descr")[0].strip() for picture in pictures)
    runs = [run for slide in slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    east_asian = {run._r.xpath("./a:rPr/a:ea/@typeface")[0] for run in runs}
    assert east_asian <= {"Noto Sans CJK KR", "Noto Sans Mono CJK KR"} and runs


def test_equations_are_native_with_a_picture_fallback(deck_path: Path) -> None:
    slide = list(Presentation(str(deck_path)).slides)[7]
    xml = slide._element.xml
    assert xml.count("<mc:AlternateContent") == 2 and "a14:m" in xml and "m:nary" in xml and "m:f>" in xml


def test_text_never_overflows_its_box(deck_path: Path) -> None:
    from pipeline import textfit

    for slide in Presentation(str(deck_path)).slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            paragraphs = shape.text_frame.paragraphs
            sizes = [run.font.size.pt for p in paragraphs for run in p.runs if run.font.size]
            if not sizes:
                continue
            width = Emu(shape.width).pt - 14.4
            lines = sum(len(textfit.wrap(p.text, "Noto Sans CJK KR", max(sizes), width)) for p in paragraphs)
            assert lines * max(sizes) * textfit.LINE_SPACING <= Emu(shape.height).pt * 1.6, shape.text_frame.text


def test_table_columns_share_the_width_by_their_text() -> None:
    from pipeline import textfit

    total = 10_000_000
    cells = [["변형", "설명"], ["ReLU", "포화되지 않아 기울기가 깊은 층까지 전달되지만, 음수 입력에서는 뉴런이 죽는다"]]
    label, prose = decks.column_widths(cells, "Noto Sans CJK KR", total, 20)
    assert label + prose == total and label == total // 4  # the label column at its floor: half an equal share
    three = decks.column_widths([["a", "b", "c"], ["short", "a little longer", "the longest text of the row"]],
                                "Noto Sans CJK KR", total, 20)
    assert three[0] < three[1] < three[2] and sum(three) == total
    # A narrow column still holds its longest word whole.
    rows = [["모델", "연도", "제안자", "설명"], ["Seq2Seq", "2014", "수츠케버 외", "인코더와 디코더 " * 12]]
    words = decks.column_widths(rows, "Noto Sans CJK KR", total, 24)
    assert Emu(words[0]).pt - decks.CELL_MARGINS >= textfit.text_width("Seq2Seq", "Noto Sans CJK KR", 24)
    even = decks.column_widths([["열", "열", "열"], ["같은 글", "같은 글", "같은 글"]], "Noto Sans CJK KR", total, 20)
    assert sum(even) == total and max(even) - min(even) <= 1


def test_table_cells_fit_their_own_column(deck_path: Path) -> None:
    from pipeline import textfit

    for slide in Presentation(str(deck_path)).slides:
        for shape in (s for s in slide.shapes if s.has_table):
            table = shape.table
            assert sum(column.width for column in table.columns) == shape.width
            for row in table.rows:
                for column, cell in zip(table.columns, row.cells, strict=True):
                    size = max(run.font.size.pt for p in cell.text_frame.paragraphs for run in p.runs)
                    width = Emu(column.width).pt - 14.4
                    lines = len(textfit.wrap(cell.text_frame.text, "Noto Sans CJK KR", size, width))
                    assert lines * size * textfit.LINE_SPACING + 12 <= Emu(row.height).pt + 0.5


def test_two_figures_side_by_side_share_the_width_by_aspect(media: dict[str, Path], tmp_path: Path) -> None:
    Image.new("RGB", (1200, 400), "white").save(tmp_path / "strip.png")  # a wide strip of panels, 3:1
    context = context_for(media)
    context.figures["strip"] = tmp_path / "strip.png"

    def widths(left: dict, right: dict) -> tuple[int, int]:
        slide = schema.TwoColumnSlide.model_validate({"kind": "two_column", "title": "t", "left": left, "right": right})
        return decks.two_column_widths(slide, context, 1_000_000)

    strip, plot = widths({"figure": "strip"}, {"figure": "plot"})  # 3:1 beside 8:5
    assert strip + plot == 1_000_000 and strip == pytest.approx(1_000_000 * 3 / 4.6, abs=2)
    assert widths({"figure": "strip"}, {"bullets": ["글"]}) == (500_000, 500_000)


def test_long_bullet_lists_continue_on_a_second_slide(media: dict[str, Path], tmp_path: Path) -> None:
    long_list = {**ALL_KINDS, "slides": [{"kind": "bullets", "title": "긴 목록", "notes": "노트",
                                          "bullets": [f"{n}번째 항목은 제법 긴 설명을 담고 있어서 한 줄을 넘기기도 한다"
                                                      for n in range(1, 19)]}]}
    output = tmp_path / "long.pptx"
    decks.write_deck(schema.Session.model_validate(long_list), context_for(media), Path("missing.pptx"), output)
    slides = list(Presentation(str(output)).slides)
    assert len(slides) >= 2
    assert slides[1].shapes.title.text_frame.text == "긴 목록 (계속)"
    assert "18번째" in texts(slides[-1]) and "1번째" in texts(slides[0])
    sizes = {run.font.size.pt for slide in slides for shape in slide.shapes if shape.has_text_frame
             and shape != slide.shapes.title for p in shape.text_frame.paragraphs for run in p.runs}
    assert min(sizes) >= decks.SPLIT_BELOW


def test_text_that_cannot_fit_fails_naming_the_slide(media: dict[str, Path], tmp_path: Path) -> None:
    huge = {**ALL_KINDS, "slides": [{"kind": "title", "title": "표지"},
                                    {"kind": "bullets", "title": "너무 긴 한 항목", "bullets": ["가나다라 " * 900]}]}
    with pytest.raises(SlideOverflowError, match=r"session 3, slide 2: text does not fit"):
        decks.write_deck(schema.Session.model_validate(huge), context_for(media), Path("missing.pptx"),
                         tmp_path / "huge.pptx")
    assert not (tmp_path / "huge.pptx").exists()  # nothing half-written


def test_libreoffice_renders_one_page_per_slide(deck_path: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(deck_path)], capture_output=True, timeout=240, check=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(Presentation(str(deck_path)).slides)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "글머리표" in text and "퍼셉트론" in text  # Hangul came through as text, not boxes
    images = subprocess.run(["pdfimages", "-list", "-f", "8", "-l", "8", str(pdf)], capture_output=True,
                            text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 4  # both equations drawn, as their pictures
