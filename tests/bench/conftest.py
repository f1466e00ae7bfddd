"""Benchmarks run with `make bench`; they reuse the suite's fixtures."""
