"""The words the build itself writes on slides, handouts and the course page, in each course language.

Curriculum text is the instructor's and is shown as written; these labels, headings and link names
are the tool's, so a course declared `language: en` gets English around its own English content.
Every language has the same keys (a test checks it), so a template never meets a missing word.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "ko": {
        # decks
        "objectives": "학습 목표",
        "continued": "(계속)",
        "continued_note": "(앞 슬라이드에 이어서)",
        "golden": "황금기",
        "winter": "암흑기(겨울)",
        "neutral": "사건",
        # handouts and the course page
        "session": "{number}회차",
        "sessions": "회차",
        "materials": "자료",
        "labs": "실습 노트북",
        "animations": "애니메이션",
        "figures": "그림",
        "download_all": "전체 내려받기 (zip)",
        "deck": "슬라이드 (PowerPoint)",
        "handout_html": "핸드아웃 (HTML)",
        "handout_pdf": "핸드아웃 (PDF)",
        "student": "학생용",
        "instructor": "강사용",
        "instructor_with_outputs": "강사용 (실행 결과 포함)",
        "video": "영상 (mp4)",
        "image": "그림 (PNG)",
        "missing": "없음",
        "poster_note": "(애니메이션의 마지막 장면; 영상은 강의 페이지에서)",
        "colophon": "이 페이지와 모든 자료는 커리큘럼 YAML에서 빌드되었습니다. 인터넷 연결 없이 열립니다.",
    },
    "en": {
        "objectives": "Learning objectives",
        "continued": "(continued)",
        "continued_note": "(continued from the previous slide)",
        "golden": "golden age",
        "winter": "winter",
        "neutral": "event",
        "session": "Session {number}",
        "sessions": "Sessions",
        "materials": "Materials",
        "labs": "Lab notebooks",
        "animations": "Animations",
        "figures": "Figures",
        "download_all": "Download everything (zip)",
        "deck": "Slides (PowerPoint)",
        "handout_html": "Handout (HTML)",
        "handout_pdf": "Handout (PDF)",
        "student": "student",
        "instructor": "instructor",
        "instructor_with_outputs": "instructor (with outputs)",
        "video": "video (mp4)",
        "image": "figure (PNG)",
        "missing": "missing",
        "poster_note": "(the animation's last frame; the video is on the course page)",
        "colophon": "This page and every file on it were built from the curriculum's YAML. It opens without a network.",
    },
}


def words_for(language: str) -> dict[str, str]:
    return WORDS[language]


def session_label(language: str, number: int) -> str:
    """"3회차", "Session 3": how the course names its session `number`."""
    return WORDS[language]["session"].format(number=number)
