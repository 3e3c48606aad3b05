"""The app finds its migrations, templates and static files in a checkout and in an
installed wheel, which carries them as ``werkplek/_files/`` (setup.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from werkplek import resources

ROOT = Path(__file__).resolve().parent.parent


def _package_in(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = root / "werkplek"
    package.mkdir()
    monkeypatch.setattr(resources, "PACKAGE_DIR", package)
    return package


def test_a_checkout_uses_the_folders_at_its_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package_in(tmp_path, monkeypatch)

    assert resources.resource_dir("templates") == tmp_path / "templates"


def test_an_installed_package_uses_the_copies_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package_in(tmp_path, monkeypatch)
    (package / "_files" / "migrations").mkdir(parents=True)

    assert resources.resource_dir("migrations") == package / "_files" / "migrations"


@pytest.mark.timeout(120)
def test_the_wheel_carries_the_migrations_templates_static_files_and_catalogues(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    for name in ("werkplek", "migrations", "templates", "static"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "-w", str(wheels), str(source)], check=True, capture_output=True)

    (wheel,) = wheels.glob("werkplek-*.whl")
    assert {
        "werkplek/_files/migrations/env.py",
        "werkplek/_files/templates/base.html",
        "werkplek/_files/static/vendor/htmx.min.js",
        "werkplek/locale/nl/core.po",
    } <= set(zipfile.ZipFile(wheel).namelist())
