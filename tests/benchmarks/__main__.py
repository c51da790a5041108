"""`python -m tests.benchmarks [--quick] [--only NAME ...] [--out DIR]`."""

from tests.benchmarks.runner import main

raise SystemExit(main())
