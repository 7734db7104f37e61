"""Loaded by every pytest run of the project (pyproject.toml's `-p forked_kernels`): the kernels a
test process starts, nbval's among them, forked from a warm kernel factory as the chain's are
(`rare_earths.build.kernels`), one factory a process.

nbval starts each notebook's kernel from nothing: about 1.2 CPU-seconds more a notebook than a
kernel forked with its heavy imports done. A forked kernel runs this project's notebooks exactly as
a fresh one: tests/build/test_kernels.py runs every chain notebook both ways and compares the
executed copies byte for byte, and checks what a kernel holds before its first cell and what it
reads as it imports (a module or a matplotlibrc of its folder). The one difference a notebook could
see is the factory's libraries already in sys.modules. nbval then checks the committed notebooks
against the kernels the chain runs them in. RARE_EARTHS_FRESH_KERNELS set to anything but empty
starts every kernel, nbval's and the chain's, from nothing.

pytest sets PYTEST_CURRENT_TEST anew at each phase of each test, and a factory is started again
whenever the environment its kernels would get changes: the kernels a test process starts are given
its environment without that one variable, which nothing they import reads. A test that sets any
other variable still gets a factory started in it.
"""

from __future__ import annotations

import nbval.kernel

from rare_earths.build import kernels


def without_the_test_name(environment) -> dict[str, str]:
    """An environment but the variable pytest sets anew at each phase of each test."""
    return {name: value for name, value in environment.items() if name != "PYTEST_CURRENT_TEST"}


class ForkedWhereItCan(nbval.kernel.KernelManager):
    """nbval's kernel manager, whose kernel is forked where `kernels.provision` can fork it (a Python
    kernel on Linux) and started the ordinary way elsewhere."""

    def start_kernel(self, **kwargs):
        kernels.provision(self)
        return super().start_kernel(**kwargs)


def pytest_configure(config) -> None:
    """As the plugin is registered (not as it is imported: tests/conftest.py imports a name from it)."""
    as_made = kernels.kernel_environment
    kernels.kernel_environment = lambda env=None: without_the_test_name(as_made(env))
    nbval.kernel.KernelManager = ForkedWhereItCan
