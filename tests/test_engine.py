"""The engine's scheduling: which ready target a free worker takes first."""

from __future__ import annotations

from pipeline.engine import Decision, critical_path_seconds
from pipeline.graph import Target


def decision(name: str, stage: str, upstream: tuple[str, ...] = ()) -> Decision:
    target = Target(name, stage, name, (), upstream, {}, (), ())
    return Decision(target, "key", {}, True, "never built")


def test_a_long_chain_goes_before_short_work() -> None:
    to_run = [decision("model:short", "model"), decision("model:long", "model"),
              decision("figure:a", "figure", ("model:short",)), decision("animation:b", "animation", ("model:long",)),
              decision("deck:s", "deck", ("figure:a", "animation:b"))]
    recorded = {"model:short": {"seconds": 2.0}, "model:long": {"seconds": 40.0}}
    chain = critical_path_seconds(to_run, recorded)
    assert chain["deck:s"] == 1.0  # the deck's typical time: nothing follows it
    assert chain["animation:b"] == 8.0 + 1.0
    assert chain["model:long"] == 40.0 + 9.0 > chain["model:short"] == 2.0 + 1.0 + 1.0


def test_without_history_models_come_first() -> None:
    to_run = [decision("figure:x", "figure"), decision("model:m", "model")]
    chain = critical_path_seconds(to_run, {})
    assert max(chain, key=chain.get) == "model:m"
