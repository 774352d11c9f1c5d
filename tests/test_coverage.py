"""The curriculum mirrors its source documents: session N covers every heading of document N, in order,
with speaker notes, objectives, a summary and review questions."""

from __future__ import annotations

import re

import pytest

from pipeline.curriculum import load_course
from tests.conftest import REPO, SOURCES

# Documents 3 and 4 are plain text without markdown headings; these are their section titles, each of
# which must appear verbatim as a line of the document (checked below), so the list cannot drift from it.
PLAIN_TEXT_HEADINGS = {
    3: ["딥러닝이란?", "딥러닝의 Key Components", "Data", "Model", "Loss", "Algorithm", "Historical Review",
        "2012 - AlexNet", "2013 - DQN", "2014 - Encoder / Decoder", "2014 - Adam Optimizer",
        "2015 - Generative Adversarial Network (GAN)", "2015 - Residual Networks (ResNet)", "2017 - Transformer",
        "2018 - BERT (fine-tuned NLP models)", "2019 - BIG Language Models", "2020 - Self Supervised Learning"],
    4: ["1. 마스터클래스(오태현교수님)", "1. 기술의 발전", "2. 논문 선정 및 분석 방법", "3. Trend 1: Foundation Models",
        "4. Trend 2: Text-to-X", "5. Trend 3: ChatGPT와 Multimodal AI", "6. AGI (Artificial General Intelligence)",
        "2. 피어세션 시간 DDPM", "1. Forward Process (노이즈 추가 단계)", "Forward Process에서 중요한 수식",
        "2. Reverse Process (노이즈 제거 단계)", "Loss Function (손실 함수)", "3. 이동 과정의 시각적 설명",
        "4. 모델의 역할"],
}
SESSIONS = {loaded.session.number: loaded for loaded in load_course(REPO).sessions}
DOCUMENTS = sorted(p for p in SOURCES.glob("*.txt"))


def normal(heading: str) -> str:
    """Heading text as compared: no leading #'s, no bold markers, single spaces."""
    return re.sub(r"\s+", " ", heading.lstrip("#").replace("**", "")).strip()


def document_headings(number: int) -> list[str]:
    text = DOCUMENTS[number - 1].read_text(encoding="utf-8")
    if number in PLAIN_TEXT_HEADINGS:
        lines = {line.strip() for line in text.splitlines()}
        missing = [h for h in PLAIN_TEXT_HEADINGS[number] if h not in lines]
        assert not missing, f"not lines of document {number}: {missing}"
        return PLAIN_TEXT_HEADINGS[number]
    return [normal(line) for line in text.splitlines() if line.startswith("#")]


def test_there_is_one_session_per_document() -> None:
    assert sorted(SESSIONS) == list(range(1, len(DOCUMENTS) + 1))


@pytest.mark.parametrize("number", range(1, 5))
def test_every_heading_is_covered_in_the_documents_order(number: int) -> None:
    loaded = SESSIONS[number]
    slides = {slide.id: index for index, slide in enumerate(loaded.session.slides) if slide.id}
    covered = {normal(entry.heading): entry.slides for entry in loaded.session.coverage}
    headings = document_headings(number)
    missing = [h for h in headings if h not in covered or not covered[h]]
    assert not missing, f"session {number} does not cover: {missing}"
    unknown = sorted(set(covered) - set(headings))
    assert not unknown, f"coverage names headings that are not in the document: {unknown}"
    first_slides = [min(slides[s] for s in covered[h]) for h in headings]
    out_of_order = [(headings[i], headings[i + 1]) for i in range(len(headings) - 1)
                    if first_slides[i + 1] < first_slides[i]]
    assert not out_of_order, f"slides not in the document's order: {out_of_order}"


@pytest.mark.parametrize("number", range(1, 5))
def test_teaching_slides_have_real_speaker_notes(number: int) -> None:
    session = SESSIONS[number].session
    bare = [slide.id or slide.title for slide in session.slides
            if slide.kind not in {"title", "section"} and len((slide.notes or "").strip()) < 80]
    assert not bare, f"slides without real speaker notes: {bare}"
    repeated = [slide.id for slide in session.slides
                if slide.notes and getattr(slide, "bullets", None)
                and _plain(slide.notes) == _plain(" ".join(_texts(slide.bullets)))]
    assert not repeated, f"notes that only repeat the bullets: {repeated}"


@pytest.mark.parametrize("number", range(1, 5))
def test_objectives_summary_and_review_questions(number: int) -> None:
    session = SESSIONS[number].session
    assert 2 <= len(session.objectives) <= 6
    kinds = [slide.kind for slide in session.slides]
    assert kinds[0] == "title" and "summary" in kinds[-3:]
    questions = [slide for slide in session.slides[-3:] if slide.kind == "bullets"
                 and sum(text.rstrip().endswith("?") for text in _texts(slide.bullets)) >= 3]
    assert questions, "a review slide with 3-5 questions near the end"
    review = questions[-1]
    assert 3 <= len(review.bullets) <= 5 and len(review.notes or "") > 200  # the answers are in the notes


def _texts(bullets) -> list[str]:
    texts = []
    for bullet in bullets:
        if isinstance(bullet, str):
            texts.append(bullet)
        else:
            texts += [bullet.text, *_texts(bullet.children)]
    return texts


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)
