"""The project's Jupyter kernel, missing where a notebook is to run (a conda environment, a venv made
by hand, a spec deleted): registered again into the environment, said in one line, or refused in one
line naming the fix; never jupyter_client's NoSuchKernel traceback. Each test looks for kernels only
in a temporary environment of its own, so the real venv's spec is neither seen nor touched."""

from __future__ import annotations

import json
import site
import sys
from pathlib import Path

import jupyter_core.paths
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from rare_earths.build import execution


@pytest.fixture
def prefix(tmp_path, monkeypatch) -> Path:
    """An environment without the project's kernel: the only place kernels are looked for, with the
    user's, the system's and IPython's folders moved to empty temporary ones."""
    environment = tmp_path / "prefix"
    monkeypatch.setattr(jupyter_core.paths, "ENV_JUPYTER_PATH", [str(environment / "share" / "jupyter")])
    monkeypatch.setattr(jupyter_core.paths, "SYSTEM_JUPYTER_PATH", [])
    monkeypatch.setattr(site, "ENABLE_USER_SITE", False)
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    assert execution.KERNEL not in KernelSpecManager().find_kernel_specs()
    return environment


def test_a_missing_project_kernel_is_registered_into_the_environment_in_one_line(prefix):
    said = []
    execution.ensure_kernel(prefix=prefix, echo=said.append)

    assert len(said) == 1 and "\n" not in said[0] and execution.KERNEL in said[0], said
    spec = KernelSpecManager().get_kernel_spec(execution.KERNEL)
    assert Path(spec.resource_dir) == prefix / "share" / "jupyter" / "kernels" / execution.KERNEL
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve(), "the kernel must be this Python"
    assert spec.argv[-4:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert spec.display_name == execution.KERNEL_DISPLAY_NAME
    # Nothing left beside it (the spec is written aside, then renamed into place).
    assert [path.name for path in (prefix / "share" / "jupyter" / "kernels").iterdir()] == [execution.KERNEL]

    execution.ensure_kernel(prefix=prefix, echo=said.append)  # registered now: nothing to do or say
    assert len(said) == 1


def test_a_kernel_registered_meanwhile_by_another_notebook_is_kept(prefix):
    theirs = prefix / "share" / "jupyter" / "kernels" / execution.KERNEL
    theirs.mkdir(parents=True)
    (theirs / "kernel.json").write_text(json.dumps({"argv": ["python"], "display_name": "theirs"}), encoding="utf-8")

    assert execution.register_kernel(theirs.parent) is False
    assert json.loads((theirs / "kernel.json").read_text(encoding="utf-8"))["display_name"] == "theirs"
    assert [path.name for path in theirs.parent.iterdir()] == [execution.KERNEL]


def test_a_project_kernel_that_cannot_be_registered_is_refused_naming_the_fix(prefix):
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.write_text("not a folder", encoding="utf-8")  # read-only to root too: share/ cannot be made under it

    with pytest.raises(execution.KernelMissing) as raised:
        execution.ensure_kernel(prefix=prefix, echo=lambda line: pytest.fail(f"said {line!r} yet failed"))
    message = str(raised.value)
    assert "\n" not in message and "make venv" in message and execution.REGISTER_COMMAND in message


def test_another_missing_kernel_stops_the_notebook_before_any_kernel_starts(prefix, tmp_path):
    # The notebook need not exist: the kernel is looked for first, and nothing is written.
    with pytest.raises(execution.KernelMissing, match=r"no Jupyter kernel named 'no-such-kernel'.*ipykernel install"):
        execution.execute("absent.ipynb", {}, tmp_path / "out", notebooks_dir=tmp_path, kernel="no-such-kernel")
    assert not (tmp_path / "out").exists()
    assert not (prefix / "share" / "jupyter" / "kernels" / "no-such-kernel").exists()


def test_the_makefile_registers_the_kernel_as_the_chain_does():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    assert f"KERNEL := {execution.KERNEL}\n" in makefile
    assert f'--sys-prefix --name $(KERNEL) --display-name "{execution.KERNEL_DISPLAY_NAME}"' in makefile


def test_conda_users_are_told_to_register_the_kernel_as_the_makefile_does():
    root = Path(__file__).resolve().parents[2]
    usage = [
        line for line in (root / "environment.yml").read_text(encoding="utf-8").splitlines() if line.startswith("#")
    ]
    assert any(line.strip("# ") == execution.REGISTER_COMMAND for line in usage), usage
