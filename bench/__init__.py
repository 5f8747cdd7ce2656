"""Benchmarks that print figures (``make bench-intake``); never timed assertions in the test suite."""
