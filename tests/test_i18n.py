import re
from pathlib import Path

import pytest
from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateError
from litestar.plugins.jinja import JinjaTemplateEngine

from werkplek.app import configure_jinja
from werkplek.i18n import (
    format_percent,
    negotiate_language,
    ngettext,
    translations,
    using_language,
)
from werkplek.messages import (
    calls_in_fstrings,
    translated_differently,
    ui_messages,
    untranslated,
)


def test_every_ui_string_has_a_dutch_translation() -> None:
    missing = untranslated("nl")
    assert missing == {}, "run `python -m werkplek.messages` to list them as .po entries"


def test_no_message_is_translated_differently_in_two_domains() -> None:
    assert translated_differently("nl") == {}


def test_no_translated_string_hides_inside_an_f_string() -> None:
    assert calls_in_fstrings() == []


def test_extraction_finds_strings_in_code_and_templates() -> None:
    places = set(ui_messages().values())
    assert any(place.startswith("werkplek/") for place in places)
    assert any(place.startswith("templates/") for place in places)


def test_language_defaults_to_dutch() -> None:
    assert negotiate_language(None, None, None) == "nl"


def test_browser_language_is_used_when_nothing_was_chosen() -> None:
    assert negotiate_language(None, None, "en-GB,en;q=0.9,nl;q=0.5") == "en"


def test_the_installations_default_language_applies_when_nothing_else_says() -> None:
    assert negotiate_language(None, None, "de-DE", default="en") == "en"


def test_a_persons_choice_beats_the_cookie_and_the_browser() -> None:
    assert negotiate_language("nl", "en", "en") == "nl"


def test_dutch_addresses_the_user_as_u_never_as_je() -> None:
    informal = re.compile(r"\b(je|jij|jou|jouw)\b", re.IGNORECASE)
    catalog = getattr(translations("nl"), "_catalog", {})
    found = sorted(text for text in catalog.values() if informal.search(text))
    assert found == []


#: Spellings the Dutch texts avoid (Taalunie, and plain words over abbreviations and
#: English where Dutch has a word), with what to write instead.
AVOIDED_IN_DUTCH = {
    r"\bemail": "e-mail",
    r"\bmax\.": "maximaal",
    r"\bmin\.": "minimaal, or minuten",
    r"\bmails?\b": "e-mail",
    r"\bdeadline": "uiterste datum",
    r"\bupdate": "bijwerken",
    r"\bcancel": "annuleren",
}


@pytest.mark.parametrize("pattern", sorted(AVOIDED_IN_DUTCH))
def test_dutch_texts_avoid_a_spelling_that_has_a_dutch_form(pattern: str) -> None:
    catalog = getattr(translations("nl"), "_catalog", {})
    avoided = re.compile(pattern, re.IGNORECASE)
    # Placeholders, names quoted as they are spelled elsewhere („email”, a claim) and
    # the right spelling itself do not count.
    allowed = re.compile(r"%\(\w+\)s|„[^”]*”|e-mail", re.IGNORECASE)
    found = sorted(
        text
        for message, text in catalog.items()
        if message and avoided.search(allowed.sub("", text))
    )
    assert found == [], f"write {AVOIDED_IN_DUTCH[pattern]!r} instead"


#: The filters that translate (``werkplek.app.configure_jinja``).
TRANSLATING_FILTERS = {"label", "day_and_date"}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _is_constant(node: nodes.Expr, context: nodes.EvalContext) -> bool:
    try:
        node.as_const(context)
    except (nodes.Impossible, TemplateError):
        return False
    return True


def _translates(node: nodes.Filter) -> bool:
    first = node.args[0] if node.args else None
    return node.name in TRANSLATING_FILTERS or (
        node.name == "map" and isinstance(first, nodes.Const) and first.value in TRANSLATING_FILTERS
    )


def test_no_template_translates_a_constant_through_a_filter() -> None:
    """Jinja applies a filter to a constant once, when it compiles the template, so the
    words would stay in the language of whoever opened the page first: use ``_()``."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    context = nodes.EvalContext(env)
    found = [
        f"{path.relative_to(TEMPLATES)}:{node.lineno}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for node in env.parse(path.read_text()).find_all(nodes.Filter)
        if _translates(node) and node.node is not None and _is_constant(node.node, context)
    ]
    assert found == []


def test_a_percentage_is_written_dutch_style_in_dutch_with_a_non_breaking_space() -> None:
    with using_language("nl"):
        assert format_percent(59.94) == "59,9\u00a0%"


def test_a_percentage_is_written_english_style_in_english() -> None:
    with using_language("en"):
        assert format_percent(59.94) == "59.9%"


def test_a_whole_percentage_such_as_a_capacity_cap_has_no_decimals() -> None:
    with using_language("nl"):
        assert format_percent(60) == "60\u00a0%"


def test_a_count_in_a_text_is_written_with_thousands_separators() -> None:
    with using_language("en"):
        assert ngettext("%(count)s space", "%(count)s spaces", 1020) == "1,020 spaces"


def test_a_count_on_a_page_is_written_dutch_style_with_a_point_for_thousands() -> None:
    engine = JinjaTemplateEngine(directory=TEMPLATES)
    configure_jinja(engine)
    page = engine.engine.from_string(
        '{{ ngettext("%(num)s booking.", "%(num)s bookings.", total) }}'
    )

    with using_language("nl"):
        assert page.render(total=1020) == "1.020 reserveringen."
