"""The `course` command: validate, plan, build and clean a course.

This is the only place that turns errors into exit codes: 0 success, 1 a target failed,
2 the curriculum is wrong, 3 another build holds the lock, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline import atomic
from pipeline.errors import BuildFailed, CourseError, CurriculumError, CurriculumErrors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", type=Path, default=Path.cwd(),
                        help="directory holding curriculum/, figures/ and templates/ (default: here)")
    parser.add_argument("--build-dir", type=Path, default=None, help="output directory (default: <course>/build)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check the curriculum and report every problem")
    for name, text in (("plan", "show every target, its inputs and whether and why it would run"),
                       ("build", "build what is out of date")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--profile", default=None, help="build profile from course.yaml (default: its default)")
        command.add_argument("--session", type=int, action="append", default=None,
                             help="only this session number and what it needs (repeatable)")
        command.add_argument("--force", action="store_true", help="rebuild every selected target")
        if name == "build":
            command.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                                 help="targets built at once (default: number of cores)")
            command.add_argument("--wait", action="store_true", help="wait for a running build instead of refusing")
        else:
            command.add_argument("--verbose", "-v", action="store_true", help="list every input of every target")
    clean = commands.add_parser("clean", help="remove the build directory")
    clean.add_argument("--wait", action="store_true", help="wait for a running build instead of refusing")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    console = Console(stderr=True, highlight=False, log_path=False)
    try:
        return _dispatch(arguments, console)
    except (CurriculumErrors, CurriculumError) as error:
        for line in error.one_line().splitlines() if isinstance(error, CurriculumError) else \
                [e.one_line() for e in error.errors]:
            print(f"error: {line}", file=sys.stderr)
        return 2
    except BuildFailed as error:
        return error.exit_code
    except CourseError as error:
        print(f"error: {error.one_line()}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted: finished outputs are kept; run the build again to finish", file=sys.stderr)
        return 130


def _dispatch(arguments: argparse.Namespace, console: Console) -> int:
    from pipeline.curriculum import load_course

    root = arguments.course_dir.resolve()
    build_dir = (arguments.build_dir or root / "build").resolve()
    if arguments.command == "clean":
        from pipeline.engine import build_lock

        with build_lock(build_dir, arguments.wait):
            for child in build_dir.iterdir():
                if child.name != ".lock":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        print(f"removed the contents of {build_dir}", file=sys.stderr)
        return 0

    bundle = load_course(root)
    if arguments.command == "validate":
        counts = sum(len(s.session.slides) for s in bundle.sessions)
        print(f"ok: {len(bundle.sessions)} session(s), {counts} slides, {len(bundle.model_owner)} models, "
              f"{len(bundle.figure_owner)} figures, {len(bundle.animation_owner)} animations, "
              f"{len(bundle.lab_owner)} labs")
        return 0

    from pipeline import engine
    from pipeline.graph import build_graph

    profile_name = arguments.profile or bundle.course.default_profile
    if profile_name not in bundle.course.profiles:
        raise CurriculumError("curriculum/course.yaml", None, None, f"no profile named {profile_name!r}",
                              f"choose one of {', '.join(bundle.course.profiles)}")
    profile = bundle.course.profiles[profile_name]
    sessions = set(arguments.session) if arguments.session else None
    known = {s.session.number for s in bundle.sessions}
    if sessions and not sessions <= known:
        raise CurriculumError("curriculum/course.yaml", None, None,
                              f"no session numbered {min(sessions - known)}",
                              f"sessions are {', '.join(map(str, sorted(known)))}")
    graph = build_graph(bundle, profile, sessions)

    if arguments.command == "plan":
        _print_plan(engine.decide(bundle, graph, build_dir, arguments.force), arguments.verbose)
        return 0

    jobs = max(1, arguments.jobs)
    context = engine.BuildContext(root=root, build_dir=build_dir, profile_name=profile_name, profile=profile,
                                  threads_per_worker=max(1, (os.cpu_count() or 1) // jobs))
    report = engine.run_build(bundle, graph, context, jobs, arguments.force, console, arguments.wait)
    _print_summary(report, console, build_dir)
    if report.failures:
        raise BuildFailed([(o.name, o.log) for o in report.failures])
    return 0


def _print_plan(decisions: list, verbose: bool) -> None:
    console = Console(highlight=False, width=200)
    table = Table(title="build plan", show_lines=verbose)
    for column in ("target", "action", "why", "inputs"):
        table.add_column(column, overflow="fold")
    for decision in decisions:
        target = decision.target
        if verbose:
            inputs = "\n".join(f"{name}: {value[:12]}" for name, value in decision.inputs.items())
        else:
            parts = [f"{len(target.files)} file(s)"]
            if target.upstream:
                parts.append("from " + ", ".join(target.upstream[:4]) + (" ..." if len(target.upstream) > 4 else ""))
            inputs = "; ".join(parts)
        table.add_row(target.name, "run" if decision.run else "skip", decision.reason, inputs)
    console.print(table)
    runs = sum(d.run for d in decisions)
    console.print(f"{runs} of {len(decisions)} targets would run")


def _print_summary(report, console: Console, build_dir: Path) -> None:
    """A table of the targets that ran (the up-to-date ones are only counted), the failures one line
    each, and the totals; build/logs/build.log keeps a line for every target."""
    table = Table(title=f"build summary ({report.seconds:.1f}s)")
    for column in ("target", "status", "time"):
        table.add_column(column)
    lines = []
    for outcome in report.outcomes:
        lines.append(f"{outcome.name}\t{outcome.status}\t{outcome.seconds:.2f}s\t{outcome.message}")
        if outcome.status == "cached":
            continue
        style = {"failed": "red", "skipped": "yellow", "built": "green"}[outcome.status]
        seconds = f"{outcome.seconds:.1f}s" if outcome.status in {"built", "failed"} else "-"
        table.add_row(outcome.name, f"[{style}]{outcome.status}[/]", seconds)
    if table.row_count:
        console.print(table)
    for outcome in report.failures:
        where = f" (log: {outcome.log})" if outcome.log else ""
        # One unwrapped line per failure, so it can be grepped and copied whole.
        console.print(f"[red]{outcome.status}[/] {outcome.name}: {outcome.message}{where}", highlight=False,
                      soft_wrap=True)
    built = report.count("built")
    console.print(f"{built} built, {report.count('cached')} up to date, {len(report.failures)} failed or skipped "
                  f"in {report.seconds:.1f}s", highlight=False)
    atomic.write_text(build_dir / "logs" / "build.log", "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
