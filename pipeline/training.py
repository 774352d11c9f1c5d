"""Stage `model`: trains one reference model and saves its checkpoint, metrics and run data."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from pipeline import atomic


def model_config(module: Any, params: dict[str, Any], budget: str, seed: int) -> Any:
    """The model's Config: its defaults, the curriculum's params, then the profile's budget on top.

    The budget wins over the curriculum because the profile is the instructor's explicit choice of
    how much work a build does (`smoke` must stay fast whatever a session asks for).
    """
    settings = {**params, **module.BUDGETS.get(budget, {}), "seed": seed}
    return module.Config(**settings)


def build_model(bundle: Any, context: Any, target: Any, report: Any) -> str:
    import torch

    from pipeline.models import registry
    from pipeline.models.base import RunContext, make_deterministic, resolve_device

    torch.set_num_threads(context.threads_per_worker)
    spec = target.spec
    module = registry.load(spec["model"])
    config = model_config(module, spec["params"], spec["budget"], spec["seed"])
    device = resolve_device(context.profile.device)
    make_deterministic(device)
    print(f"config: {config}\ndevice: {device}", flush=True)
    result, training = _timed_training(module, config, RunContext(device=device, progress=report))
    undeclared = set(result.metrics) - set(module.METRICS)
    if undeclared:
        raise ValueError(f"model {spec['model']} returned undeclared metrics {sorted(undeclared)}")
    checkpoint, metrics_path, run_path = (context.output(o) for o in target.outputs)
    with atomic.atomic_path(checkpoint) as temporary:
        torch.save({"config": dataclasses.asdict(config), "state": result.state}, temporary)
    atomic.write_json(metrics_path, {name: float(value) for name, value in result.metrics.items()})
    atomic.write_json(run_path, {"model": spec["model"], "config": dataclasses.asdict(config),
                                 "device": device.type, "training": training,
                                 "history": result.history, "artifacts": result.artifacts})
    print(json.dumps(result.metrics, indent=2), flush=True)
    return device.type


def _timed_training(module: Any, config: Any, context: Any) -> tuple[Any, dict[str, float]]:
    """Train, and measure throughput as optimizer steps per second: every torch optimizer step of the
    run is counted through torch's global step hook, whatever optimizer the model file uses. Models
    that update weights by hand (the perceptron, ADALINE, the XOR MLP's written-out backprop) count 0 steps."""
    from torch.optim.optimizer import register_optimizer_step_post_hook

    steps = 0

    def count(*_: Any) -> None:
        nonlocal steps
        steps += 1

    handle = register_optimizer_step_post_hook(count)
    started = time.perf_counter()
    try:
        result = module.train(config, context)
    finally:
        handle.remove()
    seconds = time.perf_counter() - started
    return result, {"seconds": round(seconds, 3), "optimizer_steps": steps,
                    "steps_per_second": round(steps / seconds, 1) if steps and seconds > 0 else None}


@dataclasses.dataclass(frozen=True)
class ModelRun:
    """A trained model as figures, scenes and slides see it: read back from the build directory."""

    id: str
    model: str
    config: dict[str, Any]
    metrics: dict[str, float]
    history: dict[str, list[float]]
    artifacts: dict[str, Any]
    checkpoint: Path


def load_run(build_dir: Path, model_id: str) -> ModelRun:
    folder = build_dir / "models" / model_id
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    return ModelRun(model_id, run["model"], run["config"], metrics, run["history"], run["artifacts"],
                    folder / "checkpoint.pt")


def load_metrics(build_dir: Path, model_ids: list[str]) -> dict[str, dict[str, float]]:
    return {model_id: json.loads((build_dir / "models" / model_id / "metrics.json").read_text(encoding="utf-8"))
            for model_id in model_ids}
