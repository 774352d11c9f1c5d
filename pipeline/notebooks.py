"""Stage `lab`: turns a lab source into an executed instructor notebook and a student notebook.

Lab sources are jupytext percent-format `.py` files under `curriculum/labs/`: diff-friendly, with
a cell tagged `parameters` and solutions marked between `### BEGIN SOLUTION` and
`### END SOLUTION`. The instructor version is executed by papermill in a real Jupyter kernel, in a
scratch directory where the build's trained models sit under `models/`. The student version has
every solution region replaced by a stub and no outputs, so it never carries a solution.
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import NotebookCellError

KERNEL_NAME = "course-python"
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
# What a student sees where a solution was.
STUB = "# TODO: 여기를 완성하세요.\nraise NotImplementedError(\"연습 문제: 이 부분을 직접 구현하세요\")"
SOLUTION_REGION = re.compile(
    rf"^(?P<indent>[ \t]*){re.escape(BEGIN_SOLUTION)}[^\n]*\n.*?^[ \t]*{re.escape(END_SOLUTION)}[^\n]*(\n|$)",
    re.DOTALL | re.MULTILINE,
)
# The kernelspec a published notebook names: any Jupyter with Python 3 opens it without asking.
PUBLISHED_KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


PARAMETERS_CELL = re.compile(r"^# %%.*\btags=\[[^\]]*[\"']parameters[\"']")


def lab_source_problems(text: str) -> list[tuple[int, str, str]]:
    """(line, what is wrong, what to do) for each structural problem of a lab source: solution markers
    that do not pair up, and a missing or repeated parameters cell. Read as text, so it runs at load time."""
    problems: list[tuple[int, str, str]] = []
    open_line: int | None = None
    parameter_cells: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(BEGIN_SOLUTION):
            if open_line is not None:
                problems.append((number, f"'{BEGIN_SOLUTION}' inside the region opened on line {open_line}",
                                 f"close that region with '{END_SOLUTION}' first"))
            open_line = number
        elif stripped.startswith(END_SOLUTION):
            if open_line is None:
                problems.append((number, f"'{END_SOLUTION}' without a '{BEGIN_SOLUTION}' before it",
                                 "add the opening marker or delete this line"))
            open_line = None
        elif line.startswith("# %%"):
            if open_line is not None:
                problems.append((open_line, "solution region runs past the end of its cell",
                                 f"add '{END_SOLUTION}' before the next '# %%'"))
                open_line = None
            if PARAMETERS_CELL.match(line):
                parameter_cells.append(number)
    if open_line is not None:
        problems.append((open_line, f"'{BEGIN_SOLUTION}' is never closed", f"add '{END_SOLUTION}'"))
    if not parameter_cells:
        problems.append((1, "no parameters cell",
                         "start one code cell with '# %% tags=[\"parameters\"]' and set profile, budget, seed there"))
    for number in parameter_cells[1:]:
        problems.append((number, f"a second parameters cell (the first is on line {parameter_cells[0]})",
                         "keep one parameters cell"))
    return problems


def read_lab(path: Path) -> Any:
    """The lab source as an nbformat v4 notebook."""
    import jupytext

    return jupytext.read(path, fmt="py:percent")


def solution_regions(source: str) -> list[str]:
    """The text of each solution region in a cell's source (markers included)."""
    return [match.group(0) for match in SOLUTION_REGION.finditer(source)]


def strip_solutions(source: str) -> str:
    def replace(match: re.Match[str]) -> str:
        indent = match.group("indent")
        return "".join(f"{indent}{line}\n" for line in STUB.splitlines())

    return SOLUTION_REGION.sub(replace, source)


def student_notebook(notebook: Any) -> Any:
    """A copy with solutions replaced by stubs, outputs and execution counts cleared."""
    import nbformat

    student = copy.deepcopy(notebook)
    for cell in student.cells:
        if BEGIN_SOLUTION in cell.source and cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    student.metadata = nbformat.from_dict({"kernelspec": PUBLISHED_KERNELSPEC,
                                           "language_info": {"name": "python"}})
    return student


def ensure_kernel() -> None:
    """Install this environment's Python as the named kernel the build executes labs with."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (course build)", prefix=sys.prefix)


def _source_cell_number(executed: Any, failing_index: int) -> int:
    """1-based cell number in the lab source: papermill's injected parameters cell does not count."""
    injected = [i for i, cell in enumerate(executed.cells)
                if "injected-parameters" in cell.metadata.get("tags", [])]
    shift = 1 if injected and failing_index > injected[0] else 0
    return failing_index - shift + 1


def build_lab(bundle: Any, context: Any, target: Any, report: Any) -> str:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    lab_id = target.subject
    lab = bundle.lab(lab_id)
    source = bundle.root / "curriculum" / lab.source
    notebook = read_lab(source)
    scratch = context.build_dir / ".tmp" / f"lab-{lab_id}"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "models").mkdir(parents=True)
    for model_id in lab.models:
        shutil.copytree(context.build_dir / "models" / model_id, scratch / "models" / model_id)
    unexecuted = scratch / f"{lab_id}.ipynb"
    executed_path = scratch / f"{lab_id}.executed.ipynb"
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python (course build)",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, unexecuted)
    ensure_kernel()
    parameters = {"profile": context.profile_name, "budget": context.profile.budget,
                  "device": target.spec["device"], "seed": context.profile.seed, "models_dir": "models"}
    report(0, 1)
    try:
        papermill.execute_notebook(
            str(unexecuted), str(executed_path), parameters=parameters, kernel_name=KERNEL_NAME,
            cwd=str(scratch), execution_timeout=context.profile.notebook_timeout, progress_bar=False,
            log_output=True, request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as error:
        partial = context.build_dir / "logs" / f"{lab_id}.partial.ipynb"
        if executed_path.is_file():
            atomic.copy_file(executed_path, partial)
            executed = nbformat.read(executed_path, as_version=4)
            cell = _source_cell_number(executed, error.cell_index)
        else:
            partial, cell = None, error.cell_index + 1
        raise NotebookCellError(lab_id, cell, f"{error.ename}: {error.evalue}".strip(), partial) from None
    executed = nbformat.read(executed_path, as_version=4)
    executed.metadata["kernelspec"] = PUBLISHED_KERNELSPEC
    executed.metadata.get("papermill", {}).pop("input_path", None)
    executed.metadata.get("papermill", {}).pop("output_path", None)
    nbformat.validate(executed)
    student = student_notebook(notebook)
    nbformat.validate(student)
    instructor_out, student_out = (context.output(o) for o in target.outputs)
    atomic.write_text(instructor_out, nbformat.writes(executed))
    atomic.write_text(student_out, nbformat.writes(student))
    shutil.rmtree(scratch, ignore_errors=True)
    report(1, 1)
    return target.spec["device"]
