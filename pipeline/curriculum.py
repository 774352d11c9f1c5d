"""Loads a course directory into validated objects, or explains in one line per problem what is wrong.

Loading is three passes: YAML (safe, with positions), the schema (`pipeline.schema`), and the
cross-references between files (a slide's figure, a figure's model, a lab's source file, the
metrics named in slide text). Every problem becomes a `CurriculumError` at `file:line:col`.
"""

from __future__ import annotations

import ast
import difflib
import functools
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from pipeline import metrictext, notebooks, schema
from pipeline.errors import CurriculumError, CurriculumErrors
from pipeline.models import registry
from pipeline.yamlsource import YamlDocument, load_yaml

COURSE_FILE = Path("curriculum") / "course.yaml"
FIGURES_DIR = Path("figures")
SCENES_DIR = FIGURES_DIR / "scenes"


@dataclass
class LoadedSession:
    session: schema.Session
    document: YamlDocument
    path: Path  # absolute path of the session's YAML file
    data: dict[str, Any]  # the raw YAML data, whose subtrees key the build targets


@dataclass
class CourseBundle:
    """A validated course: everything the build graph is made from."""

    root: Path
    course: schema.Course
    course_data: dict[str, Any]
    sessions: list[LoadedSession]
    # Global ids -> the session that defines them (ids are unique across the course).
    model_owner: dict[str, LoadedSession] = field(default_factory=dict)
    figure_owner: dict[str, LoadedSession] = field(default_factory=dict)
    animation_owner: dict[str, LoadedSession] = field(default_factory=dict)
    lab_owner: dict[str, LoadedSession] = field(default_factory=dict)

    def model(self, model_id: str) -> schema.ModelSpec:
        return self.model_owner[model_id].session.models[model_id]

    def figure(self, figure_id: str) -> schema.FigureSpec:
        return self.figure_owner[figure_id].session.figures[figure_id]

    def animation(self, animation_id: str) -> schema.AnimationSpec:
        return self.animation_owner[animation_id].session.animations[animation_id]

    def lab(self, lab_id: str) -> schema.LabSpec:
        return self.lab_owner[lab_id].session.labs[lab_id]

    def relative(self, path: Path) -> Path:
        return path.relative_to(self.root)


def load_course(root: Path) -> CourseBundle:
    """Load and check the whole course under `root`; raise `CurriculumErrors` listing every problem."""
    root = root.resolve()
    course_path = root / COURSE_FILE
    course_document = load_yaml(course_path, _shown(root, course_path))
    course = _validate(schema.Course, course_document)
    errors: list[CurriculumError] = []
    _check_file_reference(root, course_document, ("theme", "template"), course.theme.template, errors)
    if course.default_profile not in course.profiles:
        errors.append(course_document.error(("default_profile",), f"no profile named {course.default_profile!r}",
                                            _did_you_mean(course.default_profile, course.profiles)
                                            or f"one of {', '.join(course.profiles)}"))

    sessions: list[LoadedSession] = []
    for index, session_file in enumerate(course.sessions):
        where = ("sessions", index)
        session_path = _resolve_inside(root / "curriculum", session_file)
        if session_path is None or not session_path.is_relative_to(root):
            errors.append(course_document.error(
                where, f"session file {session_file!r} is outside the curriculum directory",
                "name a file under curriculum/"))
            continue
        if not session_path.is_file():
            errors.append(course_document.error(
                where, f"session file {session_file!r} not found", _suggest_file(session_path)))
            continue
        try:
            document = load_yaml(session_path, _shown(root, session_path))
            session = _validate(schema.Session, document)
        except CurriculumError as error:
            errors.append(error)
            continue
        except CurriculumErrors as many:
            errors.extend(many.errors)
            continue
        sessions.append(LoadedSession(session, document, session_path, document.data))

    bundle = CourseBundle(root, course, course_document.data, sessions)
    if errors:
        # A session that did not load defines no ids, so checking references now would only repeat
        # this error as "unknown ..." in every session that uses them: report the cause alone.
        raise CurriculumErrors(errors)
    _check_session_numbers(bundle, course_document, errors)
    _collect_ids(bundle, errors)
    for loaded in sessions:
        _check_session_references(bundle, loaded, errors)
    if errors:
        raise CurriculumErrors(errors)
    return bundle


def _shown(root: Path, path: Path) -> Path:
    """Paths in messages are relative to the course directory, as the instructor wrote them."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path


# --- schema validation ------------------------------------------------------------------------


def _validate(model: type[pydantic.BaseModel], document: YamlDocument) -> Any:
    if not isinstance(document.data, dict):
        raise CurriculumError(document.path, 1, 1, "expected a mapping of keys to values at the top level",
                              "see docs/curriculum.md for the format")
    try:
        return model.model_validate(document.data)
    except pydantic.ValidationError as invalid:
        errors: dict[tuple, CurriculumError] = {}
        details = invalid.errors()
        misspelt = {(tuple(d["loc"][:-1]), close) for d in details if d["type"] == "extra_forbidden"
                    for close in difflib.get_close_matches(str(d["loc"][-1]), _schema_vocabulary(), 1, 0.6)}
        for detail in details:
            if detail["type"] == "missing" and (tuple(detail["loc"][:-1]), detail["loc"][-1]) in misspelt:
                continue  # "unknown key 'titel' (did you mean 'title'?)" already says it
            bullet = _bullet_union_location(detail["loc"])
            if bullet is not None:  # both branches of "text or {text, children}" failed: say it once
                errors.setdefault(bullet, _describe_bullet(document, bullet))
            else:
                errors[tuple(detail["loc"]) + (detail["type"],)] = _describe(model, document, detail)
        raise CurriculumErrors(list(errors.values())) from None


def _bullet_union_location(loc: tuple) -> tuple | None:
    for index, step in enumerate(loc):
        if step in {"str", "Bullet"} and index > 0 and isinstance(loc[index - 1], int):
            if step == "Bullet" and len(loc) > index + 2:
                return None  # an error deeper inside a valid {text, children} bullet
            return tuple(loc[:index])
    return None


def _describe_bullet(document: YamlDocument, loc: tuple) -> CurriculumError:
    location = _data_location(document.data, loc)
    value: Any = document.data
    for step in location:
        value = value[step]
    if isinstance(value, dict) and "text" not in value and len(value) == 1:
        return document.error(location, "this bullet was read as a key and a value because it contains ': '",
                              "put the whole bullet in quotes")
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"text", "children"})
        if unknown:
            return document.error(location, f"unknown key {unknown[0]!r} in a bullet",
                                  _did_you_mean(unknown[0], ["text", "children"]) or "a bullet has text and children")
        return document.error(location, "a bullet mapping needs 'text' (and optionally 'children')")
    return document.error(location, f"a bullet must be text or a mapping with 'text', got {type(value).__name__}",
                          "put text in quotes")


def _describe(root: type[pydantic.BaseModel], document: YamlDocument, detail: Any) -> CurriculumError:
    location = _data_location(document.data, detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        key = location[-1]
        line, column = document.position((*location, "__key__"))
        allowed = _fields_at(root, detail["loc"])
        return CurriculumError(document.path, line, column, f"unknown key {key!r}",
                               _did_you_mean(str(key), allowed or _schema_vocabulary())
                               or "remove it or check docs/curriculum.md")
    if kind == "missing":
        return document.error(location[:-1], f"missing required key {detail['loc'][-1]!r}",
                              "add it; docs/curriculum.md lists the keys")
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']+)'", detail["ctx"]["expected_tags"])
        return document.error((*location, "kind"), f"unknown slide kind {detail['ctx']['tag']!r}",
                              _did_you_mean(str(detail["ctx"]["tag"]), tags) or f"one of {', '.join(tags)}")
    if kind == "union_tag_not_found":
        return document.error(location, "slide has no 'kind'", f"one of {', '.join(schema.SLIDE_KINDS)}")
    if kind == "literal_error":
        choices = re.findall(r"'([^']+)'", detail["ctx"]["expected"])
        return document.error(location, f"{value!r} is not allowed here",
                              _did_you_mean(str(value), choices) or f"one of {', '.join(choices)}")
    if kind == "string_pattern_mismatch" and detail["loc"][-1] == "[key]":
        return document.error(location, f"id {location[-1]!r} is not a valid id",
                              "use lower-case letters, digits, '-' and '_'")
    if kind == "string_pattern_mismatch":
        return document.error(location, f"{value!r} has the wrong form", _pattern_hint(detail["loc"]))
    if kind.endswith("_type"):
        expected = kind.removesuffix("_type").replace("dict", "mapping")
        got = type(value).__name__.replace("dict", "mapping").replace("str", "text")
        hint = TYPE_HINTS.get(expected, "see docs/curriculum.md")
        return document.error(location, f"expected {expected}, got {got}", hint)
    if kind in BOUNDS:
        bound = next(iter(detail["ctx"].values()))
        return document.error(location, f"{value!r} is out of range: it must be {BOUNDS[kind]} {bound}",
                              "use a value inside the range docs/curriculum.md gives")
    if kind in {"too_short", "too_long"}:
        limit = detail["ctx"].get("min_length" if kind == "too_short" else "max_length")
        wanted = f"at least {limit}" if kind == "too_short" else f"at most {limit}"
        return document.error(location, f"needs {wanted} item(s), has {detail['ctx'].get('actual_length')}",
                              "add items" if kind == "too_short" else "split it up")
    if kind in {"string_too_short", "string_too_long"}:
        limit = detail["ctx"].get("min_length", detail["ctx"].get("max_length"))
        return document.error(location, f"text is too {'short' if kind == 'string_too_short' else 'long'} "
                              f"(limit {limit} characters)",
                              "write some text" if kind == "string_too_short" else "shorten it or split it")
    if kind == "value_error":
        return document.error(location, str(detail["msg"]).removeprefix("Value error, "), "see docs/curriculum.md")
    return document.error(location, detail["msg"][0].lower() + detail["msg"][1:], "see docs/curriculum.md")


TYPE_HINTS = {"string": "put text in quotes", "int": "write a whole number", "float": "write a number",
              "bool": "write true or false", "list": "write a list, one '- item' per line",
              "mapping": "write 'key: value' lines"}
BOUNDS = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than",
          "less_than": "less than"}


def _pattern_hint(loc: tuple) -> str:
    if loc and loc[-1] == "accent_color":
        return "write a colour as \"#rrggbb\", in quotes"
    if loc and loc[-1] in {"draw", "scene"}:
        return "write it as <file>.<name>, e.g. perceptron.decision_boundary"
    return "use lower-case letters, digits, '-' and '_'"


def _data_location(data: Any, loc: tuple) -> tuple:
    """Pydantic's location with union member names dropped, so it indexes the YAML data."""
    location: list[Any] = []
    current = data
    for index, step in enumerate(loc):
        if step == "[key]":
            break
        after_item = index > 0 and isinstance(loc[index - 1], int)
        if after_item and isinstance(current, dict) and current.get("kind") == step:
            continue  # the tag pydantic adds for a slide's kind
        if after_item and step in {"str", "Bullet"} or str(step).startswith("function-"):
            continue  # the branch names of "text or {text, children}"
        in_mapping = isinstance(current, dict) and step in current
        in_list = isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current)
        if in_mapping or in_list:
            current = current[step]
            location.append(step)
        else:
            if isinstance(current, dict):
                location.append(step)  # a missing or unknown key: point at it or its parent
            break
    return tuple(location)


def _fields_at(root: type[pydantic.BaseModel], loc: tuple) -> list[str] | None:
    """The keys allowed where the last step of `loc` sits, following pydantic's location through the schema."""
    current: Any = root
    for step in loc[:-1]:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
            if step not in current.model_fields:
                return None
            current = current.model_fields[step].annotation
            continue
        origin, arguments = typing.get_origin(current), typing.get_args(current)
        if origin is list:
            current = arguments[0]
        elif origin is dict:
            current = arguments[1]
        elif arguments:  # a union: pydantic names the member (a slide kind or a class) in the location
            current = next((member for member in map(_unwrap, arguments) if _names_member(member, step)), None)
            if current is None:
                return None
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _names_member(member: Any, step: Any) -> bool:
    if not (isinstance(member, type) and issubclass(member, pydantic.BaseModel)):
        return getattr(member, "__name__", None) == step
    kind = member.model_fields.get("kind")
    return member.__name__ == step or (kind is not None and step in typing.get_args(kind.annotation))


@functools.cache
def _schema_vocabulary() -> tuple[str, ...]:
    names: set[str] = set()
    for value in vars(schema).values():
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            names.update(value.model_fields)
    return tuple(sorted(names))


def _did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


# --- files ------------------------------------------------------------------------------------


def _resolve_inside(base: Path, reference: str) -> Path | None:
    """The file `reference` names under `base`, or None if it is absolute or escapes the course."""
    if not reference or Path(reference).is_absolute() or "\x00" in reference:
        return None
    return (base / reference).resolve()


def _check_file_reference(root: Path, document: YamlDocument, location: tuple, reference: str,
                          errors: list[CurriculumError], base: Path | None = None) -> Path | None:
    """The file a curriculum value names (relative to `base`, default the course directory), if it is valid."""
    path = _resolve_inside(base or root, reference)
    if path is None or not path.is_relative_to(root):
        errors.append(document.error(location, f"{reference!r} points outside the course directory",
                                     "use a path relative to the course directory"))
        return None
    if not path.is_file():
        errors.append(document.error(location, f"file {reference!r} not found", _suggest_file(path)))
        return None
    return path


def _suggest_file(path: Path) -> str:
    siblings = [p.name for p in path.parent.glob("*")] if path.parent.is_dir() else []
    return _did_you_mean(path.name, siblings) or "check the path"


TOP_LEVEL_DEFINITION = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z]\w*)", re.MULTILINE)


def _defines(path: Path, name: str) -> bool:
    """Whether a Python file (read, not imported) defines `name` at its top level. A line-start scan
    answers nearly every lookup without parsing the file (parsing all of a course's figure and scene
    files would take a fifth of a second of every command)."""
    return name in TOP_LEVEL_DEFINITION.findall(path.read_text(encoding="utf-8")) or name in _definitions(path)


def _definitions(path: Path) -> tuple[str, ...]:
    """Top-level function and class names defined in a Python file, from its syntax tree."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return tuple(node.name for node in tree.body
                 if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"))


def draw_source(root: Path, reference: str, folder: Path) -> tuple[Path, str]:
    """`perceptron.decision_boundary` -> (figures/perceptron.py, 'decision_boundary')."""
    module, name = reference.split(".", 1)
    return root / folder / f"{module}.py", name


def _check_code_reference(bundle: CourseBundle, document: YamlDocument, location: tuple, reference: str,
                          folder: Path, errors: list[CurriculumError]) -> None:
    path, name = draw_source(bundle.root, reference, folder)
    if not path.is_file():
        available = sorted(p.stem for p in (bundle.root / folder).glob("*.py"))
        errors.append(document.error(location, f"no file {folder / path.name} for {reference!r}",
                                     _did_you_mean(path.stem, available) or "check the file name"))
        return
    if not _defines(path, name):
        names = _definitions(path)
        errors.append(document.error(location, f"{folder / path.name} defines no {name!r}",
                                     _did_you_mean(name, names) or f"it defines {', '.join(names)}"))


# --- cross-references -------------------------------------------------------------------------


def _check_session_numbers(bundle: CourseBundle, course_document: YamlDocument,
                           errors: list[CurriculumError]) -> None:
    seen: dict[int, Path] = {}
    for loaded in bundle.sessions:
        number = loaded.session.number
        if number in seen:
            errors.append(loaded.document.error(("number",), f"session number {number} is also used by {seen[number]}",
                                                "give each session its own number"))
        seen[number] = loaded.document.path


def _collect_ids(bundle: CourseBundle, errors: list[CurriculumError]) -> None:
    owners = {"models": bundle.model_owner, "figures": bundle.figure_owner,
              "animations": bundle.animation_owner, "labs": bundle.lab_owner}
    for loaded in bundle.sessions:
        for section, owner in owners.items():
            for identifier in getattr(loaded.session, section):
                if identifier in owner:
                    errors.append(loaded.document.error(
                        (section, identifier, "__key__"),
                        f"{section[:-1]} id {identifier!r} is already defined in {owner[identifier].document.path}",
                        "ids are shared by the whole course; rename one"))
                else:
                    owner[identifier] = loaded


def _check_session_references(bundle: CourseBundle, loaded: LoadedSession, errors: list[CurriculumError]) -> None:
    session, document = loaded.session, loaded.document

    def need(kind: str, identifier: str, known: dict, location: tuple) -> None:
        if identifier not in known:
            errors.append(document.error(location, f"unknown {kind} {identifier!r}",
                                         _did_you_mean(identifier, known) or f"define it under '{kind}s:'"))

    for model_id, spec in session.models.items():
        _check_model_spec(document, model_id, spec, errors)
    for figure_id, figure in session.figures.items():
        _check_code_reference(bundle, document, ("figures", figure_id, "draw"), figure.draw, FIGURES_DIR, errors)
        for index, model_id in enumerate(figure.models):
            need("model", model_id, bundle.model_owner, ("figures", figure_id, "models", index))
    for animation_id, animation in session.animations.items():
        _check_code_reference(bundle, document, ("animations", animation_id, "scene"), animation.scene,
                              SCENES_DIR, errors)
        for index, model_id in enumerate(animation.models):
            need("model", model_id, bundle.model_owner, ("animations", animation_id, "models", index))
    for lab_id, lab in session.labs.items():
        path = _check_file_reference(bundle.root, document, ("labs", lab_id, "source"), lab.source, errors,
                                     base=bundle.root / "curriculum")
        if path is not None:
            _check_lab_source(bundle.root, path, errors)
        for index, model_id in enumerate(lab.models):
            need("model", model_id, bundle.model_owner, ("labs", lab_id, "models", index))

    slide_ids: dict[str, int] = {}
    for index, slide in enumerate(session.slides):
        location = ("slides", index)
        if slide.id is not None:
            if slide.id in slide_ids:
                first = slide_ids[slide.id] + 1
                message = f"slide id {slide.id!r} is already used by slide {first}"
                errors.append(document.error((*location, "id"), message, "give each slide its own id"))
            slide_ids[slide.id] = index
        for attribute, kind, known in (("figure", "figure", bundle.figure_owner),
                                       ("animation", "animation", bundle.animation_owner)):
            reference = getattr(slide, attribute, None)
            if reference is not None:
                need(kind, reference, known, (*location, attribute))
        for side in ("left", "right"):
            column = getattr(slide, side, None)
            if column is not None and column.figure is not None:
                need("figure", column.figure, bundle.figure_owner, (*location, side, "figure"))
        _check_metric_references(bundle, document, location, loaded.data["slides"][index], errors)
    for index, entry in enumerate(session.coverage):
        for slide_index, slide_id in enumerate(entry.slides):
            need("slide", slide_id, slide_ids, ("coverage", index, "slides", slide_index))


def _check_lab_source(root: Path, path: Path, errors: list[CurriculumError]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        errors.append(CurriculumError(_shown(root, path), None, None, f"not UTF-8 text (byte {error.start})",
                                      "save the lab source as UTF-8"))
        return
    for line, message, hint in notebooks.lab_source_problems(text):
        errors.append(CurriculumError(_shown(root, path), line, None, message, hint))


def _check_model_spec(document: YamlDocument, model_id: str, spec: schema.ModelSpec,
                      errors: list[CurriculumError]) -> None:
    names = registry.model_names()
    if spec.model not in names:
        errors.append(document.error(("models", model_id, "model"), f"unknown model {spec.model!r}",
                                     _did_you_mean(spec.model, names) or f"the zoo has {', '.join(names)}"))
        return
    fields = registry.config_fields(spec.model) if spec.params else {}
    for key, value in spec.params.items():
        location = ("models", model_id, "params", key)
        if key not in fields:
            errors.append(document.error((*location, "__key__"), f"model {spec.model!r} has no parameter {key!r}",
                                         _did_you_mean(key, fields) or f"it has {', '.join(fields)}"))
            continue
        problem = _param_type_problem(fields[key], value)
        if problem:
            errors.append(document.error(location, f"parameter {key!r} {problem}",
                                         f"see the Config of pipeline/models/{spec.model}.py"))


def _param_type_problem(annotation: str, value: Any) -> str | None:
    """Check a parameter against its config annotation (int, float, bool, str or a Literal)."""
    if annotation.startswith("Literal["):
        choices = ast.literal_eval(f"[{annotation[len('Literal['):-1]}]")
        return None if value in choices else f"must be one of {', '.join(map(repr, choices))}, got {value!r}"
    checks = {"int": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
              "bool": lambda v: isinstance(v, bool), "str": lambda v: isinstance(v, str)}
    check = checks.get(annotation)
    if check is not None and not check(value):
        return f"must be {annotation}, got {type(value).__name__} {value!r}"
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > 1e7:
        return f"value {value!r} is out of any sensible range"
    return None


def _check_metric_references(bundle: CourseBundle, document: YamlDocument, location: tuple,
                             slide_data: Any, errors: list[CurriculumError]) -> None:
    for text in metrictext.strings_in(slide_data):
        for reference in metrictext.find_references(text):
            if reference.model not in bundle.model_owner:
                errors.append(document.error(location, f"metric refers to unknown model {reference.model!r}",
                                             _did_you_mean(reference.model, bundle.model_owner)))
                continue
            kind = bundle.model(reference.model).model
            if kind not in registry.model_names():
                continue  # reported where the model is defined
            declared = registry.declared_metrics(kind)
            if reference.name not in declared:
                errors.append(document.error(
                    location, f"model {reference.model!r} ({kind}) has no metric {reference.name!r}",
                    _did_you_mean(reference.name, declared) or f"it has {', '.join(declared)}"))
            if reference.filter is not None and reference.filter not in metrictext.FILTERS:
                errors.append(document.error(location, f"unknown metric filter {reference.filter!r}",
                                             f"one of {', '.join(metrictext.FILTERS)}"))


def metric_references(loaded: LoadedSession) -> set[str]:
    """Model ids whose metrics a session's slides quote."""
    return {ref.model for text in metrictext.strings_in(loaded.data.get("slides", []))
            for ref in metrictext.find_references(text)}
