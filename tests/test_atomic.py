"""Outputs are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import atomic


def test_failed_write_keeps_the_old_output_and_leaves_no_temporary(tmp_path: Path) -> None:
    output = tmp_path / "deck.pptx"
    output.write_bytes(b"last good")
    with pytest.raises(RuntimeError), atomic.atomic_path(output) as temporary:
        temporary.write_bytes(b"half writ")
        raise RuntimeError("stage crashed")
    assert output.read_bytes() == b"last good"
    assert list(tmp_path.iterdir()) == [output]


def test_successful_write_replaces_and_is_readable_by_others(tmp_path: Path) -> None:
    output = tmp_path / "sub" / "figure.png"
    atomic.write_bytes(output, b"new")
    assert output.read_bytes() == b"new"
    assert output.stat().st_mode & 0o044 == 0o044  # group and others may read published files
    assert [p.name for p in output.parent.iterdir()] == ["figure.png"]


def test_temporary_is_beside_the_target(tmp_path: Path) -> None:
    output = tmp_path / "handout.pdf"
    with atomic.atomic_path(output) as temporary:
        assert temporary.parent == output.parent and temporary.suffix == ".pdf"
        temporary.write_bytes(b"%PDF")


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    leftover = tmp_path / "figures" / f".x.png{atomic.TEMP_MARK}abc.png"
    leftover.write_bytes(b"partial")
    keep = tmp_path / "figures" / "x.png"
    keep.write_bytes(b"ok")
    assert atomic.remove_stale_temporaries(tmp_path) == 1
    assert not leftover.exists() and keep.exists()


def test_json_is_written_sorted_and_utf8(tmp_path: Path) -> None:
    atomic.write_json(tmp_path / "m.json", {"b": 1, "a": "한글"})
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == '{\n  "a": "한글",\n  "b": 1\n}\n'
