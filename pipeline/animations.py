"""Stage `animation`: renders one manim scene into an mp4, a poster PNG and a short GIF.

Scene sources live under `figures/scenes/`; the curriculum names a class in one of them
(`scene: perceptron.PerceptronLearning`). Each render gets its own media directory, so renders
in parallel workers never share manim's files.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.curriculum import SCENES_DIR, draw_source

# Pixel size and frame rate per profile quality; `low` keeps tests fast, `high` is lecture-hall 1080p.
QUALITY = {
    "low": {"pixel_width": 426, "pixel_height": 240, "frame_rate": 10},
    "medium": {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15},
    "high": {"pixel_width": 1920, "pixel_height": 1080, "frame_rate": 30},
}
GIF_WIDTH = 360
GIF_FPS = 8


def render_scene(scene_class: type, runs: list[Any], params: dict[str, Any], quality: str,
                 media_dir: Path, font: str) -> tuple[Path, Any]:
    """Render `scene_class` with manim; return the mp4's path and the last frame as an RGB array."""
    from manim import tempconfig

    settings = {
        **QUALITY[quality],
        "media_dir": str(media_dir),
        "disable_caching": True,
        "write_to_movie": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
        "background_color": "#ffffff",
        "output_file": scene_class.__name__,
    }
    with tempconfig(settings):
        scene = scene_class()
        scene.runs = runs
        scene.params = params
        scene.font = font
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
        last_frame = scene.renderer.get_frame()
    return movie, last_frame


def write_poster(frame: Any, path: Path) -> None:
    from PIL import Image

    with atomic.atomic_path(path) as temporary:
        Image.fromarray(frame[:, :, :3]).save(temporary, format="PNG")


def _contrast(image: Any) -> int:
    """Grey levels between a frame's darkest and lightest pixel: 0 for an empty frame, low while it fades in."""
    darkest, lightest = image.convert("L").getextrema()
    return lightest - darkest


# A preview opens on the first frame at least this fraction as contrasty as the animation's strongest frame.
# Scenes fade their title in; a page of thumbnails all pale at their first frame looks broken.
GIF_OPENING_CONTRAST = 0.6


def write_gif(movie: Path, path: Path) -> None:
    """A small looping GIF for the course page, sampled from the mp4, from the end of the opening fade."""
    import av
    from PIL import Image

    sampled = []
    with av.open(str(movie)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or GIF_FPS)
        step = max(1, round(rate / GIF_FPS))
        for index, frame in enumerate(container.decode(stream)):
            if index % step == 0:
                image = frame.to_image()
                height = round(image.height * GIF_WIDTH / image.width)
                sampled.append(image.resize((GIF_WIDTH, height)))
    strongest = max(_contrast(image) for image in sampled)
    opening = next(i for i, image in enumerate(sampled) if _contrast(image) >= GIF_OPENING_CONTRAST * strongest)
    frames = [image.convert("P", palette=Image.ADAPTIVE, colors=64) for image in sampled[opening:]]
    with atomic.atomic_path(path) as temporary:
        frames[0].save(temporary, format="GIF", save_all=True, append_images=frames[1:],
                       duration=round(1000 / GIF_FPS), loop=0, optimize=True)


def build_animation(bundle: Any, context: Any, target: Any, report: Any) -> str:
    from pipeline.figures import load_course_module
    from pipeline.training import load_run

    animation = bundle.animation(target.subject)
    source, class_name = draw_source(bundle.root, animation.scene, SCENES_DIR)
    load_course_module(bundle.root / SCENES_DIR / "common.py", "common")
    module = load_course_module(source, f"course_scenes_{source.stem}")
    runs = [load_run(context.build_dir, model_id) for model_id in animation.models]
    media_dir = context.build_dir / ".tmp" / f"manim-{target.subject}"
    shutil.rmtree(media_dir, ignore_errors=True)
    try:
        movie, last_frame = render_scene(getattr(module, class_name), runs, animation.params,
                                         context.profile.animation_quality, media_dir, bundle.course.theme.font)
        report(1, 3)
        movie_out, poster_out, gif_out = (context.output(o) for o in target.outputs)
        write_poster(last_frame, poster_out)
        report(2, 3)
        write_gif(movie, gif_out)
        atomic.copy_file(movie, movie_out)
        report(3, 3)
    finally:
        shutil.rmtree(media_dir, ignore_errors=True)
    return "cpu"
