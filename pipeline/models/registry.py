"""The model zoo's catalogue, read from source without importing torch.

Validation and planning must stay fast, so what the curriculum checks about a model (that it
exists, its config fields, its metric names) is read from each model file's syntax tree.
"""

from __future__ import annotations

import ast
import functools
import importlib
from pathlib import Path
from types import ModuleType

MODELS_DIR = Path(__file__).parent
# Files in this package that are shared machinery, not models; helper modules start with "_".
_NOT_MODELS = {"base", "data", "trainer", "registry"}


@functools.cache
def model_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in MODELS_DIR.glob("*.py")
                        if p.stem not in _NOT_MODELS and not p.stem.startswith("_")))


def model_source(name: str) -> Path:
    return MODELS_DIR / f"{name}.py"


def shared_sources() -> list[Path]:
    """Files every model reads: a change to the trainer or the data retrains the zoo."""
    return [MODELS_DIR / "base.py", MODELS_DIR / "data.py", MODELS_DIR / "trainer.py"]


@functools.cache
def _tree(name: str) -> ast.Module:
    return ast.parse(model_source(name).read_text(encoding="utf-8"))


def declared_metrics(name: str) -> dict[str, str]:
    for node in _tree(name).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "METRICS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return {}


def config_fields(name: str) -> dict[str, str]:
    """Field name -> annotation text of the model's `Config` dataclass."""
    for node in _tree(name).body:
        if isinstance(node, ast.ClassDef) and node.name == "Config":
            return {
                statement.target.id: ast.unparse(statement.annotation)
                for statement in node.body
                if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
            }
    return {}


def load(name: str) -> ModuleType:
    return importlib.import_module(f"pipeline.models.{name}")
