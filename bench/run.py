"""Run benchmarks and print one JSON object per benchmark (one per line) to stdout.

    .venv/bin/python bench/run.py [NAME ...] [--requests N] [--database sqlite|current]

``--database sqlite`` (the default) builds a throwaway SQLite database in a
temporary directory, so the developer's demo database is never touched;
``--database current`` uses whatever DATABASE_URL (or the default) points at.
`safepath bench` runs this script in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path, where its modules would
# shadow top-level ones; put the repository root there instead so `bench` imports.
if sys.path and Path(sys.path[0] or ".").resolve() == REPO_ROOT / "bench":
    sys.path[0] = str(REPO_ROOT)
elif str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import bench  # noqa: E402

DEFAULT_REQUESTS = 200


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    available = bench.names()
    parser = argparse.ArgumentParser(prog="bench/run.py", description="Run safepath's benchmarks (figures, not tests).")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"Benchmarks to run (default all): {', '.join(available)}.")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="Timed requests per benchmark (per role for home).")
    parser.add_argument(
        "--database",
        choices=("sqlite", "current"),
        default="sqlite",
        help="sqlite: a throwaway SQLite file in a temporary directory (default); current: DATABASE_URL as configured.",
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(available)}")
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    args.names = args.names or available
    return args


def configure_environment(database: str, var_dir: str | None) -> None:
    """Set the environment that Django settings read; must run before settings load."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepath.settings")
    # Staff must use MFA: the benchmark exercises the MFA middleware, not the demo's exemption.
    os.environ["SAFEPATH_DEMO_SKIP_MFA"] = "false"
    os.environ["SAFEPATH_DEBUG"] = "false"
    if database == "sqlite":
        assert var_dir is not None
        os.environ["SAFEPATH_ENV"] = "demo"
        os.environ["SAFEPATH_VAR_DIR"] = var_dir
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    else:
        os.environ.setdefault("SAFEPATH_ENV", "demo")


def run_benchmarks(names: list[str], requests: int) -> int:
    import django

    # WhiteNoise warns that STATIC_ROOT is missing (collectstatic has not run); outside
    # production it serves assets from the finders, so the warning is noise here.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench import _harness

    if settings.PRODUCTION:
        print("bench: refusing to run with SAFEPATH_ENV=production (it loads demo accounts).", file=sys.stderr)
        return 2
    print(f"bench: database {connection.vendor} {connection.settings_dict['NAME']}", file=sys.stderr)
    _harness.prepare_database()
    try:
        for name in names:
            load_before = os.getloadavg()[0]
            results = bench.load(name)(requests)
            # Timings on a shared machine mean little without how busy it was.
            results["machine"] = {
                "cpus": os.cpu_count(),
                "load_average_1m_before": round(load_before, 2),
                "load_average_1m_after": round(os.getloadavg()[0], 2),
            }
            record = {"benchmark": name, "database": _harness.database_vendor(), "requests": requests, "results": results}
            print(json.dumps(record), flush=True)
    finally:
        _harness.cleanup()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.database == "current":
        configure_environment("current", None)
        return run_benchmarks(args.names, args.requests)
    with tempfile.TemporaryDirectory(prefix="safepath-bench-") as var_dir:
        configure_environment("sqlite", var_dir)
        status = run_benchmarks(args.names, args.requests)
        from django.db import connections

        connections.close_all()
        return status


if __name__ == "__main__":
    sys.exit(main())
