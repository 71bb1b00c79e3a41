"""Run every benchmark: `python -m bench` (or `make bench`). BENCH_ONLY=routes|lists|indicators|visit_reports
runs one of them; BENCH_SCALE (clients, default 70,000) and BENCH_SEED set the synthetic world of the list, indicator
and visit report benchmarks."""

import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socmon.settings")
    os.environ.setdefault("SOCMON_DEBUG", "1")
    django.setup()
    only = os.environ.get("BENCH_ONLY", "")
    failed = 0
    if only in ("", "routes"):
        from bench import routes

        failed |= routes.main()
    if only in ("", "lists"):
        from bench import lists

        failed |= lists.main()
    if only in ("", "indicators"):
        from bench import indicators

        failed |= indicators.main()
    if only in ("", "visit_reports"):
        from bench import visit_reports

        failed |= visit_reports.main()
    return failed


if __name__ == "__main__":
    sys.exit(main())
