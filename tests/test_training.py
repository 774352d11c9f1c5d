"""The model stage: every zoo model follows the contract the build relies on, and is deterministic."""

from __future__ import annotations

import dataclasses
import math

import pytest

from pipeline.models import registry
from pipeline.training import model_config
from tests.conftest import train_model

MODELS = registry.model_names()


def test_the_zoo_has_every_model_the_course_teaches() -> None:
    assert len(MODELS) >= 23


@pytest.mark.parametrize("name", MODELS)
def test_model_file_declares_config_budgets_and_metrics(name: str) -> None:
    module = registry.load(name)
    assert dataclasses.is_dataclass(module.Config) and "seed" in registry.config_fields(name)
    assert set(module.BUDGETS) == {"smoke", "default", "full"}
    for budget in module.BUDGETS:
        model_config(module, {}, budget, 0)  # every budget names real Config fields
    assert module.METRICS and all(description for description in module.METRICS.values())


@pytest.mark.parametrize("name", MODELS)
def test_same_seed_and_profile_give_the_same_metrics_twice(name: str) -> None:
    first, second = train_model(name, "smoke"), train_model(name, "smoke")
    assert set(first.metrics) <= set(registry.load(name).METRICS)
    assert first.metrics.keys() == second.metrics.keys()
    for metric, value in first.metrics.items():
        other = second.metrics[metric]
        assert value == other or (math.isnan(value) and math.isnan(other)), (metric, value, other)


def test_budget_wins_over_the_curriculums_params() -> None:
    module = registry.load("perceptron")
    smoke = module.BUDGETS["smoke"]
    field, value = next(iter(smoke.items()))
    config = model_config(module, {field: value + 1000}, "smoke", 3)
    assert getattr(config, field) == value and config.seed == 3


def test_the_zoo_reference_page_is_current() -> None:
    import runpy

    from tests.conftest import REPO

    render = runpy.run_path(str(REPO / "scripts" / "make_model_docs.py"))["render"]
    assert (REPO / "docs" / "models.md").read_text(encoding="utf-8") == render(), \
        "docs/models.md is out of date: run python scripts/make_model_docs.py"
