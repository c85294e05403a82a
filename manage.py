#!/usr/bin/env python
"""Django's command-line utility for Fazhi Online.

``site/`` is a source root, not a package (the standard library owns ``site``), so it is put
first on ``sys.path`` before Django loads; the domain apps (``laws``, ``casebook``,
``questions``) sit beside this file.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main():
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(1, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
