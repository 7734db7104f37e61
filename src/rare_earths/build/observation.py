"""What a step used, observed rather than declared: the project's modules a process (or a notebook's
kernel) imported and the data files it read (`rare_earths.observed`). A step's manifest records
them, so an edit to a module a step never imported reruns nothing.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from rare_earths import atomic, observed
from rare_earths.project import relative

# What every step depends on besides its own reads: the locked environment, and the project's
# modules it imported when it last ran (observed, so an edit to the site's code reruns no notebook).
LIBRARY = "src/rare_earths"

SHARED_INPUTS = ("requirements.lock",)

# Inputs that belong to the code, not to a project: found in the checkout that holds the package.
CODE_INPUTS = (LIBRARY, *SHARED_INPUTS)

# What a step that has not run yet may depend on: the whole library and all the data.
EVERYTHING = (LIBRARY, "data")

# A project module that reads a file of its own when imported (units.txt) names it in `RESOURCES`:
# the file is then used wherever the module is, as the module's code is.
RESOURCES_ATTRIBUTE = "RESOURCES"

# Asked of a notebook's kernel after its cells, as one expression (a user expression of a silent
# execute: its value comes back in the reply, so no output channel is waited for): the project
# modules it imported (with their resources) and the data it read, as JSON.
_OBSERVED_EXPRESSION = (
    "__import__('json').dumps(sorted("
    "[getattr(_m, '__file__', None) or '' for _n, _m in list(__import__('sys').modules.items())"
    " if _n == 'rare_earths' or _n.startswith('rare_earths.')]"
    f" + [str(_r) for _n, _m in list(__import__('sys').modules.items())"
    f" if _n == 'rare_earths' or _n.startswith('rare_earths.') for _r in getattr(_m, '{RESOURCES_ATTRIBUTE}', ())]"
    " + sorted(getattr(__import__('sys').modules.get('rare_earths.observed'), 'READS', []))))"
)


def used_here(outputs: Path | None = None, since: int = 0) -> list[str]:
    """The project modules this process imported and the data files it read since `since` (an
    `observed.mark()`), as paths in the project; not what it read of its own `outputs` folder (a
    step checks what it wrote, which is no input), nor anything in a staging folder (gone once its
    step finished)."""
    reads = [
        Path(read)
        for read in observed.reads_since(since)
        if not any(part.startswith(atomic.STAGING_PREFIX) for part in Path(read).parts)
    ]
    if outputs is not None:
        reads = [read for read in reads if not read.is_relative_to(Path(outputs).resolve())]
    return sorted({*imported_modules(), *(relative(read) for read in reads)})


def imported_modules() -> list[str]:
    """The project's modules this process has imported, with their resources, as repository paths."""
    modules = [
        module for name, module in list(sys.modules.items()) if name == "rare_earths" or name.startswith("rare_earths.")
    ]
    files = [getattr(module, "__file__", None) for module in modules]
    files += [str(resource) for module in modules for resource in getattr(module, RESOURCES_ATTRIBUTE, ())]
    main = getattr(
        sys.modules.get("__main__"), "__file__", None
    )  # `python -m rare_earths` runs __main__.py as __main__
    named = {relative(Path(file)) for file in [*files, main] if file}
    return sorted(name for name in named if name.startswith(LIBRARY + "/"))


def kernel_observed(kernel_manager) -> list[str]:
    """The project modules a notebook's kernel imported and the data files it read, asked of the
    kernel once its cells have run."""
    from jupyter_client.blocking import BlockingKernelClient  # here: 0.07 s, which a run with nothing to do never pays

    client = BlockingKernelClient()
    client.load_connection_info(kernel_manager.get_connection_info())
    client.start_channels(iopub=False, stdin=False, hb=False)
    try:
        reply = client.execute(
            "",
            silent=True,
            store_history=False,
            user_expressions={"used": _OBSERVED_EXPRESSION},
            reply=True,
            timeout=60,
        )
    finally:
        client.stop_channels()
    found = reply["content"].get("user_expressions", {}).get("used", {})
    if found.get("status") != "ok":
        raise RuntimeError(f"the kernel could not say what it used: {found.get('ename')}: {found.get('evalue')}")
    text = ast.literal_eval(found["data"]["text/plain"])  # the repr of the JSON string the expression made
    return sorted(relative(Path(file)) for file in json.loads(text) if file)


def recorded_use(executed: Path) -> list[str]:
    """The project modules and data files an executed notebook used, as it records them."""
    metadata = json.loads(Path(executed).read_text(encoding="utf-8")).get("metadata", {})
    return list(metadata.get("rare_earths", {}).get("used", EVERYTHING))
