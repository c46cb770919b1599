"""Commissioner reporting at region scale: a year's report for a region of five counties with
200,000 referrals a year (target ≤ 10 s). The population and the timing are those of
`bench/report.py` (`run_region`), with more areas and more referrals; see bench/README.md."""

from __future__ import annotations

from bench.report import run_region


def run(n: int) -> dict:
    return run_region(n)
