"""The app-wide layout helpers (main menu, form field attributes) and error pages; the
view toolkit is intranet.web.views."""

from flask import Flask, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden

from intranet.auth.policies import (
    can_manage_boards,
    can_manage_users,
    can_read_audit_log,
    template_helpers,
)
from intranet.core.errors import NotAllowed
from intranet.core.translation import lazy_gettext as _l

ERROR_TITLES = {
    400: _l("Felaktig begäran"),
    403: _l("Du saknar behörighet"),
    404: _l("Sidan finns inte"),
    405: _l("Metoden stöds inte"),
    413: _l("För stor uppladdning"),
    429: _l("För många ändringar på kort tid"),
    500: _l("Något gick fel"),
}
ERROR_TEXTS = {
    400: _l("Begäran kunde inte tolkas. Ladda om sidan och försök igen."),
    403: _l(
        "Ditt konto har inte behörighet till det här. Kontakta en administratör om du behöver det."
    ),
    404: _l("Sidan du söker finns inte eller har arkiverats."),
    405: _l("Det går inte att göra så med den här adressen."),
    413: _l("Det du skickade är för stort. Försök med en mindre fil eller kortare text."),
    429: _l(
        "Du har gjort fler ändringar än tillåtet på kort tid, så den senaste sparades inte. "
        "Vänta en stund och försök sedan igen."
    ),
    500: _l("Ett oväntat fel uppstod. Felet är loggat; försök igen om en stund."),
}
# A CSRF failure of a signed-in page almost always means the session ended meanwhile.
SESSION_ENDED_TITLE = _l("Din session har gått ut")
SESSION_ENDED_TEXT = _l(
    "Sidan hade gått ut, så det du skickade sparades inte. Logga in igen och försök på nytt."
)


def error_text(code: int, retry_after: int | None = None, kind: str | None = None) -> str:
    """The error page's main message; the 429 one says how long to wait when known."""
    if kind == "session":
        return str(SESSION_ENDED_TEXT)
    if code == 429 and retry_after:
        return str(
            _l(
                "Du har gjort fler ändringar än tillåtet på kort tid, så den senaste sparades "
                "inte. Vänta %(seconds)s sekunder och försök sedan igen.",
                seconds=retry_after,
            )
        )
    return str(ERROR_TEXTS.get(code, ERROR_TEXTS[500]))


def error_title(code: int, kind: str | None = None) -> str:
    if kind == "session":
        return str(SESSION_ENDED_TITLE)
    return str(ERROR_TITLES.get(code, ERROR_TITLES[500]))


def main_menu() -> list[tuple[str, str]]:
    """The main navigation for the signed-in user, filtered by what they may open."""
    items = [
        ("matrix.show", _l("Målmatris")),
        ("plans.index", _l("Planer")),
        ("rounds.index", _l("Uppföljningsomgångar")),
        ("reports.index", _l("Redovisningar")),
        ("admin.users", _l("Användare")),
        ("boards.index", _l("Nämnder och bolag")),
        ("history.audit", _l("Granskningslogg")),
    ]
    return [(endpoint, str(label)) for endpoint, label in items if _menu_allows(endpoint)]


def _menu_allows(endpoint: str) -> bool:
    if endpoint.startswith("admin."):
        return can_manage_users(current_user)
    if endpoint.startswith("boards."):
        return can_manage_boards(current_user)
    if endpoint == "history.audit":
        return can_read_audit_log(current_user)
    return current_user.is_authenticated


def field_attributes(field, hint=None) -> dict:
    """ARIA attributes that tie a form field to its hint and error messages."""
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
    attributes = {}
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


def _layout_helpers() -> dict:
    return {
        "current_locale": lambda: str(get_locale() or "sv"),
        "main_menu": main_menu,
        "error_title": error_title,
        "error_text": error_text,
    }


def init_app(app: Flask) -> None:
    # Globals, not a context processor, so that imported macros can ask permissions too.
    app.jinja_env.globals.update(template_helpers())
    app.context_processor(_layout_helpers)
    # Globals, not context: imported macros see globals only.
    app.jinja_env.globals["field_attributes"] = field_attributes

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    # A service's own permission check refuses as the view's would: 403, nothing written.
    app.register_error_handler(NotAllowed, lambda error: _error_page(Forbidden()))


def _error_page(error):
    from intranet.web.security import current_request_id

    code = getattr(error, "code", 500) or 500
    if code >= 500:
        # Flask has logged the stack trace already; this line ties it to what the user saw.
        current_app.logger.error(
            "Error page %s shown for %s %s", code, request.method, request.path
        )
    retry_after = getattr(error, "retry_after", None)
    kind = "session" if isinstance(error, CSRFError) else None
    page = render_template(
        "errors/error.html",
        code=code,
        kind=kind,
        retry_after=retry_after,
        request_id=current_request_id(),
    )
    response = make_response(page, code)
    if retry_after is not None:
        response.retry_after = retry_after
    return response
