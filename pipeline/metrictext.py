"""Numbers from the build in curriculum text: `{{ metrics.<model>.<name> | <filter> }}`.

Only this exact form is substituted; any other `{{ ... }}` in curriculum text is shown as written.
Curriculum text is data, never a template, so it cannot reach anything but these metrics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

METRIC_PATTERN = re.compile(
    r"\{\{\s*metrics\.(?P<model>[a-z0-9][a-z0-9_-]*)\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"\s*(?:\|\s*(?P<filter>[a-z]+)(?:\((?P<argument>\d)\))?\s*)?\}\}"
)


def _percent(value: float, digits: int) -> str:
    return f"{value * 100:.{digits}f}%"


def _fixed(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def _integer(value: float, digits: int) -> str:
    return f"{round(value):,}"


def _scientific(value: float, digits: int) -> str:
    return f"{value:.{digits}e}"


# name -> (formatter, default number of digits)
FILTERS = {
    "pct": (_percent, 1),
    "fixed": (_fixed, 2),
    "int": (_integer, 0),
    "sci": (_scientific, 1),
}


@dataclass(frozen=True)
class MetricReference:
    model: str
    name: str
    filter: str | None
    digits: int | None


def find_references(text: str) -> Iterator[MetricReference]:
    for match in METRIC_PATTERN.finditer(text):
        argument = match.group("argument")
        yield MetricReference(
            match.group("model"), match.group("name"), match.group("filter"),
            int(argument) if argument is not None else None,
        )


def format_value(value: float, filter_name: str | None, digits: int | None) -> str:
    if filter_name is None:
        return f"{value:.4g}"
    formatter, default_digits = FILTERS[filter_name]
    return formatter(value, default_digits if digits is None else digits)


def substitute(text: str, metrics: Mapping[str, Mapping[str, float]]) -> str:
    """Replace each metric reference with its formatted value; the schema checked they exist."""

    def replace(match: re.Match[str]) -> str:
        value = metrics[match.group("model")][match.group("name")]
        argument = match.group("argument")
        return format_value(value, match.group("filter"), int(argument) if argument else None)

    return METRIC_PATTERN.sub(replace, text)


def strings_in(value: object) -> Iterator[str]:
    """Every string inside nested dicts and lists (a slide's fields, for instance)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
