"""Stage `handout`: one handout per session, in HTML (jinja2) and PDF (Typst), from the course's templates.

The handout turns the session into prose: a section per section slide, the slides' points as
lists, the speaker notes as explanatory paragraphs, figures with captions, equations (MathML in
HTML, typeset pictures in the PDF) and the session's labs. Both formats show the same
`handout_sections`. Curriculum text reaches either template as data only: autoescaped in the HTML,
passed to Typst as JSON strings, never rendered as a template or read as markup.

The PDF is typeset by Typst (templates/handout.typ) rather than printed from the HTML: it lays out
a 40-page handout in well under a second, so editing one slide rebuilds its handout at once.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from pipeline import atomic, metrictext
from pipeline.errors import CurriculumError
from pipeline.words import session_label, words_for

EMPHASIS = re.compile(r"\*\*(.+?)\*\*")


def rich_text(text: str) -> Markup:
    """Escape curriculum text, then turn `**...**` into <strong> and line breaks into paragraphs' <br>."""
    escaped = str(escape(text))
    return Markup(EMPHASIS.sub(r"<strong>\1</strong>", escaped).replace("\n", "<br>\n"))


def paragraphs(text: str) -> list[Markup]:
    return [rich_text(part.strip()) for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def mathml(latex: str) -> Markup:
    import latex2mathml.converter

    return Markup(latex2mathml.converter.convert(latex, display="block"))


def template_environment(templates_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rich"] = rich_text
    environment.filters["paragraphs"] = paragraphs
    return environment


def _bullet_tree(items: list[Any], substitute: Any) -> list[dict[str, Any]]:
    tree = []
    for item in items:
        if isinstance(item, str):
            tree.append({"text": substitute(item), "children": []})
        else:
            tree.append({"text": substitute(item.text), "children": _bullet_tree(item.children, substitute)})
    return tree


def handout_sections(session: Any, substitute: Any, equation: Any) -> list[dict[str, Any]]:
    """The session as a list of sections, each a heading and its blocks, in slide order; plain data,
    shared by the HTML template and the typeset PDF. `equation(latex)` gives what each shows of one."""
    sections: list[dict[str, Any]] = [{"heading": None, "blocks": []}]
    for slide in session.slides:
        if slide.kind in {"title"}:
            continue
        if slide.kind == "section":
            sections.append({"heading": substitute(slide.title), "blocks": []})
            if slide.subtitle:
                lead = {"type": "lead", "title": "", "text": substitute(slide.subtitle), "notes": None}
                sections[-1]["blocks"].append(lead)
        else:
            block: dict[str, Any] = {"type": slide.kind, "title": substitute(slide.title or "")}
            if slide.kind in {"bullets", "summary"}:
                block["bullets"] = _bullet_tree(slide.bullets, substitute)
            elif slide.kind == "figure":
                block["figure"] = slide.figure
                block["caption"] = substitute(slide.caption) if slide.caption else None
            elif slide.kind == "two_column":
                block["columns"] = [
                    {"figure": column.figure, "caption": substitute(column.caption) if column.caption else None,
                     "bullets": _bullet_tree(column.bullets or [], substitute)}
                    for column in (slide.left, slide.right)
                ]
            elif slide.kind == "table":
                block["columns"] = [substitute(c) for c in slide.columns]
                block["rows"] = [[substitute(c) for c in row] for row in slide.rows]
                block["caption"] = substitute(slide.caption) if slide.caption else None
            elif slide.kind == "equation":
                block["equations"] = [{"latex": latex, **equation(latex)} for latex in slide.latex]
                block["bullets"] = _bullet_tree(slide.bullets, substitute)
            elif slide.kind == "code":
                block["code"] = slide.code
            elif slide.kind == "timeline":
                block["events"] = [{"year": e.year, "label": substitute(e.label), "era": e.era}
                                   for e in sorted(slide.events, key=lambda e: e.year)]
            elif slide.kind == "quote":
                block["quote"] = substitute(slide.quote)
                block["attribution"] = substitute(slide.attribution) if slide.attribution else None
            elif slide.kind == "animation":
                block["animation"] = slide.animation
                block["caption"] = substitute(slide.caption) if slide.caption else None
            block["notes"] = substitute(slide.notes) if slide.notes else None
            sections[-1]["blocks"].append(block)
    return [section for section in sections if section["heading"] or section["blocks"]]


HANDOUT_EQUATION_SCALE = 1.25  # the typeset equations' body size (10pt) to a little above the handout's text
PRINT_TEXT_WIDTH_MM = 178  # A4 less the handout's side margins (handout.typ)
PRINT_FIGURE_HEIGHT_MM = 120  # a tall figure is narrowed so that it fits this height on the page


def _handout_context(bundle: Any, loaded: Any, metrics: dict) -> tuple[Any, list[str], list[str]]:
    from pipeline.graph import session_media

    def substitute(text: str) -> str:
        return metrictext.substitute(text, metrics)

    figure_ids, animation_ids = session_media(loaded)
    return substitute, figure_ids, animation_ids


def render_handout(bundle: Any, loaded: Any, metrics: dict, output_dir: Path) -> str:
    """The on-screen handout: HTML with MathML equations, videos and links to the labs."""
    session = loaded.session
    substitute, figure_ids, animation_ids = _handout_context(bundle, loaded, metrics)
    figures_dir = output_dir.parent / "figures"
    animations_dir = output_dir.parent / "animations"
    return template_environment(bundle.root / "templates").get_template("handout.html.j2").render(
        course=bundle.course,
        session=session,
        sections=handout_sections(session, substitute, lambda latex: {"mathml": mathml(latex)}),
        figures={figure_id: {"src": os.path.relpath(figures_dir / f"{figure_id}.png", output_dir),
                             "caption": substitute(spec.caption), "alt": spec.alt}
                 for figure_id, spec in ((f, bundle.figure(f)) for f in figure_ids)},
        animations={animation_id: {"poster": os.path.relpath(animations_dir / f"{animation_id}.png", output_dir),
                                   "video": os.path.relpath(animations_dir / f"{animation_id}.mp4", output_dir),
                                   "caption": substitute(spec.caption), "alt": spec.alt}
                    for animation_id, spec in ((a, bundle.animation(a)) for a in animation_ids)},
        labs=[{"id": lab_id, "title": lab.title, "description": lab.description,
               "student": f"labs/{lab_id}.student.ipynb", "instructor": f"labs/{lab_id}.ipynb"}
              for lab_id, lab in session.labs.items()],
        objectives=[substitute(o) for o in session.objectives],
        words=words_for(bundle.course.language),
        session_label=session_label(bundle.course.language, session.number),
        css=(bundle.root / "templates" / "handout.css").read_text(encoding="utf-8"),
        font=bundle.course.theme.font,
        accent=bundle.course.theme.accent_color,
    )


def print_width(image_path: Path) -> float:
    """The share of the text width a picture gets on paper: all of it, unless that would make it
    taller than PRINT_FIGURE_HEIGHT_MM."""
    from PIL import Image

    with Image.open(image_path) as image:
        width, height = image.size
    return round(min(1.0, PRINT_FIGURE_HEIGHT_MM * width / height / PRINT_TEXT_WIDTH_MM), 3)


def print_equation(latex: str) -> dict[str, Any]:
    """The typeset picture of an equation and its width in points: one scale for every equation, so a
    flat one is not blown up to the height of one with fractions."""
    from PIL import Image

    from pipeline.equations import RENDER_DPI, render_png

    path = render_png(latex)
    with Image.open(path) as image:
        width_pt = image.width * 72 / RENDER_DPI * HANDOUT_EQUATION_SCALE
    return {"image": str(path), "width_pt": round(width_pt, 1)}


def handout_data(bundle: Any, loaded: Any, metrics: dict, build_dir: Path) -> dict[str, Any]:
    """What the printed handout shows, as plain data for handout.typ: text stays text, pictures are
    absolute paths, equations are typeset pictures with their width in points."""
    session = loaded.session
    substitute, figure_ids, animation_ids = _handout_context(bundle, loaded, metrics)

    def picture(path: Path, caption: str, alt: str) -> dict[str, Any]:
        return {"src": str(path), "width": print_width(path), "caption": substitute(caption), "alt": alt}

    label = session_label(bundle.course.language, session.number)
    return {
        "language": bundle.course.language,
        "title": f"{label}. {session.title} · {bundle.course.title}",
        "course": bundle.course.title,
        "heading": f"{label}. {session.title}",
        "subtitle": session.subtitle or None,
        "instructor": bundle.course.instructor or None,
        "fonts": handout_fonts(bundle.course.theme.font),
        "accent": bundle.course.theme.accent_color,
        "words": words_for(bundle.course.language),
        "objectives": [substitute(o) for o in session.objectives],
        "sections": handout_sections(session, substitute, print_equation),
        "figures": {figure_id: picture(build_dir / "figures" / f"{figure_id}.png", spec.caption, spec.alt)
                    for figure_id, spec in ((f, bundle.figure(f)) for f in figure_ids)},
        "animations": {animation_id: picture(build_dir / "animations" / f"{animation_id}.png", spec.caption, spec.alt)
                       for animation_id, spec in ((a, bundle.animation(a)) for a in animation_ids)},
        "labs": [{"title": lab.title, "description": lab.description or None,
                  "student": f"labs/{lab_id}.student.ipynb"} for lab_id, lab in session.labs.items()],
    }


# What the printed handout falls back to after the course's font: Korean, then the sub- and
# superscripts Noto Sans CJK lacks; code in a monospaced Korean font.
TEXT_FALLBACK_FONTS = ("Noto Sans CJK KR", "DejaVu Sans")
CODE_FONTS = ("Noto Sans Mono CJK KR",)


def handout_fonts(font: str) -> dict[str, list[str]]:
    return {"text": list(dict.fromkeys((font, *TEXT_FALLBACK_FONTS))), "code": list(CODE_FONTS)}


def typeset_pdf(template: Path, data: dict[str, Any], output: Path) -> None:
    """Typeset `template` with `data` into the PDF `output` (atomically). The data travels as one JSON
    string in sys.inputs, so no curriculum text is ever read as Typst markup. Typst sees only the
    folders of the fonts `data["fonts"]` names (and its own): looking through every installed font
    for a glyph the text font lacks costs half a second a handout."""
    import typst

    from pipeline.textfit import font_folders

    families = tuple(family for role in data["fonts"].values() for family in role)
    try:
        pdf = typst.compile(str(template), root="/", sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                            font_paths=font_folders(families), ignore_system_fonts=True)
    except typst.TypstError as error:
        raise CurriculumError(template, None, None, f"Typst cannot typeset the handout: {error.message}",
                              "fix the template, or restore the course builder's own") from None
    atomic.write_bytes(output, pdf)


def build_handout(bundle: Any, context: Any, target: Any, report: Any) -> str:
    from pipeline.curriculum import metric_references
    from pipeline.training import load_metrics

    loaded = next(s for s in bundle.sessions if s.session.slug == target.subject)
    metrics = load_metrics(context.build_dir, sorted(metric_references(loaded)))
    html_path, pdf_path = (context.output(o) for o in target.outputs)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(html_path, render_handout(bundle, loaded, metrics, html_path.parent))
    report(1, 2)
    typeset_pdf(bundle.root / "templates" / "handout.typ", handout_data(bundle, loaded, metrics, context.build_dir),
                pdf_path)
    report(2, 2)
    return "cpu"
