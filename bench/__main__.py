"""Run every benchmark: `python -m bench` (or `make bench`)."""

import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socmon.settings")
    os.environ.setdefault("SOCMON_DEBUG", "1")
    django.setup()
    from bench import routes

    return routes.main()


if __name__ == "__main__":
    sys.exit(main())
