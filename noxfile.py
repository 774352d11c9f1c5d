"""Sessions that set up, build, test, lint and benchmark the course.

`nox -s build` builds the whole course into build/ (extra arguments go to `course build`, e.g.
`nox -s build -- --session 1 --profile smoke -j 2`); `nox -s tests` runs the test suite. Both
install what they need: system packages through scripts/install-system-deps.sh (only what is
missing), Python packages into the session's virtual environment.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.sessions = ["build"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True


def _host_has_cuda_torch() -> bool:
    """A GPU machine that already has a CUDA build of torch keeps it rather than the pinned CPU build."""
    probe = "import torch, sys; sys.exit(0 if torch.version.cuda and torch.cuda.is_available() else 1)"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


CUDA_HOST = _host_has_cuda_torch()


def _dependencies(extra: str | None = None) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    if extra:
        requirements += project["optional-dependencies"][extra]
    return requirements


def _install(session: nox.Session, extra: str | None = None) -> None:
    session.run("bash", str(ROOT / "scripts" / "install-system-deps.sh"), external=True)
    if CUDA_HOST:
        # The venv sees the host's CUDA torch; everything else is installed as usual.
        session.install(*[r for r in _dependencies(extra) if not r.startswith("torch")])
        session.install("--no-deps", "-e", ".")
    else:
        session.install("-e", f".[{extra}]" if extra else ".")


def _venv_params() -> list[str]:
    return ["--system-site-packages"] if CUDA_HOST else []


@nox.session(venv_params=_venv_params())
def build(session: nox.Session) -> None:
    """Build the whole course into build/ (arguments pass through to `course build`)."""
    _install(session)
    session.run("course", "build", *session.posargs)


@nox.session(venv_params=_venv_params())
def tests(session: nox.Session) -> None:
    """Run the whole test suite, end-to-end builds included."""
    _install(session, "test")
    # Two workers: one builds the course once and runs the tests that read it, the other runs the rest.
    session.run("pytest", *(session.posargs or ["-q", "-n", "2", "--dist", "loadgroup"]))


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and common mistakes with ruff."""
    session.install("ruff")
    session.run("ruff", "check", "pipeline", "tests", "figures", "noxfile.py", "scripts")


@nox.session(venv_params=_venv_params())
def bench(session: nox.Session) -> None:
    """Measure build and training speed; results in build/bench/<profile>.json and a printed table."""
    _install(session, "test")
    session.run("python", "-m", "pipeline.bench", *session.posargs)
