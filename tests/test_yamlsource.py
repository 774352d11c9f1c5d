"""YAML is loaded safely, with positions, and every problem names its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import CurriculumError
from pipeline.yamlsource import load_yaml


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "session.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_positions_are_recorded_for_nested_values(tmp_path: Path) -> None:
    document = load_yaml(write(tmp_path, "title: 제목\nslides:\n  - kind: bullets\n    title: 하나\n"))
    assert document.data["slides"][0]["title"] == "하나"
    assert document.position(("slides", 0, "title")) == (4, 12)
    assert document.position(("slides", 0, "title", "__key__")) == (4, 5)
    assert document.position(("slides", 5, "missing")) == (3, 3)  # nearest known ancestor


def test_python_object_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "title: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(CurriculumError) as raised:
        load_yaml(path)
    assert "tag" in raised.value.message and raised.value.line == 1


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError) as raised:
        load_yaml(write(tmp_path, "title: a\nnumber: 1\ntitle: b\n"))
    assert raised.value.line == 3
    assert "duplicate key 'title'" in raised.value.message and "line 1" in raised.value.message


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError) as raised:
        load_yaml(write(tmp_path, "slides:\n\t- kind: title\n"))
    assert raised.value.line == 2
    assert "tabs" in (raised.value.hint or "")


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError) as raised:
        load_yaml(write(tmp_path, "title: [unclosed\nnumber: 1\n"))
    line = raised.value.one_line()
    assert line.startswith(f"{tmp_path / 'session.yaml'}:") and "YAML syntax error" in line


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError) as raised:
        load_yaml(write(tmp_path, b"title: ok\nsubtitle: " + "한글".encode("euc-kr") + b"\n"))
    assert raised.value.line == 2 and "UTF-8" in raised.value.message


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    with pytest.raises(CurriculumError) as raised:
        load_yaml(write(tmp_path, "title: " + "가" * 4_000_000 + "\n"))
    assert "MB" in raised.value.message
