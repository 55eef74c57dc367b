"""Benchmarks of tinygrad_lr against the hand-written numpy floor and, when installed, its peers.

Run from the repository root:

    python -m benchmarks            # the full run: prints the tables (a few minutes)
    python -m benchmarks --write    # ... and puts them into docs/performance.md
    python -m benchmarks --quick    # a smoke run of a few seconds (small sizes, few repeats)

Modules: `common` (timing, machine facts, tables), `seed_step` (the seed's batch-4 training step),
`full_batch` (one step on large data, with peak memory), `graph_size` (cost per graph node),
`__main__` (the command line and docs/performance.md).
"""
