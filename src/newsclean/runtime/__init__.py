"""Running stages over inputs: reading files into records, the engine and its
backends (inline, process pool, Dask), state for incremental runs, output, reports,
progress and time limits."""
