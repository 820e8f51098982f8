"""Benchmarks that print figures as ratios against a baseline measured in the same run (`python -m bench`).

Each benchmark is a module of this package with a `main(argv) -> int`; modules without one are helpers.
"""
