"""fieldkit's benchmark suite: `make bench` (python -m tests.benchmarks).

Every row times fieldkit doing one piece of real work and, in the same run, the floor it is
compared with: the bare library call that work cannot be faster than (pyxform's parse, a bare
sqlite3 UPSERT + COMMIT, an openpyxl write-only dump, ...), or, where no bare equivalent
exists, the goal the issue sets. Each side runs in a fresh subprocess, so one row's imports and
allocations never inflate another's peak memory. Data is generated here, seeded.

Not collected by `make test` (pyproject's norecursedirs): these are measurements, not checks.
"""
