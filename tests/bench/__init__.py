"""Benchmarks, the chaos soak and the demo builder. Scripts, not tests: pytest does not collect
this folder (``norecursedirs``). Run them with ``make bench`` / ``make soak``."""
