"""Where the app's files that are not Python live: ``migrations/``, ``templates/`` and
``static/`` stand at the top of a checkout; a built wheel carries copies of them inside
the package, as ``werkplek/_files/`` (``setup.py``), so that an installed Werkplek finds
them too."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``migrations``, ``templates`` or ``static``): the installed
    copy when there is one, else the checkout's."""
    installed = PACKAGE_DIR / "_files" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name
