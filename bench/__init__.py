"""Benchmarks: data generator, reference app, load test (see docs/performance.md)."""
