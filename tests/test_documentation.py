"""The README's configuration table names every setting the app reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_the_app_reads_is_in_the_readme() -> None:
    read = set(re.findall(r"WERKPLEK_[A-Z_]+", (ROOT / "werkplek" / "config.py").read_text()))
    readme = (ROOT / "README.md").read_text()

    assert sorted(name for name in read if name not in readme) == []
