"""`make bench` (`python -m bench`): server time of Reti's pages and API at national scale.

Each database (SQLite in var/bench/, PostgreSQL in `reti_bench`) gets the national demo data
once (`bench.prepare`, timed), then `bench.measure` times every endpoint of `bench.endpoints`
in-process through Django's full middleware stack, beside a bare view that returns a fixed
response through the same stack. The figures go into docs/benchmarks.md (`bench.report`).
"""
