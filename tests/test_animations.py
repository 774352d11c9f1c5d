"""The animation stage end to end: every manim scene of the course rendered by the real build.

A course copy gets one extra session that shows every animation of the course on its slides (the
animations themselves stay where the curriculum defines them; ids are course-wide). Animations the
curriculum does not define yet are added to that session with the models they need, so the scenes
are tested before their entries land in the real curriculum, and the real entries win once they do.
Building only that session under the smoke profile trains the smoke models, renders every scene at
`low` quality, and builds nothing else the animations do not need.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from pipeline.animations import QUALITY
from tests.conftest import copy_course, run_course

pytestmark = pytest.mark.slow

TEST_SESSION = 99
LOW = QUALITY["low"]
# Animations every build of the course must be able to render: id -> (scene, zoo models it reads).
REQUIRED = {
    "backprop_flow": ("backprop.BackpropFlow", ["mlp_xor"]),
    "diffusion_2d": ("diffusion.DiffusionNoising2D", ["ddpm_2d"]),
    "diffusion_digits": ("diffusion.DiffusionDigits", ["ddpm_digits"]),
    "vanishing_gradients_anim": ("gradients.GradientFlow", ["vanishing_gradients"]),
    "convolution_slide": ("convolution.ConvolutionSliding", ["lenet"]),
    "attention_weights": ("attention.AttentionWeights", ["tiny_transformer"]),
    "ai_timeline": ("timeline.AITimeline", []),
    "perceptron_xor_learning": ("perceptron.PerceptronLearning", ["perceptron_xor"]),
}
# The perceptron scene on XOR reads the session-1 model `perceptron_xor` (a perceptron with dataset: xor).
MODEL_PARAMS = {"perceptron_xor": {"model": "perceptron", "params": {"dataset": "xor", "epochs": 30}}}
DURATION = (9.5, 26.0)  # seconds of video each scene should last
MIN_POSTER_STD = 12.0  # grey-level spread of a poster with real drawing on it (a blank one is ~0)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _session_files(course: Path) -> list[Path]:
    return [course / "curriculum" / name for name in _load(course / "curriculum" / "course.yaml")["sessions"]]


def add_animation_session(course: Path) -> list[str]:
    """Add session TEST_SESSION to the course copy, showing every animation; return their ids."""
    animations: dict[str, dict] = {}
    models: dict[str, dict] = {}  # model id -> its entry, across the course
    for path in _session_files(course):
        session = _load(path)
        animations.update(session.get("animations") or {})
        models.update(session.get("models") or {})
    new_animations: dict[str, dict] = {}
    new_models: dict[str, dict] = {}
    for animation_id, (scene, zoo_models) in REQUIRED.items():
        if animation_id in animations:
            continue  # the curriculum's own entry is the one tested
        model_ids = []
        for name in zoo_models:
            if name in models or name in new_models:
                model_ids.append(name)
                continue
            # Reuse a model the course already trains from the same zoo file, or add one by that name.
            same = [mid for mid, entry in models.items() if entry["model"] == name and not entry.get("params")]
            if same:
                model_ids.append(same[0])
            else:
                new_models[name] = MODEL_PARAMS.get(name, {"model": name})
                model_ids.append(name)
        new_animations[animation_id] = {"scene": scene, "models": model_ids, "caption": animation_id,
                                        "alt": animation_id}
    shown = sorted({*animations, *new_animations})
    session = {
        "number": TEST_SESSION,
        "title": "애니메이션 시험",
        "objectives": ["모든 애니메이션이 렌더링된다"],
        "models": new_models,
        "animations": new_animations,
        "slides": [{"kind": "title", "title": "애니메이션 시험"}]
        + [{"kind": "animation", "title": animation_id, "animation": animation_id} for animation_id in shown],
    }
    name = f"session{TEST_SESSION}.yaml"
    (course / "curriculum" / name).write_text(yaml.safe_dump(session, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    course_file = course / "curriculum" / "course.yaml"
    course_yaml = _load(course_file)
    course_yaml["sessions"].append(name)
    course_file.write_text(yaml.safe_dump(course_yaml, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return shown


def _build(course: Path) -> subprocess.CompletedProcess:
    return run_course(course, "build", "--profile", "smoke", "--session", str(TEST_SESSION), "-j", "2")


def _statuses(course: Path) -> dict[str, str]:
    lines = (course / "build" / "logs" / "build.log").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0]: line.split("\t")[1] for line in lines if "\t" in line}


@pytest.fixture(scope="module")
def animated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    course = copy_course(tmp_path_factory.mktemp("animations") / "course")
    ids = add_animation_session(course)
    result = _build(course)
    assert result.returncode == 0, result.stderr[-4000:]
    return course, ids


def _probe(movie: Path) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,width,height,nb_read_frames,avg_frame_rate:format=duration", "-of", "json", str(movie)],
        capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    return {**data["streams"][0], "duration": float(data["format"]["duration"])}


def test_every_required_animation_is_in_the_build(animated: tuple[Path, list[str]]) -> None:
    course, ids = animated
    assert set(REQUIRED) <= set(ids)
    statuses = _statuses(course)
    for animation_id in ids:
        assert statuses.get(f"animation:{animation_id}") == "built", animation_id


def test_every_movie_decodes_at_low_quality(animated: tuple[Path, list[str]]) -> None:
    course, ids = animated
    for animation_id in ids:
        info = _probe(course / "build" / "animations" / f"{animation_id}.mp4")
        assert info["codec_name"] == "h264", animation_id
        assert (int(info["width"]), int(info["height"])) == (LOW["pixel_width"], LOW["pixel_height"]), animation_id
        numerator, denominator = (int(part) for part in info["avg_frame_rate"].split("/"))
        assert numerator / denominator == pytest.approx(LOW["frame_rate"]), animation_id
        frames = int(info["nb_read_frames"])  # decoded, not read from the header: the whole stream decodes
        assert abs(frames - info["duration"] * LOW["frame_rate"]) <= 2, (animation_id, frames, info["duration"])
        if animation_id in REQUIRED:
            assert DURATION[0] <= info["duration"] <= DURATION[1], (animation_id, info["duration"])


def test_every_poster_shows_a_drawing_and_every_gif_loops(animated: tuple[Path, list[str]]) -> None:
    course, ids = animated
    for animation_id in ids:
        with Image.open(course / "build" / "animations" / f"{animation_id}.png") as poster:
            size = poster.size
            grey = np.asarray(poster.convert("L"), dtype=float)
        assert size == (LOW["pixel_width"], LOW["pixel_height"]), animation_id
        assert grey.std() > MIN_POSTER_STD, (animation_id, grey.std())
        assert (grey < 128).mean() > 0.005, animation_id  # some dark ink (text, lines), not only pale fills
        with Image.open(course / "build" / "animations" / f"{animation_id}.gif") as gif:
            assert gif.format == "GIF" and gif.n_frames > 10, animation_id
            # The preview opens on a drawing, not on the pale first frames of a fade-in.
            darkest, lightest = gif.convert("L").getextrema()
            assert lightest - darkest > 100, (animation_id, darkest, lightest)


def test_a_rebuild_with_nothing_changed_renders_nothing(animated: tuple[Path, list[str]]) -> None:
    course, ids = animated
    result = _build(course)
    assert result.returncode == 0, result.stderr[-4000:]
    statuses = _statuses(course)
    assert {statuses[f"animation:{animation_id}"] for animation_id in ids} == {"cached"}
    assert not [name for name, status in statuses.items() if status == "built"]
    assert "0 built" in result.stderr
