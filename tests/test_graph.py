"""Cache keys: each kind of change re-runs exactly the targets that read it, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.curriculum import load_course
from pipeline.graph import KeyMaker, build_graph, explain_change

SESSION = Path("curriculum") / "session01.yaml"


def keys(course: Path, profile: str = "smoke") -> dict[str, str]:
    bundle = load_course(course)
    graph = build_graph(bundle, bundle.course.profiles[profile])
    return KeyMaker(bundle.root, graph).keys


def changed_after(course: Path, edit) -> set[str]:
    before = keys(course)
    edit(course)
    after = keys(course)
    assert set(before) == set(after)
    return {name for name in before if before[name] != after[name]}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def downstream_of(course: Path, name: str) -> set[str]:
    """`name` and every target that reads it, directly or not."""
    bundle = load_course(course)
    graph = build_graph(bundle, bundle.course.profiles["smoke"])
    result = {name}
    grew = True
    while grew:
        grew = False
        for target in graph.targets.values():
            if target.name not in result and result & set(target.upstream):
                result.add(target.name)
                grew = True
    return result


def test_keys_are_stable(course_copy: Path) -> None:
    assert keys(course_copy) == keys(course_copy)


def test_slide_text_changes_only_the_decks_and_what_lists_them(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / SESSION, "이 모임을 연구 분야로서", "이 모임을 학문 분야로서"))
    assert changed == {"deck:session-01", "handout:session-01", "zip:session-01", "site"}


def test_a_hyperparameter_changes_its_model_and_its_dependents_only(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / SESSION, "params: {dataset: xor, epochs: 30}", "params: {dataset: xor, epochs: 31}"))
    assert changed == downstream_of(course_copy, "model:perceptron_xor")
    assert "model:perceptron_separable" not in changed
    assert "lab:perceptron_lab" not in changed  # the lab reads only the separable model


def test_a_seed_changes_its_model_and_its_dependents_only(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / SESSION, "params: {dataset: xor, epochs: 30}", "params: {dataset: xor, epochs: 30, seed: 4}"))
    assert changed == downstream_of(course_copy, "model:perceptron_xor")


def test_profile_seed_changes_models_and_labs(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / "curriculum" / "course.yaml", "    device: cpu\n", "    device: cpu\n    seed: 3\n"))
    assert {"model:perceptron_separable", "model:perceptron_xor", "lab:perceptron_lab"} <= changed
    assert "figure:ai_fields" not in changed  # a figure with no model does not depend on the seed


def test_a_figure_source_changes_its_figures_and_their_dependents_only(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / "figures" / "history.py", "fontsize=14", "fontsize=15"))
    assert changed == downstream_of(course_copy, "figure:ai_fields")
    assert not any(name.startswith(("model:", "lab:", "animation:")) for name in changed)


def test_a_template_changes_only_its_stage(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / "templates" / "handout.css", "line-height: 1.65", "line-height: 1.7"))
    sessions = [f"session-{n:02d}" for n in range(1, 5)]
    assert changed == {f"handout:{s}" for s in sessions} | {f"zip:{s}" for s in sessions} | {"site"}


def test_a_lab_source_changes_only_its_notebook(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / "curriculum" / "labs" / "01_perceptron.py", "## 생각해 볼 질문", "## 더 생각해 볼 질문"))
    assert changed == {"lab:perceptron_lab", "zip:session-01", "site"}


def test_a_figure_caption_does_not_redraw_the_figure(course_copy: Path) -> None:
    changed = changed_after(course_copy, lambda c: replace_in(
        c / SESSION, "caption: 딥러닝 ⊂ 신경망 ⊂ 머신러닝 ⊂ 인공지능", "caption: 딥러닝은 신경망의 일부"))
    assert "figure:ai_fields" not in changed
    assert "deck:session-01" in changed and "handout:session-01" in changed


@pytest.mark.parametrize("profile", ["default", "full"])
def test_profile_changes_models(course_copy: Path, profile: str) -> None:
    smoke, other = keys(course_copy, "smoke"), keys(course_copy, profile)
    assert smoke["model:perceptron_xor"] != other["model:perceptron_xor"]
    assert smoke["figure:ai_fields"] == other["figure:ai_fields"]


def test_explain_change_names_what_changed() -> None:
    old = {"spec": "a", "file figures/x.py": "1", "upstream model:m": "k1", "library torch": "2.0"}
    new = {"spec": "a", "file figures/x.py": "2", "upstream model:m": "k2", "library torch": "2.1"}
    assert explain_change(old, new) == "figures/x.py changed, model:m changed, torch 2.0 -> 2.1"
    assert explain_change(None, new) == "never built"
