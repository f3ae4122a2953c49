"""Language and time zone: Swedish by default, English selectable."""

from babel import Locale
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent
from flask_login import current_user

from intranet.core import clock


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    signed_in = current_user and current_user.is_authenticated
    return locale_for(user_language(current_user) if signed_in else None)


def user_language(user) -> str | None:
    """The language the user chose (a preference kept outside the history), or None."""
    from intranet.auth.preferences import language_preference

    return language_preference(user.id)


def locale_for(user_locale: str | None) -> str:
    """The user's own choice, then the session's, then Accept-Language, then Swedish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if user_locale in languages:
        return user_locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    return clock.zone_name()


def language_name(code: str) -> str:
    """A language's name in that language ("English", "Svenska"), as language switches show it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def init_app(app: Flask) -> None:
    from intranet.web import catalogs

    catalogs.init_app(app)
    # Dates and numbers in the user's language: 1 234,5 in Swedish, 1,234.5 in English.
    app.jinja_env.filters["datetime"] = lambda value, fmt="short": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["number"] = lambda value, fmt=None: (
        "" if value is None else format_decimal(value, fmt)
    )
    app.jinja_env.filters["percent"] = lambda value, fmt=None: (
        "" if value is None else format_percent(value, fmt)
    )
    app.jinja_env.globals["language_name"] = language_name
