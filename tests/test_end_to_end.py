"""The whole course built end to end under the smoke profile, checked with the real tools students use."""

from __future__ import annotations

import json
import re
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from pptx import Presentation

from pipeline.curriculum import load_course
from tests.conftest import REPO, run_course

pytestmark = pytest.mark.slow
SESSION = Path("curriculum") / "session01.yaml"
SESSIONS = {loaded.session.number: loaded for loaded in load_course(REPO).sessions}
SESSION_NUMBERS = sorted(SESSIONS)


def built_targets(result: subprocess.CompletedProcess, build_dir: Path) -> set[str]:
    lines = (build_dir / "logs" / "build.log").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines if line.split("\t")[1] == "built"}


def test_every_kind_of_output_is_built(built_course: Path) -> None:
    build = built_course / "build"
    expected = [
        "models/perceptron_separable/checkpoint.pt", "models/perceptron_separable/metrics.json",
        "figures/perceptron_boundaries.png", "animations/perceptron_learning.mp4",
        "animations/perceptron_learning.png", "animations/perceptron_learning.gif",
        "session-01/labs/perceptron_lab.ipynb", "session-01/labs/perceptron_lab.student.ipynb",
        "session-01/deck.pptx", "session-01/handout.html", "session-01/handout.pdf",
        "downloads/session-01.zip", "index.html", "manifest.json",
    ]
    for relative in expected:
        assert (build / relative).is_file() and (build / relative).stat().st_size > 0, relative
    assert not list(build.rglob("*.tmp-*"))


def test_manifest_records_keys_inputs_devices_and_versions(built_course: Path) -> None:
    manifest = json.loads((built_course / "build" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["targets"]["model:perceptron_xor"]
    assert len(entry["key"]) == 64 and entry["device"] == "cpu" and entry["profile"] == "smoke"
    assert "library torch" in entry["inputs"] and entry["libraries"]["torch"].startswith("2.")
    assert {o["path"] for o in entry["outputs"]} >= {"models/perceptron_xor/metrics.json"}
    metrics = json.loads((built_course / "build/models/perceptron_xor/metrics.json").read_text())
    assert metrics["converged"] == 0.0


def test_training_records_its_throughput(built_course: Path) -> None:
    run = json.loads((built_course / "build/models/lenet/run.json").read_text(encoding="utf-8"))
    assert run["training"]["optimizer_steps"] > 0 and run["training"]["steps_per_second"] > 0
    by_hand = json.loads((built_course / "build/models/perceptron_xor/run.json").read_text(encoding="utf-8"))
    assert by_hand["training"]["optimizer_steps"] == 0 and by_hand["training"]["steps_per_second"] is None


def test_second_build_runs_nothing_and_is_fast(built_copy: Path) -> None:
    started = time.perf_counter()
    result = run_course(built_copy, "build", "--profile", "smoke", "-j", "2")  # as the fixture built it
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert built_targets(result, built_copy / "build") == set()
    assert "0 built" in result.stderr
    assert elapsed < 2.0, f"no-op build took {elapsed:.2f}s"


def test_building_one_session_keeps_the_others_on_the_course_page(built_copy: Path) -> None:
    result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert built_targets(result, built_copy / "build") <= {"site"}  # nothing of session 1 was out of date
    index = (built_copy / "build" / "index.html").read_text(encoding="utf-8")
    assert all(f"session-{n:02d}/deck.pptx" in index for n in SESSION_NUMBERS)


def test_editing_a_slide_rebuilds_only_its_deck_and_handout(built_copy: Path) -> None:
    path = built_copy / SESSION
    path.write_text(path.read_text(encoding="utf-8").replace("이 모임을 연구 분야로서", "이 모임을 학문 분야로서"),
                    encoding="utf-8")
    model_bytes = (built_copy / "build/models/perceptron_xor/checkpoint.pt").read_bytes()
    result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert built_targets(result, built_copy / "build") == {
        "deck:session-01", "handout:session-01", "zip:session-01", "site"}
    assert "run deck:session-01: curriculum changed" in result.stderr
    assert (built_copy / "build/models/perceptron_xor/checkpoint.pt").read_bytes() == model_bytes
    deck = Presentation(str(built_copy / "build/session-01/deck.pptx"))
    assert any("학문 분야로서" in shape.text_frame.text for slide in deck.slides for shape in slide.shapes
               if shape.has_text_frame)


def test_an_english_course_gets_english_words_around_its_content(built_copy: Path) -> None:
    course_file = built_copy / "curriculum" / "course.yaml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace("language: ko", "language: en", 1),
                           encoding="utf-8")
    result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert built_targets(result, built_copy / "build") == {
        "deck:session-01", "handout:session-01", "zip:session-01", "site"}
    index = (built_copy / "build" / "index.html").read_text(encoding="utf-8")
    handout = (built_copy / "build" / "session-01" / "handout.html").read_text(encoding="utf-8")
    assert "Session 1" in index and "Lab notebooks" in index and "Learning objectives" in handout
    # The curriculum is still Korean; what must be gone is every Korean word the build itself writes.
    tool_words = re.compile(r">\d+회차<|\d+회차\. |학습 목표|"
                            r"실습 노트북|학생용|강사용|내려받기|핸드아웃 \(|영상 \(mp4\)|빌드되었습니다")
    assert not tool_words.search(index) and not tool_words.search(handout)
    deck = Presentation(str(built_copy / "build/session-01/deck.pptx"))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert "Learning objectives" in texts and "학습 목표" not in texts


def test_a_failing_target_keeps_its_last_output_and_spares_unrelated_ones(built_copy: Path) -> None:
    figure_source = built_copy / "figures" / "history.py"
    figure_source.write_text(figure_source.read_text(encoding="utf-8").replace(
        '    """DL inside NN inside ML inside AI, as nested ellipses."""',
        '    """DL inside NN inside ML inside AI, as nested ellipses."""\n    raise ValueError("broken on purpose")'),
        encoding="utf-8")
    lab = built_copy / "curriculum" / "labs" / "01_perceptron.py"
    lab.write_text(lab.read_text(encoding="utf-8") + "\n# %%\nprint('changed')\n", encoding="utf-8")
    old_figure = (built_copy / "build/figures/ai_fields.png").read_bytes()
    result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1", "-j", "2")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"failed figure:ai_fields: ValueError: broken on purpose \(log: .*figure-ai_fields\.log\)",
                     result.stderr.replace("\n", " ")), result.stderr
    assert (built_copy / "build/figures/ai_fields.png").read_bytes() == old_figure
    assert "raise ValueError" in (built_copy / "build/logs/figure-ai_fields.log").read_text(encoding="utf-8")
    assert "lab:perceptron_lab" in built_targets(result, built_copy / "build")  # unrelated work went on
    log = (built_copy / "build/logs/build.log").read_text(encoding="utf-8")
    assert "deck:session-01\tskipped" in log  # the deck shows that figure, so it waits for a fix


def deck_paths(course: Path) -> list[Path]:
    return sorted((course / "build").glob("session-*/deck.pptx"))


@pytest.mark.parametrize("number", SESSION_NUMBERS)
def test_deck_structure(built_course: Path, number: int) -> None:
    session = SESSIONS[number].session
    deck = Presentation(str(built_course / f"build/session-{number:02d}/deck.pptx"))
    assert deck.slide_width * 9 == deck.slide_height * 16
    slides = list(deck.slides)
    assert len(slides) >= len(session.slides) + 1  # the objectives slide follows the title; long lists continue
    notes = [slide.notes_slide.notes_text_frame.text for slide in slides if slide.has_notes_slide]
    assert len(notes) >= len([s for s in session.slides if s.notes])
    texts = notes + [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    assert not [text for text in texts if "{{" in text]  # every metric was filled in
    pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]
    assert pictures and all(shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for shape in pictures)
    movies = [shape for slide in slides for shape in slide.shapes if shape._element.xpath(".//a:videoFile")]
    assert len(movies) == sum(slide.kind == "animation" for slide in session.slides)
    tables = [shape for slide in slides for shape in slide.shapes if shape.has_table]
    assert len(tables) == sum(slide.kind == "table" for slide in session.slides)
    runs = [run for slide in slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    runs += [run for table in tables for row in table.table.rows for cell in row.cells
             for paragraph in cell.text_frame.paragraphs for run in paragraph.runs]
    # Every run names an East Asian font: the course font, or its monospaced sibling on code slides.
    assert runs and all(run._r.xpath("./a:rPr/a:ea/@typeface")[0] in {"Noto Sans CJK KR", "Noto Sans Mono CJK KR"}
                        for run in runs)


def test_the_first_deck_quotes_its_models_numbers(built_course: Path) -> None:
    deck = Presentation(str(built_course / "build/session-01/deck.pptx"))
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
    assert any("노비코프" in text for text in notes)


@pytest.mark.parametrize("number", SESSION_NUMBERS)
def test_deck_renders_in_libreoffice(built_course: Path, tmp_path: Path, number: int) -> None:
    deck = built_course / f"build/session-{number:02d}/deck.pptx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(deck)], capture_output=True, timeout=300, check=True)
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file(), "LibreOffice exited without writing the PDF"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                text=True, check=True).stdout).group(1))
    assert pages == len(Presentation(str(deck)).slides)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "slide")], check=True, timeout=300)
    from PIL import Image, ImageStat

    rendered = sorted(tmp_path.glob("slide-*.png"))
    assert len(rendered) == pages
    blank = [p.name for p in rendered if ImageStat.Stat(Image.open(p).convert("L")).stddev[0] < 5]
    assert not blank, blank


@pytest.mark.parametrize("number", SESSION_NUMBERS)
def test_handout_pdf_renders_with_korean_fonts(built_course: Path, tmp_path: Path, number: int) -> None:
    pdf = built_course / f"build/session-{number:02d}/handout.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "").replace("-", "") and "yes" in fonts  # embedded
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=300)
    from PIL import Image, ImageStat

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(ImageStat.Stat(Image.open(p).convert("L")).stddev[0] > 5 for p in pages)  # no blank page
    html = (built_course / f"build/session-{number:02d}/handout.html").read_text(encoding="utf-8")
    session = SESSIONS[number].session
    for figure in {s.figure for s in session.slides if getattr(s, "figure", None)}:
        assert f"../figures/{figure}.png" in html
    if any(slide.kind == "equation" for slide in session.slides):
        assert "<math" in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "poster"} and value:
                self.links.append(value)


def test_course_page_loads_in_chromium_and_every_link_resolves(built_course: Path, tmp_path: Path) -> None:
    index = built_course / "build" / "index.html"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path}/chrome",
         "--dump-dom", index.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and all(f"{n}회차" in result.stdout for n in SESSION_NUMBERS)
    parser = _Links()
    parser.feed(result.stdout)
    local = [link for link in parser.links if not link.startswith("#")]
    assert local and not [link for link in local if re.match(r"^[a-z]+://", link)]  # works offline
    missing = [link for link in local if not (index.parent / link).is_file()]
    assert missing == []
    for number in SESSION_NUMBERS:
        slug = f"session-{number:02d}"
        expected = {f"downloads/{slug}.zip", f"{slug}/deck.pptx", f"{slug}/handout.pdf", f"{slug}/handout.html"}
        expected |= {f"{slug}/labs/{lab}.student.ipynb" for lab in SESSIONS[number].session.labs}
        assert expected <= set(local), expected - set(local)


def test_notebooks_instructor_has_outputs_student_has_no_solution(built_course: Path) -> None:
    labs = built_course / "build/session-01/labs"
    instructor = nbformat.read(labs / "perceptron_lab.ipynb", as_version=4)
    student = nbformat.read(labs / "perceptron_lab.student.ipynb", as_version=4)
    nbformat.validate(instructor)
    nbformat.validate(student)
    assert any(output.get("output_type") == "display_data" for cell in instructor.cells
               for output in cell.get("outputs", []))
    assert "weights + learning_rate * y * x" in "".join(cell.source for cell in instructor.cells)
    student_text = json.dumps(student)
    assert "weights + learning_rate * y * x" not in student_text
    assert "NotImplementedError" in student_text
    assert all(not cell.get("outputs") for cell in student.cells if cell.cell_type == "code")


def test_session_zip_holds_what_a_student_needs(built_course: Path) -> None:
    with zipfile.ZipFile(built_course / "build/downloads/session-01.zip") as archive:
        names = set(archive.namelist())
    assert {"session-01/deck.pptx", "session-01/handout.pdf", "session-01/labs/perceptron_lab.student.ipynb",
            "session-01/labs/models/perceptron_separable/checkpoint.pt", "figures/perceptron_boundaries.png",
            "animations/perceptron_learning.mp4"} <= names
    assert "session-01/labs/perceptron_lab.ipynb" not in names  # the instructor version stays with the instructor


def test_second_build_waits_or_refuses_while_one_holds_the_lock(built_copy: Path) -> None:
    import fcntl

    with open(built_copy / "build" / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("pid 12345")
        handle.flush()
        result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1")
    assert result.returncode == 3
    assert "another build is running" in result.stderr and "Traceback" not in result.stderr
