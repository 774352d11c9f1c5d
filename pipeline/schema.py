"""The one schema of the curriculum: `course.yaml` and one YAML file per session.

Every model here forbids unknown keys and is strict about types, so a typo is an error at load
time rather than a silently ignored setting. Cross-references (a slide's figure, a figure's
model) are checked in `pipeline.curriculum`, which also turns validation errors into
`file:line:col` messages. `docs/curriculum.md` documents every key defined here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
]
# Long enough for a paragraph of speaker notes, short enough to catch a pasted file.
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- course.yaml -------------------------------------------------------------------------------


class Profile(Strict):
    """How much work a build does: a budget for training, a device, and render quality."""

    budget: Literal["smoke", "default", "full"]
    device: Literal["auto", "cpu", "cuda"] = "auto"
    animation_quality: Literal["low", "medium", "high"] = "medium"
    notebook_timeout: Annotated[int, Field(ge=5, le=3600)] = 600
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class Theme(Strict):
    template: str = "templates/theme.pptx"
    font: ShortText = "Noto Sans CJK KR"
    accent_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#1f5fa8"


class Course(Strict):
    title: ShortText
    subtitle: ShortText | None = None
    language: Literal["ko", "en"]
    instructor: ShortText | None = None
    theme: Theme = Theme()
    sessions: Annotated[list[str], Field(min_length=1, max_length=50)]
    profiles: dict[Identifier, Profile]
    default_profile: Identifier = "default"


# --- session files: what the build makes ------------------------------------------------------


class ModelSpec(Strict):
    model: Identifier
    params: dict[str, Any] = {}
    title: ShortText | None = None


class FigureSpec(Strict):
    draw: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_]*$")]
    models: list[Identifier] = []
    params: dict[str, Any] = {}
    caption: ShortText
    alt: ShortText


class AnimationSpec(Strict):
    scene: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_]*$")]
    models: list[Identifier] = []
    params: dict[str, Any] = {}
    caption: ShortText
    alt: ShortText


class LabSpec(Strict):
    source: ShortText
    title: ShortText
    description: Text | None = None
    models: list[Identifier] = []


# --- slides -----------------------------------------------------------------------------------


class Bullet(Strict):
    text: Text
    children: list[BulletItem] = []


BulletItem = Annotated[str | Bullet, Field(union_mode="left_to_right")]
Bullet.model_rebuild()


class SlideBase(Strict):
    id: Identifier | None = None
    title: ShortText | None = None
    notes: Text | None = None


class TitleSlide(SlideBase):
    kind: Literal["title"]
    title: ShortText
    subtitle: ShortText | None = None


class SectionSlide(SlideBase):
    kind: Literal["section"]
    title: ShortText
    subtitle: ShortText | None = None


class BulletsSlide(SlideBase):
    kind: Literal["bullets"]
    title: ShortText
    bullets: Annotated[list[BulletItem], Field(min_length=1)]


class FigureSlide(SlideBase):
    kind: Literal["figure"]
    title: ShortText
    figure: Identifier
    caption: ShortText | None = None


class Column(Strict):
    bullets: list[BulletItem] | None = None
    figure: Identifier | None = None
    caption: ShortText | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Column:
        if (self.bullets is None) == (self.figure is None):
            raise ValueError("a column holds either bullets or a figure")
        return self


class TwoColumnSlide(SlideBase):
    kind: Literal["two_column"]
    title: ShortText
    left: Column
    right: Column


class TableSlide(SlideBase):
    kind: Literal["table"]
    title: ShortText
    columns: Annotated[list[ShortText], Field(min_length=1, max_length=8)]
    rows: Annotated[list[list[ShortText]], Field(min_length=1, max_length=14)]
    caption: ShortText | None = None

    @model_validator(mode="after")
    def _rows_match_columns(self) -> TableSlide:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {index + 1} has {len(row)} cells but the table has {len(self.columns)} columns"
                )
        return self


class EquationSlide(SlideBase):
    kind: Literal["equation"]
    title: ShortText
    latex: Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=2000)]],
                     Field(min_length=1, max_length=6)]
    bullets: list[BulletItem] = []


class CodeSlide(SlideBase):
    kind: Literal["code"]
    title: ShortText
    code: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    language: Literal["python", "text"] = "python"


class TimelineEvent(Strict):
    year: Annotated[int, Field(ge=1000, le=2100)]
    label: ShortText
    era: Literal["golden", "winter", "neutral"] = "neutral"


class TimelineSlide(SlideBase):
    kind: Literal["timeline"]
    title: ShortText
    events: Annotated[list[TimelineEvent], Field(min_length=2, max_length=16)]


class QuoteSlide(SlideBase):
    kind: Literal["quote"]
    quote: Text
    attribution: ShortText | None = None


class AnimationSlide(SlideBase):
    kind: Literal["animation"]
    title: ShortText
    animation: Identifier
    caption: ShortText | None = None


class SummarySlide(SlideBase):
    kind: Literal["summary"]
    title: ShortText
    bullets: Annotated[list[BulletItem], Field(min_length=1)]


Slide = Annotated[
    TitleSlide | SectionSlide | BulletsSlide | FigureSlide | TwoColumnSlide | TableSlide
    | EquationSlide | CodeSlide | TimelineSlide | QuoteSlide | AnimationSlide | SummarySlide,
    Field(discriminator="kind"),
]

SLIDE_KINDS = (
    "title", "section", "bullets", "figure", "two_column", "table",
    "equation", "code", "timeline", "quote", "animation", "summary",
)


class CoverageEntry(Strict):
    heading: ShortText
    slides: Annotated[list[Identifier], Field(min_length=1)]


class Session(Strict):
    number: Annotated[int, Field(ge=1, le=99)]
    title: ShortText
    subtitle: ShortText | None = None
    source: ShortText | None = None
    objectives: Annotated[list[ShortText], Field(min_length=1, max_length=10)]
    models: dict[Identifier, ModelSpec] = {}
    figures: dict[Identifier, FigureSpec] = {}
    animations: dict[Identifier, AnimationSpec] = {}
    labs: dict[Identifier, LabSpec] = {}
    slides: Annotated[list[Slide], Field(min_length=1, max_length=300)]
    coverage: list[CoverageEntry] = []

    @property
    def slug(self) -> str:
        return f"session-{self.number:02d}"
