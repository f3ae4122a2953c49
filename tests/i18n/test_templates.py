"""No template carries UI text outside `_()`: every word a user can see or hear is translatable.

The template's literal parts (what Jinja's lexer calls data) are parsed as HTML; any letter left
in text or in a user-visible attribute is untranslated UI text. Words that must not be
translated come from Python (e.g. language names via `language_name()`), not from the template.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from intranet import ROOT

TEMPLATES = ROOT / "templates"
# Attributes whose values are shown or read out to users.
VISIBLE_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "alt",
    "title",
    "placeholder",
    "label",
    "data-announce",
    "data-confirm",
    "data-hx-confirm",
    "data-hx-prompt",
}
# Buttons show their value attribute as their label.
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}


class _LiteralText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw_depth += 1
        attributes = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (attributes.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if visible and value and any(char.isalpha() for char in value):
                self.found.append(f'<{tag} {name}="{value}">')

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw_depth -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw_depth:
            self._raw_depth -= 1

    def handle_data(self, data):
        if not self._raw_depth and any(char.isalpha() for char in data):
            self.found.append(data.strip())


def literal_markup(app, source: str) -> str:
    """The template with every Jinja expression, statement and comment removed, and the text
    of `{% trans %}` blocks too (that text is the msgid). Blocks named `*_class` fill a class
    attribute in the parent template (`<body class="{% block body_class %}">`): their text is
    class names."""
    parts = []
    in_trans = False
    blocks: list[str] = []
    statement: list[str] = []  # the names in the current {% ... %} so far
    for _, kind, value in app.jinja_env.lex(source):
        if kind == "block_begin":
            statement = []
        elif kind == "name" and len(statement) < 2:
            statement.append(value)
            if statement == ["trans"]:
                in_trans = True
            elif statement == ["endtrans"]:
                in_trans = False
            elif statement == ["endblock"] and blocks:
                blocks.pop()
            elif len(statement) == 2 and statement[0] == "block":
                blocks.append(value)
        elif kind == "data" and not in_trans and not (blocks and blocks[-1].endswith("_class")):
            parts.append(value)
    return "".join(parts)


def untranslated_text(app, source: str) -> list[str]:
    parser = _LiteralText()
    parser.feed(literal_markup(app, source))
    parser.close()
    return parser.found


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_has_no_untranslated_text(app, path):
    found = untranslated_text(app, path.read_text(encoding="utf-8"))
    assert not found, f"wrap in _() in {path.relative_to(ROOT)}: {found}"


@pytest.mark.parametrize(
    "source",
    [
        "<p>Spara</p>",
        '<button aria-label="Stäng">×</button>',
        '<input type="submit" value="Spara">',
        '<input placeholder="Sök {{ what }}">',
        '{% if x %}<a title="Historik" href="{{ url }}">{{ _("Visa") }}</a>{% endif %}',
        "{% trans %}Visa{% endtrans %} Dölj",
        "{% block content %}{% block body_class %}x{% endblock %}Text{% endblock %}",
    ],
)
def test_the_check_finds_literal_text(app, source):
    assert untranslated_text(app, source)


@pytest.mark.parametrize(
    "source",
    [
        '<p>{{ _("Spara") }}</p>',
        "<button aria-label=\"{{ _('Stäng') }}\">×</button>",
        '<input type="hidden" name="next" value="plans">',
        '<a href="/x" class="link-button" data-hx-get="/y" data-hx-target="#main">{{ label }}</a>',
        "{# En kommentar #}<span>{{ a }}–{{ b }} · {% trans n=3 %}{{ n }} mål{% endtrans %}</span>",
        "<script>var x = 1;</script><style>.a { color: red; }</style>",
        "{% block body_class %}{% if meeting %}meeting{% endif %}{% endblock %}",
    ],
)
def test_the_check_accepts_translated_markup(app, source):
    assert not untranslated_text(app, source)
