"""Stage `figure`: draws one matplotlib figure from the course's `figures/` sources.

A figure source is a plain Python file under `figures/`; the curriculum names a function in it
(`draw: perceptron.decision_boundary`). The function receives the trained models it asked for and
its params, and returns a matplotlib Figure; this stage saves it as a PNG, atomically.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline import atomic
from pipeline.curriculum import FIGURES_DIR, draw_source


def load_course_module(path: Path, name: str) -> ModuleType:
    """Import a course source file (a figure or scene module) by path, with its folder importable."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _save_opaque(png: io.BytesIO, path: Path) -> None:
    """Save the figure without an alpha channel (flattened on white): PDF writers split alpha into a
    separate mask image, which only makes the handout larger and slower to write."""
    from PIL import Image

    png.seek(0)
    with Image.open(png) as image:
        opaque = Image.new("RGB", image.size, "white")
        opaque.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
        opaque.save(path, format="PNG")


def build_figure(bundle: Any, context: Any, target: Any, report: Any) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline.training import load_run

    figure_spec = bundle.figure(target.subject)
    source, function_name = draw_source(bundle.root, figure_spec.draw, FIGURES_DIR)
    module = load_course_module(source, f"course_figures_{source.stem}")
    style = load_course_module(bundle.root / FIGURES_DIR / "style.py", "style")
    style.apply(bundle.course.theme.font)
    runs = [load_run(context.build_dir, model_id) for model_id in figure_spec.models]
    figure = getattr(module, function_name)(runs, **figure_spec.params)
    output = context.output(target.outputs[0])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    with atomic.atomic_path(output) as temporary:
        _save_opaque(buffer, temporary)
    report(1, 1)
    return "cpu"
