"""Safe YAML loading that remembers where every value came from.

The schema reports errors as `file:line:col`, so loading keeps a map from each value's path
(`("slides", 3, "title")`) to its position. Only plain YAML is accepted: the safe loader builds
no objects from tags, and duplicate keys are errors rather than silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import CurriculumError

Path_ = tuple[str | int, ...]

# libyaml's parser is several times faster than the pure-Python one and reports the same positions;
# the pure-Python loader is the fallback where PyYAML was built without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A text field this long is a pasted file, not course content; refusing it keeps errors readable.
MAX_FILE_BYTES = 2_000_000


@dataclass
class YamlDocument:
    """A loaded YAML file: its data and the position of every value in it."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, location: Path_) -> tuple[int | None, int | None]:
        """The (line, column) of the value at `location`, or of its nearest ancestor that has one."""
        location = tuple(location)
        while location:
            if location in self.positions:
                return self.positions[location]
            location = location[:-1]
        return self.positions.get((), (None, None))

    def error(self, location: Path_, message: str, hint: str | None = None) -> CurriculumError:
        line, column = self.position(location)
        return CurriculumError(self.path, line, column, message, hint)


def read_text(path: Path, display_path: Path | str | None = None) -> str:
    """Read a curriculum text file as UTF-8, or explain in one line why it cannot be read."""
    shown = display_path or path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CurriculumError(shown, None, None, "file not found", "check the path") from None
    except IsADirectoryError:
        raise CurriculumError(shown, None, None, "is a directory, expected a file") from None
    if len(raw) > MAX_FILE_BYTES:
        line = raw[:MAX_FILE_BYTES].count(b"\n") + 1  # where the file passes the limit
        raise CurriculumError(
            shown, line, None, f"file is {len(raw) / 1_000_000:.1f} MB; curriculum files are limited to 2 MB",
            "shorten the text that starts on or before this line",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CurriculumError(
            shown, line, None, "file is not valid UTF-8", "save it with UTF-8 encoding"
        ) from None


def load_yaml(path: Path, display_path: Path | str | None = None) -> YamlDocument:
    """Load one YAML file safely, with positions; raise `CurriculumError` on any YAML problem."""
    shown = display_path or path
    text = read_text(path, shown)
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(Path(shown), None, {})
        positions: dict[Path_, tuple[int, int]] = {}
        _check_and_record(node, (), positions, shown)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or "invalid YAML"
        hint = ("YAML indents with spaces, not tabs" if _tab_near(text, mark)
                else "check the brackets, quotes and indentation on this line and the one before")
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise CurriculumError(shown, line, column, f"YAML syntax error: {problem}", hint) from None
    except yaml.YAMLError as error:
        raise CurriculumError(shown, None, None, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    return YamlDocument(Path(shown), data, positions)


def _tab_near(text: str, mark: yaml.Mark | None) -> bool:
    """Whether the line of a YAML error has a tab at or before the error's column."""
    lines = text.splitlines()
    return mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


_PLAIN_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _check_and_record(node: yaml.Node, location: Path_, positions: dict, shown: Path | str) -> None:
    mark = node.start_mark
    positions[location] = (mark.line + 1, mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        raise CurriculumError(
            shown, mark.line + 1, mark.column + 1, f"YAML tag {node.tag!r} is not allowed",
            "curriculum files hold plain data only",
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CurriculumError(
                    shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    "mapping keys must be plain text",
                )
            key = key_node.value
            if key in seen:
                raise CurriculumError(
                    shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                    f"duplicate key {key!r} (first defined on line {seen[key]})",
                    "remove or rename one of them",
                )
            seen[key] = key_node.start_mark.line + 1
            _check_and_record(value_node, (*location, key), positions, shown)
            # A key's own position is better than its value's for "unknown key" errors.
            positions[(*location, key, "__key__")] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_and_record(item, (*location, index), positions, shown)
