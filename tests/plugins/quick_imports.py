"""Loaded by pytest before its other plugins (pyproject.toml's `pythonpath` and `-p quick_imports`):
nbval imports nbformat as pytest loads it, nbformat imports jsonschema, and jsonschema imports
rfc3987_syntax, which builds a grammar at import (0.8 s of every pytest process) to check a string
format no notebook schema uses. Kept out here as the chain keeps it out of its workers."""

from rare_earths.build.execution import skip_slow_imports

skip_slow_imports()
