"""Lab notebooks: valid, executed in a real kernel, and student versions that hold no solution and
fail until the exercise is done; a broken cell names the lab and cell and keeps the partial notebook."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from pipeline import notebooks
from pipeline.curriculum import load_course
from tests.conftest import REPO, run_course

LABS = [(lab_id, loaded.session.number, lab.source, tuple(lab.models))
        for loaded in load_course(REPO).sessions for lab_id, lab in loaded.session.labs.items()]
LAB_IDS = [lab[0] for lab in LABS]


def lab_outputs(course: Path, lab_id: str, session: int) -> tuple[Path, Path]:
    folder = course / "build" / f"session-{session:02d}" / "labs"
    return folder / f"{lab_id}.ipynb", folder / f"{lab_id}.student.ipynb"


def solution_lines(source: Path) -> set[str]:
    """Lines inside solution regions that the student is not given anyway (in prose or other code)."""
    cells = notebooks.read_lab(source).cells
    regions = [region for cell in cells if cell.cell_type == "code"
               for region in notebooks.solution_regions(cell.source)]
    given = "\n".join(notebooks.SOLUTION_REGION.sub("", cell.source) for cell in cells)
    inside = {line.strip() for region in regions for line in region.splitlines()}
    inside -= {notebooks.BEGIN_SOLUTION, notebooks.END_SOLUTION, ""}
    return {line for line in inside if line not in given and not line.startswith("#")}


def test_every_session_has_at_least_two_labs() -> None:
    sessions = {loaded.session.number: len(loaded.session.labs) for loaded in load_course(REPO).sessions}
    assert all(count >= 2 for count in sessions.values()), sessions


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_instructor_notebook_ran_in_a_real_kernel(built_course: Path, lab_id: str) -> None:
    _, session, source, _ = LABS[LAB_IDS.index(lab_id)]
    instructor_path, _ = lab_outputs(built_course, lab_id, session)
    instructor = nbformat.read(instructor_path, as_version=4)
    nbformat.validate(instructor)
    code = [cell for cell in instructor.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)  # every cell ran, in order
    assert [c.execution_count for c in code] == sorted(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    injected = [c for c in code if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and 'budget = "smoke"' in injected[0].source  # the build's parameters reached the kernel
    assert instructor.metadata["papermill"]["parameters"]["budget"] == "smoke"
    # The lab says in words that it reuses the build's reference models rather than retraining them.
    markdown = "\n".join(c.source for c in instructor.cells if c.cell_type == "markdown")
    if LABS[LAB_IDS.index(lab_id)][3]:
        assert re.search(r"참조|체크포인트", markdown), "a lab that loads a model says so in a markdown cell"


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_student_notebook_holds_no_line_of_any_solution(built_course: Path, lab_id: str) -> None:
    _, session, source, _ = LABS[LAB_IDS.index(lab_id)]
    _, student_path = lab_outputs(built_course, lab_id, session)
    student = nbformat.read(student_path, as_version=4)
    nbformat.validate(student)
    secret = solution_lines(REPO / "curriculum" / source)
    assert secret, "a lab needs at least one exercise"
    published = student_path.read_text(encoding="utf-8")  # code, outputs and metadata, as JSON
    leaked = {line for line in secret if json.dumps(line, ensure_ascii=False)[1:-1] in published
              or json.dumps(line)[1:-1] in published}
    assert not leaked, leaked
    assert all(not cell.get("outputs") for cell in student.cells if cell.cell_type == "code")
    assert notebooks.BEGIN_SOLUTION not in published and "NotImplementedError" in published


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_student_fails_until_the_solutions_are_put_back(built_course: Path, lab_id: str, tmp_path: Path) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _, session, source, models = LABS[LAB_IDS.index(lab_id)]
    instructor_path, student_path = lab_outputs(built_course, lab_id, session)
    # Put back: each stub replaced by its solution region, in order, gives exactly the notebook that ran.
    regions = iter(notebooks.solution_regions((REPO / "curriculum" / source).read_text(encoding="utf-8")))
    student = nbformat.read(student_path, as_version=4)
    instructor = nbformat.read(instructor_path, as_version=4)
    stub = re.compile(r"^([ \t]*)" + re.escape(notebooks.STUB.splitlines()[0]) + r"\n\1.*\n", re.MULTILINE)
    restored = [stub.sub(lambda m: _indent(next(regions), m.group(1)), cell.source) for cell in student.cells]
    ran = [cell.source for cell in instructor.cells if "injected-parameters" not in cell.metadata.get("tags", [])]
    assert [_normal(s) for s in restored] == [_normal(s) for s in ran]
    # Unsolved: the student's notebook stops at the first exercise, with the stub's exception.
    for model_id in models:
        shutil.copytree(built_course / "build" / "models" / model_id, tmp_path / "models" / model_id)
    with pytest.raises(PapermillExecutionError) as raised:
        papermill.execute_notebook(str(student_path), str(tmp_path / "out.ipynb"), kernel_name=notebooks.KERNEL_NAME,
                                   parameters={"budget": "smoke", "profile": "smoke", "device": "cpu"},
                                   cwd=str(tmp_path), progress_bar=False, execution_timeout=300)
    assert raised.value.ename == "NotImplementedError"


def _indent(region: str, indent: str) -> str:
    return "".join(line if line.startswith(indent) else indent + line.lstrip() for line in region.splitlines(True))


def _normal(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def test_a_broken_cell_names_lab_and_cell_and_keeps_the_partial_notebook(built_copy: Path) -> None:
    lab = built_copy / "curriculum" / "labs" / "01_perceptron.py"
    text = lab.read_text(encoding="utf-8")
    marker = "# %% [markdown]\n# ## 1. 학습 규칙 구현하기"
    assert marker in text
    lab.write_text(text.replace(marker, "# %%\nprint('before the break')\n1 / 0\n\n" + marker), encoding="utf-8")
    instructor, _ = lab_outputs(built_copy, "perceptron_lab", 1)
    last_good = instructor.read_bytes()
    result = run_course(built_copy, "build", "--profile", "smoke", "--session", "1", "-j", "2")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    match = re.search(r"failed lab:perceptron_lab: lab perceptron_lab: cell (\d+) raised "
                      r"ZeroDivisionError: division by zero \(partial notebook kept at (\S+?)\)", result.stderr)
    assert match, result.stderr
    cells = notebooks.read_lab(lab).cells
    assert "1 / 0" in cells[int(match.group(1)) - 1].source  # the number counts the lab's own cells
    partial = nbformat.read(Path(match.group(2)), as_version=4)
    printed = [o.get("text", "") for c in partial.cells if c.cell_type == "code" for o in c.outputs]
    assert any("before the break" in text for text in printed)  # it ran up to the broken cell
    assert instructor.read_bytes() == last_good  # the last good notebook stays
    log = (built_copy / "build/logs/build.log").read_text(encoding="utf-8")
    assert "deck:session-01\t" in log and "lab:perceptron_lab\tfailed" in log


def test_parameters_are_in_the_key_and_prose_is_not(built_copy: Path) -> None:
    session = built_copy / "curriculum" / "session01.yaml"
    text = session.read_text(encoding="utf-8")
    assert "\n    title: " in text
    session.write_text(text.replace("\n    title: ", "\n    title: (수정) ", 1), encoding="utf-8")
    plan = run_course(built_copy, "plan", "--profile", "smoke", "--session", "1")
    assert plan.returncode == 0, plan.stderr
    assert re.search(r"lab:perceptron_lab\s+│ skip", plan.stdout), plan.stdout
    course = built_copy / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "    budget: smoke\n", "    budget: smoke\n    seed: 7\n", 1), encoding="utf-8")
    plan = run_course(built_copy, "plan", "--profile", "smoke", "--session", "1")
    assert re.search(r"lab:perceptron_lab\s+│ run", plan.stdout), plan.stdout


@pytest.mark.parametrize(("text", "expected"), [
    ("# %%\nx = 1\n", r"1: no parameters cell"),
    ('# %% tags=["parameters"]\nseed = 0\n# %%\n### BEGIN SOLUTION\nx = 1\n', r"4: .*never closed"),
    ('# %% tags=["parameters"]\nseed = 0\n# %%\nx = 1\n### END SOLUTION\n', r"5: .*without"),
    ('# %% tags=["parameters"]\n# %%\n### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n', r"4: .*inside"),
    ('# %% tags=["parameters"]\n# %%\n### BEGIN SOLUTION\nx = 1\n# %%\n### END SOLUTION\n', r"3: .*past the end"),
    ('# %% tags=["parameters"]\nseed = 0\n# %% tags=["parameters"]\n', r"3: a second parameters cell"),
])
def test_lab_source_problems_are_found_with_their_line(text: str, expected: str) -> None:
    problems = [f"{line}: {message}" for line, message, _ in notebooks.lab_source_problems(text)]
    assert any(re.search(expected, problem) for problem in problems), problems


def test_a_lab_with_an_unclosed_solution_is_refused_at_load_time(course_copy: Path) -> None:
    lab = course_copy / "curriculum" / "labs" / "01_perceptron.py"
    lab.write_text(lab.read_text(encoding="utf-8").replace("    ### END SOLUTION\n", "", 1), encoding="utf-8")
    result = run_course(course_copy, "validate")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"curriculum/labs/01_perceptron\.py:\d+: .*never closed|past the end", result.stderr)
    assert not (course_copy / "build").exists()
