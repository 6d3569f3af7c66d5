"""Where the chunks of a run are computed: one module per executor over the small
interface of :mod:`.base`. Adding an executor is adding a module here and its
name to :func:`make_backend`."""

from __future__ import annotations

from collections.abc import Sequence

from newsclean.runtime.backends.base import Backend
from newsclean.runtime.options import ExecOptions
from newsclean.stages.base import AnyStage


def make_backend(options: ExecOptions, warm: Sequence[AnyStage] = ()) -> Backend:
    """The backend ``options`` ask for (``warm``: the stages it will run, loaded
    before a pool forks). Backends import what they need only when chosen."""
    if options.executor == "dask":
        from newsclean.runtime.backends.dask import DaskBackend

        return DaskBackend(max(1, options.jobs), options.scheduler)
    if options.jobs <= 1:
        from newsclean.runtime.backends.inline import InlineBackend

        return InlineBackend()
    from newsclean.runtime.backends.pool import PoolBackend

    return PoolBackend(options.jobs, options.timeout, warm)
