"""Find UI strings in code and templates, and which lack a Dutch translation.

``python -m werkplek.messages`` prints the missing ones as .po entries to paste
into the right ``werkplek/locale/nl/<domain>.po``.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from werkplek.i18n import translations

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def ui_messages() -> dict[str, str]:
    """Every translatable message id, with the first place it occurs."""
    found: dict[str, str] = {}
    sources = [
        (ROOT / "werkplek", [("**.py", "python")], {}),
        (
            ROOT / "templates",
            [("**.html", "jinja2")],
            {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
        ),
    ]
    for folder, method_map, options in sources:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=method_map, options_map=options, keywords=KEYWORDS
        ):
            ids = message if isinstance(message, tuple) else (message,)
            for msgid in ids:
                if msgid:
                    found.setdefault(msgid, f"{folder.name}/{filename}:{lineno}")
    return found


def untranslated(language: str = "nl") -> dict[str, str]:
    catalog = translations(language)
    return {
        msgid: where for msgid, where in ui_messages().items() if catalog.gettext(msgid) == msgid
    }


def main() -> None:
    for msgid, where in sorted(untranslated().items(), key=lambda item: item[1]):
        escaped = msgid.replace("\\", "\\\\").replace('"', '\\"')
        print(f'#: {where}\nmsgid "{escaped}"\nmsgstr ""\n')


if __name__ == "__main__":
    main()
