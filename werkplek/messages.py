"""Find UI strings in code and templates, and which lack a Dutch translation.

``python -m werkplek.messages`` prints the missing ones as .po entries to paste
into the right ``werkplek/locale/nl/<domain>.po``, and any message two domain files
translate differently.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from werkplek.i18n import LOCALE_DIR, translations

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


def ui_messages() -> dict[str, str]:
    """Every translatable message id, with the first place it occurs."""
    return _extract()[0]


def _extract() -> tuple[dict[str, str], dict[str, str]]:
    """Message ids with their first place, and each plural id with its singular."""
    found: dict[str, str] = {}
    singular_of: dict[str, str] = {}
    sources = [
        (ROOT / "werkplek", [("**.py", "python")], {}),
        (
            ROOT / "templates",
            [("**.html", "jinja2"), ("**.txt", "jinja2")],  # .txt: e-mail templates
            {
                "**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
                "**.txt": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
            },
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
                    singular_of.setdefault(msgid, ids[0])
    return found, singular_of


#: ``_("...")`` written inside an f-string's braces: Babel reads an f-string as one string
#: and never sees the call, so its message would go untranslated unnoticed.
_CALL_IN_FSTRING = re.compile(r"""\bf(["'])(?:(?!\1).)*\{[^}]*\b(?:_|gettext|ngettext)\(\s*["']""")


def calls_in_fstrings() -> list[str]:
    """Places (file:line) where a translation call hides inside an f-string."""
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "werkplek").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _CALL_IN_FSTRING.search(line)
    ]


def untranslated(language: str = "nl") -> dict[str, str]:
    """Message ids without an entry in the catalogue.

    Looks the ids up rather than comparing the translation with the id, so a word
    that is the same in both languages ("Team", "Status") counts as translated;
    a plural id counts as translated when its singular's entry is there.
    """
    catalog = getattr(translations(language), "_catalog", {})
    known = {key[0] if isinstance(key, tuple) else key for key, text in catalog.items() if text}
    found, singular_of = _extract()
    return {msgid: where for msgid, where in found.items() if singular_of[msgid] not in known}


def translated_differently(language: str = "nl") -> dict[str, list[str]]:
    """Message ids that two domain files translate differently, with each file's text.

    The catalogues are merged in file order, so one of the texts would silently be
    dead (and the other shown on every page, the domain's own included).
    """
    texts: dict[str, dict[str, str]] = {}
    for po_path in sorted((LOCALE_DIR / language).glob("*.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    text = str(message.string)
                    texts.setdefault(msgid, {})[po_path.name] = text
    return {
        msgid: [f"{name}: {text}" for name, text in by_file.items()]
        for msgid, by_file in texts.items()
        if len(set(by_file.values())) > 1
    }


def main() -> None:
    for msgid, where in sorted(untranslated().items(), key=lambda item: item[1]):
        escaped = msgid.replace("\\", "\\\\").replace('"', '\\"')
        print(f'#: {where}\nmsgid "{escaped}"\nmsgstr ""\n')
    for msgid, texts in translated_differently().items():
        print(f"# translated differently: {msgid!r}: " + " | ".join(texts))


if __name__ == "__main__":
    main()
