"""Translated messages whose parameters are text, never markup: the only way the package
translates in Python (tests/foundation/test_translation.py forbids importing Flask-Babel's
gettext family anywhere else).

Flask-Babel's lazy strings answer `__html__` with their interpolated text, so Jinja, WTForms
(labels, choices, errors) and Flask's session serialiser (flashed messages come back as
`Markup`) all took `_l("… %(title)s …", title=stored_title)` for trusted HTML: a title holding
tags reached the page as tags. Here a lazy message is text like any other string: as HTML it is
escaped whole, its parameters included, and `str()` stays the plain text that spreadsheets,
documents and headers need. The eager functions return a plain `str`, which every consumer
escapes. No caller has anything to remember.
"""

from flask_babel import gettext as _babel_gettext
from flask_babel import ngettext as _babel_ngettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape


class LazyText(LazyString):
    """A message translated when it is used, in the locale of that moment; text, not markup."""

    def __html__(self) -> Markup:
        return escape(str(self))


def gettext(string: str, **variables) -> str:
    return str(_babel_gettext(string, **variables))


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    return str(_babel_ngettext(singular, plural, num, **variables))


def lazy_gettext(string: str, **variables) -> LazyText:
    return LazyText(gettext, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyText:
    return LazyText(ngettext, singular, plural, num, **variables)
