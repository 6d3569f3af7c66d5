"""Running a chain of stages over inputs to JSONL: reading inputs into records
(ingest, reader), the engine that cuts the chain into phases and the records into
chunks, the backends that compute them (inline, process pool, Dask), the worker
loop, the stores between phases, ``--state``, output, report, progress, time limits."""
