"""The translation helper: every parameter of a translated message is text, escaped whenever
the message is rendered as HTML (lazy or not, and after a flash's round trip through the
session), and no module translates around it."""

import ast
from pathlib import Path

from flask import flash, get_flashed_messages, render_template_string, session
from markupsafe import escape
from wtforms import BooleanField, Form, SelectChoice, SelectField

from intranet.core.translation import gettext, lazy_gettext, lazy_ngettext, ngettext

GADGET = (
    '<i data-hx-post="/admin/users/2/edit" data-hx-trigger="load">x</i><img src=x onerror=alert(1)>'
)
PACKAGE = Path(__file__).resolve().parents[2] / "intranet"


def _safe(html: str) -> None:
    assert "<i " not in html and "<img" not in html, html
    assert "&lt;i data-hx-post=" in html, html


def _messages():
    return [
        gettext("Planen %(title)s ligger utanför de åren.", title=GADGET),
        lazy_gettext("Planen %(title)s ligger utanför de åren.", title=GADGET),
        ngettext("%(num)s plan %(t)s", "%(num)s planer %(t)s", 2, t=GADGET),
        lazy_ngettext("%(num)s plan %(t)s", "%(num)s planer %(t)s", 1, t=GADGET),
        # A lazy message inside another, and markup passed in as a parameter.
        lazy_gettext("%(what)s arkiverades.", what=lazy_gettext("Titel %(t)s", t=GADGET)),
        lazy_gettext("%(what)s arkiverades.", what=escape(GADGET).unescape()),
    ]


def test_every_parameter_is_escaped_in_templates(app):
    with app.test_request_context():
        for message in _messages():
            _safe(render_template_string("<p>{{ m }}</p>", m=message))
            _safe(render_template_string("<p>{{ _('Se %(x)s', x=m) }}</p>", m=message))
            _safe(str(escape(message)))


def test_plain_text_stays_plain_for_files_and_headers(app):
    with app.test_request_context():
        for message in _messages():
            assert GADGET in str(message)


def test_flashed_messages_stay_escaped_after_the_session_round_trip(app):
    serializer = app.session_interface.get_signing_serializer(app)
    with app.test_request_context():
        for message in _messages():
            flash(message, "success")
        stored = serializer.loads(serializer.dumps(dict(session)))
    with app.test_request_context():
        session.update(stored)
        flashed = get_flashed_messages(with_categories=True)
        assert len(flashed) == len(_messages())
        for _category, message in flashed:
            _safe(render_template_string("{{ m }}", m=message))


def test_form_labels_and_choices_built_from_stored_text_are_escaped(app):
    with app.test_request_context():

        class F(Form):
            box = BooleanField(lazy_gettext("Fokusområde %(n)s. %(t)s", n=1, t=GADGET))
            pick = SelectField(
                choices=[
                    SelectChoice("1", lazy_gettext("Stannar hos %(board)s", board=GADGET)),
                    SelectChoice("2", gettext("Stannar hos %(board)s", board=GADGET)),
                ]
            )

        form = F()
        _safe(str(form.box.label()))
        html = str(form.pick())
        assert html.count("&lt;i data-hx-post=") == 2 and "<i " not in html


def test_no_module_translates_around_the_helper():
    """Flask-Babel's gettext family (its lazy strings pass for markup) is imported only by
    intranet/core/translation.py, and Markup is built nowhere from a message."""
    forbidden = {
        "gettext",
        "lazy_gettext",
        "ngettext",
        "lazy_ngettext",
        "pgettext",
        "lazy_pgettext",
        "npgettext",
        "lazy_npgettext",
    }
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "core" / "translation.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_babel"):
                names = {alias.name for alias in node.names}
                if names & forbidden or "*" in names or "speaklater" in (node.module or ""):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if isinstance(node, ast.Import) and any(
                alias.name.startswith("flask_babel") for alias in node.names
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_templates_never_mark_text_safe():
    templates = Path(__file__).resolve().parents[2] / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert "|safe" not in text.replace(" ", ""), path
        assert "autoescape false" not in text, path
