"""Benchmarks for ``make bench``: timings and memory on large data sets. Not tests: nothing here asserts."""
