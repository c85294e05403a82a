"""Production settings refuse to start without their secrets (checked in a fresh interpreter)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_with(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing,present",
    [
        ("DJANGO_SECRET_KEY", {"DJANGO_ALLOWED_HOSTS": "fazhi.example"}),
        ("DJANGO_ALLOWED_HOSTS", {"DJANGO_SECRET_KEY": "x" * 60}),
    ],
)
def test_production_refuses_to_start_without(missing, present):
    result = run_with(present)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_starts_with_both():
    result = run_with(
        {"DJANGO_SECRET_KEY": "k-" + "y" * 60, "DJANGO_ALLOWED_HOSTS": "fazhi.example"}
    )
    assert result.returncode == 0, result.stderr
