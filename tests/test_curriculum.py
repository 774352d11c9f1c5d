"""The curriculum loads into one schema; every mistake is one line at file:line:col with a hint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.curriculum import load_course
from pipeline.errors import CurriculumError, CurriculumErrors

SESSION = Path("curriculum") / "session01.yaml"


def errors_after(course: Path, old: str, new: str, file: Path = SESSION) -> list[str]:
    """Replace `old` by `new` in a course file and return the load errors, one line each."""
    path = course / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises((CurriculumErrors, CurriculumError)) as raised:
        load_course(course)
    error = raised.value
    return [e.one_line() for e in error.errors] if isinstance(error, CurriculumErrors) else [error.one_line()]


def line_of(course: Path, text: str, file: Path = SESSION) -> int:
    lines = (course / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_the_course_loads(course_copy: Path) -> None:
    bundle = load_course(course_copy)
    assert bundle.course.language == "ko"
    assert [s.session.number for s in bundle.sessions] == list(range(1, len(bundle.sessions) + 1))


def test_unknown_key_suggests_the_right_one(course_copy: Path) -> None:
    lines = errors_after(course_copy, "    title: 다트머스 여름 연구 프로젝트 (1956)",
                         "    tittle: 다트머스 여름 연구 프로젝트 (1956)")
    expected_line = line_of(course_copy, "tittle:")
    assert any(line.startswith(f"{SESSION}:{expected_line}:5: unknown key 'tittle' (did you mean 'title'?)")
               for line in lines), lines


def test_unknown_slide_kind_suggests_the_right_one(course_copy: Path) -> None:
    lines = errors_after(course_copy, "  - kind: bullets\n    id: dartmouth", "  - kind: bulets\n    id: dartmouth")
    expected_line = line_of(course_copy, "kind: bulets")
    assert lines == [f"{SESSION}:{expected_line}:11: unknown slide kind 'bulets' (did you mean 'bullets'?)"]


def test_wrong_type_is_named(course_copy: Path) -> None:
    lines = errors_after(course_copy, "number: 1", "number: one")
    expected_line = line_of(course_copy, "number: one")
    assert lines == [f"{SESSION}:{expected_line}:9: expected int, got text (write a whole number)"]


def test_missing_required_key(course_copy: Path) -> None:
    lines = errors_after(course_copy, "  - kind: summary\n    id: summary\n    title: 정리\n",
                         "  - kind: summary\n    id: summary\n")
    assert any("missing required key 'title'" in line and line.startswith(f"{SESSION}:") for line in lines)


def test_slide_naming_a_missing_figure(course_copy: Path) -> None:
    lines = errors_after(course_copy, "    figure: perceptron_boundaries", "    figure: perceptron_boundary")
    assert any("unknown figure 'perceptron_boundary' (did you mean 'perceptron_boundaries'?)" in line
               for line in lines), lines


def test_figure_naming_an_unknown_model(course_copy: Path) -> None:
    lines = errors_after(course_copy, "models: [perceptron_separable, perceptron_xor]\n    caption: 같은",
                         "models: [perceptron_separable, perceptron_xr]\n    caption: 같은")
    assert any("unknown model 'perceptron_xr' (did you mean 'perceptron_xor'?)" in line for line in lines)


def test_model_kind_and_params_are_checked_against_the_zoo(course_copy: Path) -> None:
    lines = errors_after(course_copy, "params: {dataset: xor, epochs: 30}",
                         "params: {dataset: xor, epocs: 3, margin: wide}")
    assert any("has no parameter 'epocs' (did you mean 'epochs'?)" in line for line in lines), lines
    assert any("parameter 'margin' must be float" in line for line in lines), lines


def test_unknown_metric_in_slide_text(course_copy: Path) -> None:
    lines = errors_after(course_copy, "metrics.perceptron_xor.best_accuracy | pct(0) }}에 머문다",
                         "metrics.perceptron_xor.best_acuracy | pct(0) }}에 머문다")
    assert any("has no metric 'best_acuracy' (did you mean 'best_accuracy'?)" in line for line in lines)


@pytest.mark.parametrize("reference", ["../../../etc/passwd", "/etc/passwd"])
def test_lab_source_outside_the_course_is_refused(course_copy: Path, reference: str) -> None:
    lines = errors_after(course_copy, "source: labs/01_perceptron.py", f"source: {reference}")
    assert any("outside the course directory" in line for line in lines), lines


def test_missing_lab_source(course_copy: Path) -> None:
    lines = errors_after(course_copy, "source: labs/01_perceptron.py", "source: labs/01_perceptrn.py")
    assert any("not found (did you mean '01_perceptron.py'?)" in line for line in lines), lines


def test_figure_source_function_must_exist(course_copy: Path) -> None:
    lines = errors_after(course_copy, "draw: perceptron.decision_boundary", "draw: perceptron.decision_boundry")
    assert any("defines no 'decision_boundry' (did you mean 'decision_boundary'?)" in line for line in lines)


def test_several_errors_are_all_reported(course_copy: Path) -> None:
    path = course_copy / SESSION
    text = path.read_text(encoding="utf-8").replace("figure: ai_fields", "figure: ai_field")
    path.write_text(text.replace("animation: perceptron_learning", "animation: perceptron_learnin"), "utf-8")
    with pytest.raises(CurriculumErrors) as raised:
        load_course(course_copy)
    assert len(raised.value.errors) == 2


def test_cli_prints_one_line_per_error_and_exits_2(course_copy: Path) -> None:
    path = course_copy / SESSION
    path.write_text(path.read_text(encoding="utf-8").replace("    title: 정리", "    titel: 정리"), "utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--course-dir", str(course_copy), "validate"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith(f"error: {SESSION}:") for line in lines)
    assert "(did you mean 'title'?)" in lines[0]
