"""Conditional requests and a bounded cache for the matrix.

A matrix response is a pure function of: the database state (every versioned write, archiving
and reporting-round locks included, creates a history transaction, so the head transaction id
stands for it), the view parameters, what the user may see and do (role, boards, active), the
language, the day (the reporting year of the summary) and the deployed build (templates and
static files). The validator is a digest of exactly those.

Revalidating an unchanged matrix (a meeting poll) costs one indexed query and nothing else:
`revalidated_early` runs before the signed-in user is loaded. The scope part of the
validator (a digest of role, boards and active flag, with the user's own language choice)
is kept in the signed session cookie together with the head transaction it was read at.
Role, boards, active flag and language are versioned columns, so while the head is
unchanged that scope is still the user's; the one query checks the head and that the
session is still valid (the user exists, is active, and the session epoch that sign-out,
role changes and deactivation bump is the session's). Anything else goes the full way.

The full page also holds the user's name and their session's CSRF token, so its validator
adds the user and the token; the rendered matrix region does not, and is what the cache
keeps, shared by users of the same scope.

Only a matrix that names nobody else is revalidated (`private, no-cache` with a validator):
one that may show who changed a cell and when, or who started the meeting (names_people),
is `no-store` like every other page with people's names, and never answered with 304. Nor
is a request that asks for the past without the right to (intranet.web.past.PAST_PARAMETERS):
both paths refuse it before any 304.
"""

import hashlib
import os
import threading
from functools import wraps
from pathlib import Path

from cachetools import LRUCache
from flask import Flask, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from intranet.auth.policies import can_read_past
from intranet.core import clock
from intranet.core.numbers import parse_id
from intranet.extensions import db
from intranet.matrix.filters import meeting_mode
from intranet.models import Transaction, User, UserPreference
from intranet.reading.asof import SINCE_NOTHING
from intranet.web.i18n import locale_for
from intranet.web.past import asks_for_past, require_past_allowed
from intranet.web.security import revalidate_privately

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
SCOPE_KEY = "matrix_scope"  # in the session: see the module's docstring
_HEAD_READ = "intranet.matrix_head"  # in the request's environ: the head read early


def head_transaction() -> tuple:
    """The last transaction's id and time: after a restore from a backup, ids are reused,
    but not with the same time."""
    head = db.session.execute(
        select(Transaction.id, Transaction.issued_at).order_by(Transaction.id.desc()).limit(1)
    ).first()
    return (head.id, head.issued_at.isoformat()) if head else (0, "")


def view_parameters() -> tuple[tuple[str, str], ...]:
    """Every query parameter, as the matrix reads them (first value, stripped, empty dropped).

    All of them, not a list of the ones the matrix reads today: a parameter added to the
    filters later then changes the validator by itself, and an unknown one costs at most a
    cache miss, never another view's matrix."""
    pairs = ((name, (request.args.get(name) or "").strip()) for name in sorted(request.args))
    return tuple((name, value) for name, value in pairs if value)


def names_people(past_reader: bool, args) -> bool:
    """May the matrix asked for by `args` name people other than the reader: who changed a
    marked cell and when (a `since`, or meeting mode's marks since the last meeting), or
    who started the running meeting? Only for who may read the past (see
    matrix.changes and the meeting bar); decided from the request alone, so that the early
    path and the full path agree before anything is rendered."""
    if not past_reader:
        return False
    since = (args.get("since") or "").strip()
    return meeting_mode(args) or bool(since and since != SINCE_NOTHING)


def permission_scope(user) -> tuple:
    return (user.role, tuple(sorted(user.board_ids)), bool(user.is_active))


def _digest(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _validators(kind: str, head: tuple, scope: str, language: str, user_id: int, token):
    """(the key of the shareable region, the response's ETag): one function for the early
    and the full path, so both always agree."""
    shared = (
        tuple(head),
        view_parameters(),
        scope,
        language,
        clock.today().isoformat(),
        current_app.config["BUILD_ID"],
    )
    return _digest(shared), _digest((kind, shared, user_id, token))


def build_id(app: Flask) -> str:
    """A digest of the templates and static files: a deploy that changes them changes it."""
    configured = app.config.get("BUILD_ID")
    if configured:
        return str(configured)
    digest = hashlib.sha256()
    for folder in (app.template_folder, app.static_folder):
        root = Path(app.root_path, folder) if folder else None
        if root is None or not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stamp(response, etag: str | None):
    revalidate_privately(response)  # only a matrix without others' names: see names_people
    response.vary.add("HX-Request")
    if etag and response.status_code in (200, 304):
        response.set_etag(etag)
    return response


def _session_and_head(user_id: int):
    """The session's user (epoch, active, chosen language) and the head transaction, in one
    indexed query. The language is read here, not kept from the last full answer: choosing
    one writes no transaction, so the head does not show that it changed."""
    latest = select(func.max(Transaction.id)).scalar_subquery()
    return db.session.execute(
        select(
            User.session_epoch,
            User.active,
            UserPreference.locale,
            Transaction.id,
            Transaction.issued_at,
        )
        .select_from(User)
        .outerjoin(UserPreference, UserPreference.user_id == User.id)
        .outerjoin(Transaction, Transaction.id == latest)
        .where(User.id == user_id)
    ).first()


def _early_not_modified(kind: str):
    """A 304 if the request's validator is the current one, else None (the full path)."""
    signed_in = str(session.get("_user_id") or "")
    user_id, _, epoch = signed_in.partition(":")
    if parse_id(user_id) is None:
        return None
    row = _session_and_head(parse_id(user_id))
    if row is None or not row.active or str(row.session_epoch or 0) != epoch:
        return None  # signed out elsewhere, deactivated, gone: the full path says so
    head = (row.id, row.issued_at.isoformat()) if row.id is not None else (0, "")
    request.environ[_HEAD_READ] = head
    entry = session.get(SCOPE_KEY)
    token = session.get("csrf_token")
    if not request.if_none_match or session.get("_flashes") or not entry or not token:
        return None
    # Read at the same head as the scope, so still the user's (see the module's docstring).
    past_reader = bool(entry.get("past"))
    if asks_for_past(request.args) and not past_reader:
        return None  # refused on the full path: never a 304 for it
    if names_people(past_reader, request.args):
        return None  # not revalidated: no-store
    if entry.get("user") != signed_in or tuple(entry.get("head") or ()) != head:
        return None  # the scope was read at another state: it may have changed since
    language = locale_for(row.locale)
    _, etag = _validators(kind, head, entry["scope"], language, parse_id(user_id), token)
    if not request.if_none_match.contains(etag):
        return None
    return _stamp(make_response("", 304), etag)


def revalidated_early(kind_of):
    """Above `login_required`: answer an unchanged matrix with 304 before the user, their
    memberships or anything else is loaded. `kind_of(**view_args)` names the response kind
    (page, fragment, export-csv …), as MatrixValidator does."""

    def decorator(view):
        @wraps(view)
        def answer_early_or_view(**view_args):
            return _early_not_modified(kind_of(**view_args)) or view(**view_args)

        return answer_early_or_view

    return decorator


class MatrixValidator:
    """The validator of one matrix request, with the key of its shareable rendered region."""

    def __init__(self, kind: str):
        # Before anything can be answered (a 304 included): who may not ask for the past
        # gets the same 403 whatever the validator says.
        require_past_allowed()
        user = current_user._get_current_object()
        past_reader = can_read_past(user)
        # Pages naming others are no-store: never given a validator, never answered with 304.
        self.revalidated = not names_people(past_reader, request.args)
        # Read before the scope when revalidated_early ran: a scope read later is never
        # older than the head it is filed under.
        self.head = request.environ.get(_HEAD_READ) or head_transaction()
        scope = _digest(permission_scope(user))
        generate_csrf()  # the page carries the session's token: create it before keying on it
        self.region_key, self.etag = _validators(
            kind, self.head, scope, str(get_locale() or "sv"), user.id, session.get("csrf_token")
        )
        # A pending flash message is shown once: such a page must not be reused.
        self.reusable = not session.get("_flashes")
        entry = {"user": user.get_id(), "head": list(self.head), "scope": scope}
        entry["past"] = past_reader
        if session.get(SCOPE_KEY) != entry:
            session[SCOPE_KEY] = entry

    def region_key_for(self, *parts) -> str:
        """The region's key with what the view resolved beyond the validator's parts (the
        same for every request with the same validator, hence still shareable)."""
        return _digest((self.region_key, parts))

    def matches(self) -> bool:
        return self.revalidated and self.reusable and request.if_none_match.contains(self.etag)

    def not_modified(self):
        return self.stamp(make_response("", 304))

    def stamp(self, response):
        """Mark a 200 response with the validator, when it is revalidated at all; else it
        keeps the `no-store` every signed-in response gets."""
        if not self.revalidated:
            return response
        return _stamp(response, self.etag if self.reusable else None)


class RenderedCache:
    """Rendered matrix regions by key, least recently used first out, bounded in bytes
    (the UTF-8 size of the stored text; one entry larger than the bound is not kept).

    cachetools' LRUCache is not safe for concurrent use (a read reorders it), and the
    server's threads share one cache: every call holds the lock."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        # Each value is kept with its size, measured before the lock is taken.
        self._entries: LRUCache[str, tuple[str, int]] = LRUCache(max_bytes, getsizeof=_size)
        self._lock = threading.Lock()

    @property
    def used(self) -> int:
        with self._lock:
            return self._entries.currsize

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
        return entry[0] if entry else None

    def put(self, key: str, value: str) -> None:
        size = len(value.encode())
        if size > self.max_bytes:
            return  # not kept, and nothing evicted for it (LRUCache would refuse it too)
        with self._lock:
            self._entries[key] = (value, size)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _size(entry: tuple[str, int]) -> int:
    return entry[1]


def rendered_cache() -> RenderedCache:
    return current_app.extensions["matrix_cache"]


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "MATRIX_CACHE_BYTES", int(os.environ.get("MATRIX_CACHE_BYTES", DEFAULT_CACHE_BYTES))
    )
    if not app.config.get("BUILD_ID"):
        app.config["BUILD_ID"] = build_id(app)
    app.extensions["matrix_cache"] = RenderedCache(int(app.config["MATRIX_CACHE_BYTES"]))
