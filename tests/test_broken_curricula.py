"""A corpus of broken curricula: each gives one clear line per problem, exit code 2, and build/ untouched.

Each case edits a copy of the built course (a replacement in one file, or a whole new file) and
runs the real `course build`. Nothing may be built, removed or rewritten when the input is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_course

S1 = "curriculum/session01.yaml"
COURSE = "curriculum/course.yaml"
S2 = "curriculum/session02_extra.yaml"
SESSION_TWO = """number: 2
title: 둘째 시간
objectives: [무언가를 배운다]
{body}
"""


def add_second_session(body: str) -> list[tuple[str, str | None, str]]:
    """Edits that add a small second session file with `body` after its required keys."""
    return [(COURSE, "  - session01.yaml\n", "  - session01.yaml\n  - session02_extra.yaml\n"),
            (S2, None, SESSION_TWO.format(body=body))]


# name -> list of (file, text to replace or None to write the whole file, replacement or content)
CASES: dict[str, list[tuple[str, str | None, str | bytes]]] = {
    "yaml syntax error": [(S1, "title: 딥러닝으로 본 인공지능의 역사\n", "title: [딥러닝으로 본\n")],
    "tab indentation": [(S1, "  - kind: title\n    id: cover", "  - kind: title\n\tid: cover")],
    "wrong type for number": [(S1, "number: 1\n", "number: first\n")],
    "wrong type for objectives": [(S1, "objectives:\n", "objectives: 42\nunused:\n")],
    "unknown top-level key": [(S1, "subtitle: 다트머스", "subtitel: 다트머스")],
    "unknown key in a slide": [(S1, "    id: dartmouth\n", "    id: dartmouth\n    colour: red\n")],
    "missing required key": [(S1, "number: 1\n", "")],
    "missing session file": [(COURSE, "  - session01.yaml", "  - session01.yaml\n  - session09.yaml")],
    "missing lab source": [(S1, "source: labs/01_perceptron.py", "source: labs/no_such_lab.py")],
    "slide names a missing figure": [(S1, "    figure: perceptron_boundaries", "    figure: no_such_figure")],
    "slide names a missing animation": [(S1, "animation: perceptron_learning\n", "animation: no_such_animation\n")],
    "figure names an unknown model": [(S1, "models: [perceptron_separable, perceptron_xor]\n    caption: 같은",
                                       "models: [perceptron_separable, no_model]\n    caption: 같은")],
    "dangling reference across files": add_second_session(
        "slides:\n  - kind: figure\n    title: 다른 회차의 그림\n    figure: perceptron_boundary\n"),
    "duplicate model id across files": add_second_session(
        "models:\n  perceptron_xor: {model: perceptron}\nslides:\n  - {kind: title, title: 둘째}\n"),
    "duplicate session number": add_second_session("slides:\n  - {kind: title, title: 둘째}\n")
    + [(S2, "number: 2", "number: 1")],
    "duplicate slide id": [(S1, "    id: rules-to-learning", "    id: dartmouth")],
    "duplicate yaml key": [(S1, "number: 1\n", "number: 1\nnumber: 2\n")],
    "empty session file": [(S1, None, "")],
    "session with no slides": add_second_session("slides: []\n"),
    "unknown model kind": [(S1, "    model: perceptron\n    title: XOR", "    model: perceptrn\n    title: XOR")],
    "unknown scene class": [(S1, "scene: perceptron.PerceptronLearning", "scene: perceptron.PerceptronLearns")],
    "unknown scene file": [(S1, "scene: perceptron.PerceptronLearning", "scene: perceptrons.PerceptronLearning")],
    "unknown figure function": [(S1, "draw: history.nested_fields", "draw: history.nested_field")],
    "absurd notebook timeout": [(COURSE, "notebook_timeout: 300", "notebook_timeout: 99999999")],
    "negative seed": [(COURSE, "    device: cpu\n", "    device: cpu\n    seed: -5\n")],
    "unknown budget": [(COURSE, "budget: smoke", "budget: tiny")],
    "absurd model parameter": [(S1, "params: {dataset: xor, epochs: 30}",
                                "params: {dataset: xor, epochs: 1000000000}")],
    "path traversal in lab source": [(S1, "source: labs/01_perceptron.py", "source: ../../../../etc/passwd")],
    "absolute path in theme template": [(COURSE, "template: templates/theme.pptx", "template: /etc/passwd")],
    "path traversal in session list": [(COURSE, "  - session01.yaml", "  - ../../../etc/passwd")],
    "non-UTF-8 file": [(S1, None, b"number: 1\ntitle: \xc7\xd1\xb1\xdb\n")],
    "ten megabyte text field": [(S1, "subtitle: 다트머스", "subtitle: " + "가" * 3_500_000 + "\nunused: 다트머스")],
    "python object tag": [(S1, "number: 1", "number: !!python/object/apply:os.system ['echo hacked']")],
    "unknown slide kind": [(S1, "  - kind: section\n    id: part-birth", "  - kind: sektion\n    id: part-birth")],
    "table row with too many cells": [(S1, '      - [AND, "(1, 1)", "2", "(1, 1)"]',
                                       '      - [AND, "(1, 1)", "2", "(1, 1)", extra]')],
    "timeline with one event": add_second_session(
        "slides:\n  - kind: timeline\n    title: 역사\n    events:\n      - {year: 1957, label: 퍼셉트론}\n"),
    "unknown metric": [(S1, "metrics.perceptron_xor.best_accuracy | pct(0) }}에 머문다",
                        "metrics.perceptron_xor.top_accuracy | pct(0) }}에 머문다")],
    "unknown metric filter": [(S1, "metrics.perceptron_xor.best_accuracy | pct(0) }}에 머문다",
                               "metrics.perceptron_xor.best_accuracy | percent }}에 머문다")],
    "invalid id": [(S1, "  perceptron_lab:\n", "  Perceptron Lab:\n")],
    "invalid accent colour": [(COURSE, 'accent_color: "#1f5fa8"', 'accent_color: blue')],
    "default profile missing": [(COURSE, "default_profile: default", "default_profile: fast")],
    "parameter of the wrong type": [(S1, "params: {dataset: xor, epochs: 30}",
                                     "params: {dataset: xor, epochs: many}")],
    "course without a language": [(COURSE, "language: ko\n", "")],
    "bullet with an unquoted colon": [(S1, '      - "그러나 결정 경계는 여전히 직선: 비선형 문제는 풀 수 없다"',
                                       "      - 그러나 결정 경계는 여전히 직선: 비선형 문제는 풀 수 없다")],
    "coverage names an unknown slide": [(S1, "slides: [xor-problem]}", "slides: [xor-problems]}")],
}
LINE = re.compile(r"^error: (curriculum/[\w./-]+):(\d+)(:\d+)?: \S.*$")


def apply(course: Path, edits: list[tuple[str, str | None, str]]) -> None:
    for file, old, new in edits:
        path = course / file
        if old is None:
            path.write_bytes(new.encode("utf-8") if isinstance(new, str) else new)
            continue
        text = path.read_text(encoding="utf-8")
        assert old in text, f"case text {old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(build: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(build)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in build.rglob("*") if p.is_file() and p.name != ".lock"}


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_curriculum_is_refused_cleanly(name: str, built_copy: Path) -> None:
    apply(built_copy, CASES[name])
    before = snapshot(built_copy / "build")
    result = run_course(built_copy, "build", "--profile", "smoke", timeout=120)
    assert result.returncode == 2, (name, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines, name
    for line in lines:
        assert LINE.match(line), (name, line)
        assert len(line) < 400, (name, line)  # one readable line, even for a 10 MB field
        assert line.endswith(")"), (name, line)  # every message ends with what to do, in parentheses
    assert snapshot(built_copy / "build") == before, name
