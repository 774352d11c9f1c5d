"""Stages `zip` and `site`: a download bundle per session, and the course page `build/index.html`.

The page works from the file system with no network: every link is relative, the stylesheet
sits beside it, and nothing is fetched from elsewhere.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.graph import session_media
from pipeline.words import session_label, words_for


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


ALREADY_COMPRESSED = {".mp4", ".png", ".gif", ".pptx", ".pdf", ".pt"}


def session_files(bundle: Any, loaded: Any, build_dir: Path) -> list[tuple[Path, str]]:
    """(file in build/, path inside the session's zip) for everything a student takes home."""
    slug = loaded.session.slug
    files = [(build_dir / slug / "deck.pptx", f"{slug}/deck.pptx"),
             (build_dir / slug / "handout.html", f"{slug}/handout.html"),
             (build_dir / slug / "handout.pdf", f"{slug}/handout.pdf")]
    for lab_id, lab in loaded.session.labs.items():
        files.append((build_dir / slug / "labs" / f"{lab_id}.student.ipynb", f"{slug}/labs/{lab_id}.student.ipynb"))
        for model_id in lab.models:  # labs load these checkpoints from models/ beside the notebook
            for name in ("checkpoint.pt", "metrics.json", "run.json"):
                files.append((build_dir / "models" / model_id / name, f"{slug}/labs/models/{model_id}/{name}"))
    figures, animations = session_media(loaded)
    files += [(build_dir / "figures" / f"{f}.png", f"figures/{f}.png") for f in figures]
    for animation_id in animations:
        for suffix in ("mp4", "png"):
            files.append((build_dir / "animations" / f"{animation_id}.{suffix}", f"animations/{animation_id}.{suffix}"))
    return files


def build_session_zip(bundle: Any, context: Any, target: Any, report: Any) -> str:
    loaded = next(s for s in bundle.sessions if s.session.slug == target.subject)
    output = context.output(target.outputs[0])
    with atomic.atomic_path(output) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in session_files(bundle, loaded, context.build_dir):
            # A fixed timestamp keeps the zip identical when its contents are.
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            # Videos, pictures, decks, PDFs and checkpoints are compressed already: storing them is as small
            # and many times faster.
            info.compress_type = zipfile.ZIP_STORED if source.suffix in ALREADY_COMPRESSED else zipfile.ZIP_DEFLATED
            archive.writestr(info, source.read_bytes())
    report(1, 1)
    return "cpu"


def _entry(build_dir: Path, relative: str, label: str, missing: str) -> dict[str, Any]:
    path = build_dir / relative
    return {"href": relative, "label": label, "size": human_size(path.stat().st_size) if path.is_file() else missing,
            "exists": path.is_file()}


def page_sessions(bundle: Any, build_dir: Path, numbers: set[int] | None) -> list[dict[str, Any]]:
    language = bundle.course.language
    words = words_for(language)

    def entry(relative: str, label: str) -> dict[str, Any]:
        return _entry(build_dir, relative, words[label], words["missing"])

    pages = []
    for loaded in bundle.sessions:
        session = loaded.session
        if numbers is not None and session.number not in numbers:
            continue
        slug = session.slug
        figures, animations = session_media(loaded)
        pages.append({
            "number": session.number, "label": session_label(language, session.number),
            "title": session.title, "subtitle": session.subtitle,
            "objectives": session.objectives, "slug": slug,
            "zip": entry(f"downloads/{slug}.zip", "download_all"),
            "documents": [entry(f"{slug}/deck.pptx", "deck"),
                          entry(f"{slug}/handout.html", "handout_html"),
                          entry(f"{slug}/handout.pdf", "handout_pdf")],
            "labs": [{"title": lab.title, "description": lab.description,
                      "student": entry(f"{slug}/labs/{lab_id}.student.ipynb", "student"),
                      "instructor": entry(f"{slug}/labs/{lab_id}.ipynb", "instructor_with_outputs")}
                     for lab_id, lab in session.labs.items()],
            "animations": [{"caption": bundle.animation(a).caption, "alt": bundle.animation(a).alt,
                            "video": entry(f"animations/{a}.mp4", "video"),
                            "preview": f"animations/{a}.gif", "poster": f"animations/{a}.png"}
                           for a in animations],
            "figures": [{"caption": bundle.figure(f).caption, "alt": bundle.figure(f).alt,
                         "image": entry(f"figures/{f}.png", "image")} for f in figures],
        })
    return pages


def build_site(bundle: Any, context: Any, target: Any, report: Any) -> str:
    from pipeline.handouts import template_environment

    # The sessions this build made, and those an earlier build left in place: a `--session N` build must
    # not drop the other sessions from the course page.
    numbers = {int(name.split("-")[-1]) for name in target.upstream if name.startswith("deck:")}
    numbers |= {loaded.session.number for loaded in bundle.sessions
                if (context.build_dir / loaded.session.slug / "deck.pptx").is_file()}
    environment = template_environment(bundle.root / "templates")
    html = environment.get_template("index.html.j2").render(
        course=bundle.course, sessions=page_sessions(bundle, context.build_dir, numbers),
        words=words_for(bundle.course.language),
        font=bundle.course.theme.font, accent=bundle.course.theme.accent_color)
    index_out, css_out = (context.output(o) for o in target.outputs)
    atomic.copy_file(bundle.root / "templates" / "site.css", css_out)
    atomic.write_text(index_out, html)
    report(1, 1)
    return "cpu"
