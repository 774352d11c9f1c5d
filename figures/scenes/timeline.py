"""A timeline of neural-network history whose axis grows year by year, golden ages and winters as bands.

No model: the events come from the curriculum's `params` (`events: [{year, label, era}]`, era one of
golden, winter, neutral), or the defaults below. An era starts at an event marked golden or winter
and lasts until the next event of the other era (neutral events do not end it).
"""

from __future__ import annotations

from common import INK, MUTED, CourseScene
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    FadeIn,
    Line,
    Rectangle,
    Triangle,
    UpdateFromAlphaFunc,
    VGroup,
)

DEFAULT_EVENTS = [
    {"year": 1943, "label": "맥컬록-피츠 뉴런", "era": "neutral"},
    {"year": 1956, "label": "다트머스 회의", "era": "golden"},
    {"year": 1957, "label": "퍼셉트론", "era": "golden"},
    {"year": 1969, "label": "『퍼셉트론』과 XOR", "era": "winter"},
    {"year": 1986, "label": "역전파", "era": "golden"},
    {"year": 1993, "label": "두 번째 겨울", "era": "winter"},
    {"year": 2006, "label": "심층 신뢰망(DBN)", "era": "golden"},
    {"year": 2012, "label": "AlexNet", "era": "golden"},
    {"year": 2017, "label": "트랜스포머", "era": "golden"},
    {"year": 2020, "label": "DDPM·GPT-3", "era": "golden"},
    {"year": 2022, "label": "ChatGPT", "era": "golden"},
]
ERA_COLOURS = {"golden": "#f2c14e", "winter": "#7fa7d9"}
ERA_NAMES = {"golden": "황금기", "winter": "겨울"}
AXIS_LEFT, AXIS_RIGHT, AXIS_Y = -6.6, 6.6, -0.3
BAND_HEIGHT = 0.55
LEVELS = [1.0, -1.05, 1.95, -2.0, 2.8, -2.8]  # label heights above/below the axis, nearest first


class AITimeline(CourseScene):
    """The axis grows from the first event to the last; each event gets a dot and a label."""

    def construct(self) -> None:
        events = sorted(self.params.get("events") or DEFAULT_EVENTS, key=lambda e: float(e["year"]))
        first_year = int(self.params.get("start", (int(events[0]["year"]) - 5) // 10 * 10))
        last_year = int(self.params.get("end", int(events[-1]["year"]) + 5))

        def x_of(year: float) -> float:
            return AXIS_LEFT + (AXIS_RIGHT - AXIS_LEFT) * (year - first_year) / (last_year - first_year)

        title = self.korean(str(self.params.get("title", "신경망의 역사: 황금기와 겨울")), size=30)
        title.to_edge(UP, buff=0.25)
        legend = VGroup(*[
            VGroup(Rectangle(width=0.4, height=0.22, stroke_width=0, fill_color=ERA_COLOURS[era], fill_opacity=0.55),
                   self.korean(ERA_NAMES[era], size=18)).arrange(RIGHT, buff=0.12)
            for era in ("golden", "winter")
        ]).arrange(RIGHT, buff=0.5).to_edge(DOWN, buff=0.25)
        self.play(FadeIn(title), FadeIn(legend), run_time=0.6)

        axis = Line([x_of(first_year), AXIS_Y, 0], [x_of(first_year) + 1e-3, AXIS_Y, 0], color=INK, stroke_width=3)
        head = Triangle(color=INK, fill_opacity=1, stroke_width=0).scale(0.09).rotate(-1.5708)
        head.move_to(axis.get_end() + RIGHT * 0.07)
        self.add(axis, head)
        bands = self._bands(events, last_year, x_of)
        decades = VGroup()
        for year in range((first_year + 9) // 10 * 10, last_year + 1, 10):
            tick = Line([x_of(year), AXIS_Y - 0.08, 0], [x_of(year), AXIS_Y + 0.08, 0], color=MUTED, stroke_width=2)
            label = self.korean(str(year), size=15, color=MUTED).move_to(
                [x_of(year), AXIS_Y - BAND_HEIGHT / 2 - 0.14, 0])
            decades.add(VGroup(tick, label))

        placed: list[tuple[float, float, float]] = []  # (level, left, right) of labels already drawn
        reached = float(first_year)
        per_year = float(self.params.get("seconds_per_year", 0.045))
        for event in events:
            year = float(event["year"])
            grow = self._grow_to(axis, head, bands, decades, x_of, reached, year)
            self.play(grow, run_time=max(0.25, min(1.2, (year - reached) * per_year)))
            reached = year
            era = event.get("era", "neutral")
            dot = Dot([x_of(year), AXIS_Y, 0], radius=0.08, color=ERA_COLOURS.get(era, INK))
            label = VGroup(self.korean(str(int(year)), size=20, color=INK, weight="BOLD"),
                           self.korean(str(event["label"]), size=20, color=INK)).arrange(DOWN, buff=0.06)
            level = self._free_level(placed, x_of(year), label.width)
            label.move_to([x_of(year), AXIS_Y + level, 0])
            if label.get_left()[0] < -6.95:  # keep labels at either end inside the frame
                label.shift(RIGHT * (-6.95 - label.get_left()[0]))
            if label.get_right()[0] > 6.95:
                label.shift(LEFT * (label.get_right()[0] - 6.95))
            stem = Line([x_of(year), AXIS_Y, 0],
                        [x_of(year), label.get_bottom()[1] - 0.05 if level > 0 else label.get_top()[1] + 0.05, 0],
                        color=MUTED, stroke_width=1.5)
            self.play(FadeIn(dot), FadeIn(stem), FadeIn(label, shift=(UP if level > 0 else DOWN) * 0.15),
                      run_time=0.45)
            self.wait(0.35)
        self.play(self._grow_to(axis, head, bands, decades, x_of, reached, float(last_year)), run_time=0.5)
        self.wait(1.5)

    def _bands(self, events: list[dict], last_year: int, x_of) -> list[tuple[float, Rectangle]]:
        """(start year, rectangle spanning its whole era) for each golden age or winter."""
        spans: list[tuple[str, float, float]] = []
        for event in events:
            era = event.get("era", "neutral")
            if era not in ERA_COLOURS or (spans and spans[-1][0] == era):
                continue
            if spans:
                spans[-1] = (spans[-1][0], spans[-1][1], float(event["year"]))
            spans.append((era, float(event["year"]), float(last_year)))
        bands = []
        for era, start, end in spans:
            band = Rectangle(width=max(1e-3, x_of(end) - x_of(start)), height=BAND_HEIGHT, stroke_width=0,
                             fill_color=ERA_COLOURS[era], fill_opacity=0.45)
            band.move_to([(x_of(start) + x_of(end)) / 2, AXIS_Y, 0]).set_z_index(-1)
            band.start_x, band.end_x = x_of(start), x_of(end)
            bands.append((start, band))
        return bands

    def _grow_to(self, axis: Line, head, bands, decades, x_of, start_year: float, end_year: float):
        """One animation: the axis, the bands under it and the decade ticks extend to `end_year`."""
        begin, end = x_of(start_year), x_of(end_year)
        added: set[int] = set()

        def update(_, alpha: float) -> None:
            x = begin + (end - begin) * alpha
            axis.put_start_and_end_on([AXIS_LEFT, AXIS_Y, 0], [max(x, AXIS_LEFT + 1e-3), AXIS_Y, 0])
            head.move_to([x + 0.07, AXIS_Y, 0])
            for _, band in bands:
                if band.start_x < x:
                    width = max(1e-3, min(x, band.end_x) - band.start_x)
                    band.stretch_to_fit_width(width).move_to([band.start_x + width / 2, AXIS_Y, 0])
                    if id(band) not in added:
                        self.add(band)
                        added.add(id(band))
            for decade in decades:
                if decade[0].get_x() <= x and decade not in self.mobjects:
                    self.add(decade)

        return UpdateFromAlphaFunc(axis, update)

    @staticmethod
    def _free_level(placed: list[tuple[float, float, float]], x: float, width: float) -> float:
        """The nearest label height whose row has no label overlapping [x - width/2, x + width/2]."""
        left, right = x - width / 2 - 0.08, x + width / 2 + 0.08
        for level in LEVELS:
            if all(not (lo < right and left < hi) for lv, lo, hi in placed if lv == level):
                placed.append((level, left, right))
                return level
        placed.append((LEVELS[-1], left, right))
        return LEVELS[-1]
