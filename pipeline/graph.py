"""The build graph: every output is a target with declared inputs and a content key.

A target's key is a hash of everything it reads: its slice of the curriculum, the source files
and templates, the keys of its upstream targets, the profile and the versions of the libraries
that shape it. A target whose key matches the manifest and whose outputs exist is not rebuilt.
The graph is plain data, so `course plan` can print it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.curriculum import (
    FIGURES_DIR,
    SCENES_DIR,
    CourseBundle,
    LoadedSession,
    draw_source,
    metric_references,
)
from pipeline.models import registry
from pipeline.schema import Profile

PIPELINE_DIR = Path(__file__).parent
TEMPLATES_DIR = Path("templates")


@dataclass(frozen=True)
class Target:
    name: str  # "model:perceptron", "deck:session-01", ...
    stage: str  # which stage function builds it (see pipeline.stages)
    subject: str  # the id the stage works on: a model id, a session slug, ...
    outputs: tuple[str, ...]  # paths relative to the build directory
    upstream: tuple[str, ...]  # names of the targets whose outputs it reads
    spec: Any  # the slice of the curriculum (and profile) it depends on, as JSON-able data
    files: tuple[str, ...]  # source files it reads, relative to the course directory or the package
    libraries: tuple[str, ...]  # distributions whose versions shape its output


@dataclass
class Graph:
    targets: dict[str, Target] = field(default_factory=dict)

    def add(self, target: Target) -> None:
        assert target.name not in self.targets, target.name
        self.targets[target.name] = target

    def order(self) -> list[Target]:
        """Targets with every upstream before its dependents."""
        ordered: list[Target] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            for upstream in self.targets[name].upstream:
                visit(upstream)
            ordered.append(self.targets[name])

        for name in self.targets:
            visit(name)
        return ordered

    def closure(self, names: set[str]) -> set[str]:
        """`names` and everything upstream of them."""
        result: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name not in result:
                result.add(name)
                stack.extend(self.targets[name].upstream)
        return result


def cuda_present() -> bool:
    """A cheap look for an NVIDIA GPU, without importing torch (planning must stay fast)."""
    return Path("/dev/nvidia0").exists() or shutil.which("nvidia-smi") is not None


def resolved_device(profile: Profile) -> str:
    if profile.device == "auto":
        return "cuda" if cuda_present() else "cpu"
    return profile.device


def session_dir(loaded: LoadedSession) -> str:
    return loaded.session.slug


def build_graph(bundle: CourseBundle, profile: Profile, sessions: set[int] | None = None) -> Graph:
    """Every target of the course (or of the chosen session numbers and what they need)."""
    graph = Graph()
    device = resolved_device(profile)
    # Labs receive the profile's name as a parameter, so it is part of their key.
    profile_name = next((name for name, known in bundle.course.profiles.items() if known is profile), "custom")
    for loaded in bundle.sessions:
        for model_id, spec in loaded.session.models.items():
            seed = spec.params.get("seed", profile.seed)
            model_file = registry.model_source(spec.model)
            graph.add(Target(
                name=f"model:{model_id}", stage="model", subject=model_id,
                outputs=(f"models/{model_id}/checkpoint.pt", f"models/{model_id}/metrics.json",
                         f"models/{model_id}/run.json"),
                upstream=(),
                spec={"model": spec.model, "params": spec.params, "seed": seed, "budget": profile.budget,
                      "device": device},
                files=tuple(_package_file(p) for p in [model_file, *registry.shared_sources()])
                + (_package_file(PIPELINE_DIR / "training.py"),),
                libraries=("torch", "numpy", "scikit-learn"),
            ))
        for figure_id, figure in loaded.session.figures.items():
            source, _ = draw_source(bundle.root, figure.draw, FIGURES_DIR)
            graph.add(Target(
                name=f"figure:{figure_id}", stage="figure", subject=figure_id,
                outputs=(f"figures/{figure_id}.png",),
                upstream=tuple(f"model:{m}" for m in figure.models),
                spec={"draw": figure.draw, "params": figure.params, "models": figure.models,
                      "font": bundle.course.theme.font},
                files=(_course_file(bundle, source), _course_file(bundle, bundle.root / FIGURES_DIR / "style.py"),
                       _package_file(PIPELINE_DIR / "figures.py")),
                libraries=("matplotlib", "numpy"),
            ))
        for animation_id, animation in loaded.session.animations.items():
            source, _ = draw_source(bundle.root, animation.scene, SCENES_DIR)
            graph.add(Target(
                name=f"animation:{animation_id}", stage="animation", subject=animation_id,
                outputs=(f"animations/{animation_id}.mp4", f"animations/{animation_id}.png",
                         f"animations/{animation_id}.gif"),
                upstream=tuple(f"model:{m}" for m in animation.models),
                spec={"scene": animation.scene, "params": animation.params, "models": animation.models,
                      "quality": profile.animation_quality, "font": bundle.course.theme.font},
                files=(_course_file(bundle, source), _course_file(bundle, bundle.root / SCENES_DIR / "common.py"),
                       _package_file(PIPELINE_DIR / "animations.py")),
                libraries=("manim", "numpy", "av"),
            ))
        slug = session_dir(loaded)
        for lab_id, lab in loaded.session.labs.items():
            graph.add(Target(
                name=f"lab:{lab_id}", stage="lab", subject=lab_id,
                outputs=(f"{slug}/labs/{lab_id}.ipynb", f"{slug}/labs/{lab_id}.student.ipynb"),
                upstream=tuple(f"model:{m}" for m in lab.models),
                spec={"lab": lab.model_dump(), "profile": profile_name, "budget": profile.budget, "device": device,
                      "seed": profile.seed, "timeout": profile.notebook_timeout},
                files=(_course_file(bundle, bundle.root / "curriculum" / lab.source),
                       _package_file(PIPELINE_DIR / "notebooks.py")),
                libraries=("papermill", "nbformat", "nbclient", "ipykernel", "jupytext"),
            ))
    for loaded in bundle.sessions:
        if sessions is None or loaded.session.number in sessions:
            _add_session_targets(graph, bundle, loaded)
    _add_site_target(graph, bundle, sessions)
    if sessions is not None:
        keep = graph.closure({name for name in graph.targets
                              if name == "site" or name.endswith(tuple(f":session-{n:02d}" for n in sessions))})
        graph.targets = {name: target for name, target in graph.targets.items() if name in keep}
    return graph


def session_media(loaded: LoadedSession) -> tuple[list[str], list[str]]:
    """Figure and animation ids a session's slides show, in slide order, without repeats."""
    figures: dict[str, None] = {}
    animations: dict[str, None] = {}
    for slide in loaded.session.slides:
        if getattr(slide, "figure", None):
            figures[slide.figure] = None
        for side in ("left", "right"):
            column = getattr(slide, side, None)
            if column is not None and column.figure:
                figures[column.figure] = None
        if getattr(slide, "animation", None):
            animations[slide.animation] = None
    return list(figures), list(animations)


def _session_spec(bundle: CourseBundle, loaded: LoadedSession) -> dict[str, Any]:
    """What a session's deck and handout show: its text, and the captions of what it embeds."""
    figures, animations = session_media(loaded)
    text = {key: value for key, value in loaded.data.items() if key not in {"models", "labs", "coverage"}}
    text["figures"] = {f: bundle.figure(f).model_dump(include={"caption", "alt"}) for f in figures}
    text["animations"] = {a: bundle.animation(a).model_dump(include={"caption", "alt"}) for a in animations}
    text["labs"] = {lab_id: lab.model_dump(include={"title", "description"})
                    for lab_id, lab in loaded.session.labs.items()}
    text["course"] = {"title": bundle.course.title, "theme": bundle.course.theme.model_dump(),
                      "language": bundle.course.language, "instructor": bundle.course.instructor}
    return text


def _add_session_targets(graph: Graph, bundle: CourseBundle, loaded: LoadedSession) -> None:
    slug = session_dir(loaded)
    figures, animations = session_media(loaded)
    media = tuple(f"figure:{f}" for f in figures) + tuple(f"animation:{a}" for a in animations)
    quoted = tuple(f"model:{m}" for m in sorted(metric_references(loaded)))
    spec = _session_spec(bundle, loaded)
    graph.add(Target(
        name=f"deck:{slug}", stage="deck", subject=slug,
        outputs=(f"{slug}/deck.pptx",),
        upstream=media + quoted,
        spec=spec,
        files=(_course_file(bundle, bundle.root / bundle.course.theme.template),
               _package_file(PIPELINE_DIR / "decks.py"), _package_file(PIPELINE_DIR / "equations.py"),
               _package_file(PIPELINE_DIR / "textfit.py"), _package_file(PIPELINE_DIR / "words.py")),
        libraries=("python-pptx", "latex2mathml"),
    ))
    graph.add(Target(
        name=f"handout:{slug}", stage="handout", subject=slug,
        outputs=(f"{slug}/handout.html", f"{slug}/handout.pdf"),
        upstream=media + quoted,
        spec=spec,
        files=(_course_file(bundle, bundle.root / TEMPLATES_DIR / "handout.html.j2"),
               _course_file(bundle, bundle.root / TEMPLATES_DIR / "handout.css"),
               _course_file(bundle, bundle.root / TEMPLATES_DIR / "handout.typ"),
               _package_file(PIPELINE_DIR / "handouts.py"), _package_file(PIPELINE_DIR / "words.py")),
        libraries=("jinja2", "typst"),
    ))
    labs = tuple(f"lab:{lab_id}" for lab_id in loaded.session.labs)
    graph.add(Target(
        name=f"zip:{slug}", stage="zip", subject=slug,
        outputs=(f"downloads/{slug}.zip",),
        upstream=(f"deck:{slug}", f"handout:{slug}", *labs, *media),
        spec={"session": slug},
        files=(_package_file(PIPELINE_DIR / "site.py"),),
        libraries=(),
    ))


def _add_site_target(graph: Graph, bundle: CourseBundle, sessions: set[int] | None) -> None:
    chosen = [s for s in bundle.sessions if sessions is None or s.session.number in sessions]
    upstream: list[str] = []
    for loaded in chosen:
        slug = session_dir(loaded)
        upstream += [f"deck:{slug}", f"handout:{slug}", f"zip:{slug}"]
        upstream += [f"lab:{lab_id}" for lab_id in loaded.session.labs]
        figures, animations = session_media(loaded)
        upstream += [f"figure:{f}" for f in figures] + [f"animation:{a}" for a in animations]
    graph.add(Target(
        name="site", stage="site", subject="index",
        outputs=("index.html", "assets/site.css"),
        upstream=tuple(dict.fromkeys(upstream)),
        spec={"course": bundle.course.model_dump(include={"title", "subtitle", "instructor", "language"}),
              "sessions": [{"number": s.session.number, "title": s.session.title, "subtitle": s.session.subtitle,
                            "objectives": s.session.objectives} for s in chosen]},
        files=(_course_file(bundle, bundle.root / TEMPLATES_DIR / "index.html.j2"),
               _course_file(bundle, bundle.root / TEMPLATES_DIR / "site.css"),
               _package_file(PIPELINE_DIR / "site.py"), _package_file(PIPELINE_DIR / "words.py")),
        libraries=("jinja2",),
    ))


# --- keys -------------------------------------------------------------------------------------

PACKAGE_PREFIX = "pipeline:"


def _package_file(path: Path) -> str:
    return PACKAGE_PREFIX + path.relative_to(PIPELINE_DIR).as_posix()


def _course_file(bundle: CourseBundle, path: Path) -> str:
    # Normalised, not resolved: a course may link a shared folder (e.g. figures/scenes) in from elsewhere;
    # curriculum references themselves are checked at load time to stay inside the course.
    return Path(os.path.normpath(path)).relative_to(bundle.root).as_posix()


def file_path(root: Path, name: str) -> Path:
    if name.startswith(PACKAGE_PREFIX):
        return PIPELINE_DIR / name[len(PACKAGE_PREFIX):]
    return root / name


@functools.cache
def library_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


class KeyMaker:
    """Computes every target's inputs and key, hashing each source file once."""

    def __init__(self, root: Path, graph: Graph) -> None:
        self.root = root
        self.graph = graph
        self._file_digests: dict[str, str] = {}
        self.inputs: dict[str, dict[str, str]] = {}
        self.keys: dict[str, str] = {}
        for target in graph.order():
            self.inputs[target.name] = self._inputs(target)
            self.keys[target.name] = _digest(canonical_json(self.inputs[target.name]))

    def _file_digest(self, name: str) -> str:
        if name not in self._file_digests:
            path = file_path(self.root, name)
            self._file_digests[name] = _digest(path.read_bytes()) if path.is_file() else "missing"
        return self._file_digests[name]

    def _inputs(self, target: Target) -> dict[str, str]:
        inputs = {"stage": target.stage, "spec": _digest(canonical_json(target.spec)),
                  "outputs": ",".join(target.outputs)}
        for name in target.files:
            inputs[f"file {name}"] = self._file_digest(name)
        for name in target.upstream:
            inputs[f"upstream {name}"] = self.keys[name]
        for distribution in target.libraries:
            inputs[f"library {distribution}"] = library_version(distribution)
        inputs["python"] = ".".join(map(str, os.sys.version_info[:2]))
        return inputs


def explain_change(old: dict[str, str] | None, new: dict[str, str]) -> str:
    """Why a target must run, in a few words."""
    if old is None:
        return "never built"
    changed = [name for name in new if old.get(name) != new[name]]
    removed = [name for name in old if name not in new]
    reasons = []
    for name in changed + removed:
        if name == "spec":
            reasons.append("curriculum changed")
        elif name.startswith("library "):
            reasons.append(f"{name.removeprefix('library ')} {old.get(name, 'absent')} -> {new.get(name, 'absent')}")
        elif name.startswith("upstream "):
            reasons.append(f"{name.removeprefix('upstream ')} changed")
        elif name.startswith("file "):
            reasons.append(f"{name.removeprefix('file ').removeprefix(PACKAGE_PREFIX)} changed")
        else:
            reasons.append(f"{name} changed")
    return ", ".join(reasons) if reasons else "inputs changed"
