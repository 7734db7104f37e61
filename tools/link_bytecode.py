"""Link the bytecode the install compiled into the tree the Makefile's targets read bytecode from.

    python tools/link_bytecode.py PREFIX

The targets run Python with PYTHONPYCACHEPREFIX=PREFIX (the Makefile says why), and with a prefix
set Python reads and writes .pyc files only under it, never in a package's own __pycache__: without
this, every module a process imports (pandas, matplotlib, nbconvert, distributed, the standard
library's) was compiled again in a fresh venv, by several processes at once, about 30 CPU-seconds
of the first `make test`. Each `NAME.TAG.pyc` the install (uv's --compile-bytecode) or Python's own
install wrote beside a module's source is hard-linked (copied where it cannot be linked) to where
Python looks for it under the prefix. A .pyc stays valid only while its source is unchanged: Python
checks that as it imports, and compiles again when it is not, writing a new file rather than into
the linked one.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path


def link(prefix: Path) -> int:
    """Link every compiled module of this environment (its site-packages and Python's standard
    library, but their test suites, which no test process imports) under `prefix`; how many.
    Nothing is written through a link: a link planted in the prefix's tree stops it with an error."""
    tag = sys.implementation.cache_tag
    sys.pycache_prefix = os.path.realpath(prefix)  # where cache_from_source then places a module's .pyc
    linked, made = 0, set()
    for packages in sorted({sysconfig.get_path(name) for name in ("purelib", "platlib", "stdlib", "platstdlib")}):
        for folder, subfolders, files in os.walk(packages):
            subfolders[:] = [name for name in subfolders if name not in ("test", "tests")]
            if os.path.basename(folder) != "__pycache__":
                continue
            for name in files:
                source = os.path.join(os.path.dirname(folder), name.removesuffix(f".{tag}.pyc") + ".py")
                if not name.endswith(f".{tag}.pyc") or not os.path.isfile(source):
                    continue  # another interpreter's or an optimised variant, or left without its source
                target = importlib.util.cache_from_source(source)
                if os.path.lexists(target):
                    continue
                if os.path.dirname(target) not in made:  # each folder checked and made once
                    _refuse_links_towards(os.path.dirname(target))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    made.add(os.path.dirname(target))
                _link_or_copy(os.path.join(folder, name), target)
                linked += 1
    return linked


def _refuse_links_towards(folder: str) -> None:
    """SystemExit naming the place if the way to `folder` (from the part of it that exists) goes
    through a link: the prefix's tree is made of folders only."""
    existing = folder
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    if os.path.realpath(existing) != existing:
        sys.exit(f"error: {existing} is or goes through a link; nothing is written through it (remove it)")


def _link_or_copy(compiled: str, target: str) -> None:
    """A hard link to the install's file; a copy, put in place by one rename, where the file system
    cannot link it (another device, or hard links not allowed)."""
    try:
        os.link(compiled, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
        os.close(handle)
        shutil.copy2(compiled, temporary)
        os.replace(temporary, target)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/link_bytecode.py PREFIX")
    print(f"linked {link(Path(sys.argv[1]))} compiled modules under {sys.argv[1]}")
