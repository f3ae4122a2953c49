"""Response headers, request ids and error logging that every response gets."""

import logging
import re
import uuid

from flask import Flask, abort, g, has_request_context, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from intranet.core.numbers import MAX_INTEGER

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"

# A request id from a proxy is only trusted when it looks like one: anything else
# could carry line breaks or markup into the logs and the error page.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _assign_request_id() -> None:
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex


class DatabaseInteger(IntegerConverter):
    """`<int:...>` limited to what every database's integer key can hold: a larger
    number is a 404 like any id that does not exist, not a database error. ASCII digits
    only: werkzeug's `\\d+` also matches "٣", which int() reads as 3."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


def submitted_by_hand() -> bool:
    """Whether this request is a plain form submission that a person made on one of this
    site's pages: not an htmx request (any element's `load` trigger could send one, CSRF
    header included, without the user doing anything) and, where the browser sends Fetch
    metadata, a same-origin navigation that a user activation started."""
    if request.headers.get("HX-Request"):
        return False
    mode = request.headers.get("Sec-Fetch-Mode")
    if mode is None:
        return True  # no Fetch metadata to judge by: a browser without it, or a script
    return (
        mode == "navigate"
        and request.headers.get("Sec-Fetch-Site") == "same-origin"
        and request.headers.get("Sec-Fetch-User") == "?1"
    )


def _refuse_nul_characters() -> None:
    # PostgreSQL cannot store NUL in text and no form has a use for it: refuse it
    # up front with the 400 page, rather than fail in the database with a 500.
    values = [*request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400)


def revalidate_privately(response):
    """Let the browser keep this response, never a shared cache, and revalidate it on every
    use (`private, no-cache`): for responses without personal or audit data that carry a
    validator, such as the goal matrix (see intranet.matrix.conditional)."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.revalidated_privately = True
    return response


def _secure_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    exempt = getattr(response, "revalidated_privately", False)
    # `exempt` first: a matrix revalidated early (intranet.matrix.conditional) has not
    # loaded the user, and must not load it here.
    if not exempt and request.endpoint != "static" and current_user.is_authenticated:
        # Everything a signed-in user gets may hold personal or audit data (pages, exports,
        # history, the audit log): no browser or proxy cache may keep a copy.
        headers["Cache-Control"] = "no-store"
    request_id = current_request_id()
    if request_id:
        headers["X-Request-ID"] = request_id
    return response


class RequestIdFilter(logging.Filter):
    """Prefix every log record made during a request with its id, for support to find it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id()
        record.request_id = request_id or "-"
        if request_id and not getattr(record, "_request_id_added", False):
            record.msg = f"[request {request_id}] {record.msg}"
            record._request_id_added = True
        return True


def init_app(app: Flask) -> None:
    # Before any blueprint is registered: rules take their converters when added.
    app.url_map.converters["int"] = DatabaseInteger
    app.before_request(_assign_request_id)
    app.before_request(_refuse_nul_characters)
    app.after_request(_secure_headers)
    app.logger.addFilter(RequestIdFilter())
