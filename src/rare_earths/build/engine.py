"""papermill's nbclient engine, writing the executed copy when the run ends instead of at every cell.

papermill's own engine writes the whole notebook (validated against nbformat's schema) as each cell
starts and as it ends: about 40 writes, 0.3 s of a notebook that runs in 1.5 s. They let a reader
watch a long run's copy fill in; a run of the chain is read only when it has ended. The copy that
matters after a failure (which cell was running: `execution.execute`) is still written, however the
run ends: papermill's engine completes the notebook in a `finally`, and that write is kept.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

NAME = "rare-earths"


class WrittenWhenItEnds(NotebookExecutionManager):
    """papermill's record of a run, written once: when the run has ended (`notebook_complete` sets
    `end_time` just before it writes); the writes as cells start and end are skipped."""

    def save(self, **kwargs):
        if self.end_time is not None:
            super().save(**kwargs)


class Engine(NBClientEngine):
    """papermill's nbclient engine with the manager above; the rest is papermill's
    `Engine.execute_notebook`, whose manager class cannot be chosen."""

    @classmethod
    def execute_notebook(
        cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False, autosave_cell_every=30, **kwargs
    ):
        manager = WrittenWhenItEnds(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        manager.notebook_start()
        try:
            cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        return manager.nb


papermill_engines.register(NAME, Engine)
