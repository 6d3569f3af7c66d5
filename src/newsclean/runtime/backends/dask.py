"""``--executor dask``: the same tasks on a Dask cluster."""

from __future__ import annotations

import os
from typing import Any

from newsclean.errors import InputError
from newsclean.runtime.wire import Chunk, PhaseSpec
from newsclean.runtime.worker import run_chunk


class DaskBackend:
    """The same tasks on a Dask cluster: the one at ``scheduler`` or a local one.

    Each phase's spec (stages and batch model) is scattered to every worker once;
    chunks are submitted as tasks and gathered in input order.
    """

    def __init__(self, jobs: int, scheduler: str | None):
        try:
            import distributed
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise InputError(
                "--executor dask", "needs Dask: pip install 'newsclean[dask]'"
            ) from exc
        client_class: Any = distributed.Client
        cluster_class: Any = distributed.LocalCluster
        address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
        self._cluster: Any = None
        if address:
            self._client: Any = client_class(address)
        else:
            self._cluster = cluster_class(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=50,
            )
            self._client = client_class(self._cluster)
        threads = sum(self._client.nthreads().values()) or 1
        self.window = 4 * threads

    def bind(self, spec: PhaseSpec) -> Any:
        return self._client.scatter(spec, broadcast=True, hash=False)

    def submit(self, handle: Any, chunk: Chunk) -> Any:
        return self._client.submit(run_chunk, handle, chunk, pure=False)

    def close(self, abort: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
