"""Run the benchmarks: ``.venv/bin/python -m bench.run [name ...] [--database URL]``.

Each ``bench/bench_<name>.py`` has ``run(database_url) -> dict``; results print as JSON and
are kept in ``bench/results/<name>.json``. Generate the database first (``bench.generate``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
from pathlib import Path

from bench.generate import DEFAULT_DB

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    """Names of the benchmark modules."""
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name.startswith("bench_")
    )


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description="Run the portal's benchmarks.")
    parser.add_argument("names", nargs="*", help=f"any of {available()}; default all")
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT_DB}")
    args = parser.parse_args()
    (HERE / "results").mkdir(exist_ok=True)
    for name in args.names or available():
        module = importlib.import_module(f"bench.bench_{name}")
        result = module.run(args.database)
        (HERE / "results" / f"{name}.json").write_text(json.dumps(result, indent=2))
        print(name, json.dumps(result))


if __name__ == "__main__":
    main()
