"""``--executor dask``: the same tasks on a Dask cluster."""

from __future__ import annotations

import os
from typing import Any

from newsclean.errors import InputError, NewscleanError
from newsclean.runtime.wire import Chunk, PhaseSpec
from newsclean.runtime.worker import run_chunk

#: seconds to reach a scheduler before the run stops (Dask's own default is 30)
CONNECT_TIMEOUT = 5.0


def _connect(client_class: Any, address: str) -> Any:
    """A client of the scheduler at ``address``; one located error if there is
    none to reach (no traceback, no half a minute of retries)."""
    try:
        return client_class(address, timeout=CONNECT_TIMEOUT)
    except ValueError as exc:
        raise NewscleanError(f"--scheduler {address}: not a scheduler address ({exc})") from None
    except (OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise NewscleanError(
            f"--scheduler {address}: cannot reach the Dask scheduler within "
            f"{CONNECT_TIMEOUT:g} s ({reason})"
        ) from None


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
            self._client: Any = _connect(client_class, address)
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
