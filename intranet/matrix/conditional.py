"""Conditional requests and a bounded cache for the matrix.

A matrix response is a pure function of: the database state (every versioned write, archiving
and reporting-round locks included, creates a history transaction, so the head transaction id
stands for it), the view parameters, what the user may see and do (role, boards, active), the
language, the day (the reporting year of the summary) and the deployed build (templates and
static files). The validator is a digest of exactly those, computed in a constant number of
queries (the signed-in user, their memberships, the head transaction) before anything is
loaded or rendered, so an unchanged matrix answers 304 at once.

The full page also holds the user's name and their session's CSRF token, so its validator
adds the user and the token; the rendered matrix region does not, and is what the cache
keeps, shared by users of the same scope.
"""

import hashlib
import os
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

from flask import Flask, current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Transaction
from intranet.security import revalidate_privately

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024


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


def permission_scope(user) -> tuple:
    return (user.role, tuple(sorted(user.board_ids)), bool(user.is_active))


def _digest(parts: tuple) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


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


class MatrixValidator:
    """The validator of one matrix request, with the key of its shareable rendered region."""

    def __init__(self, kind: str):
        user = current_user._get_current_object()
        self.head = head_transaction()
        shared = (
            self.head,
            view_parameters(),
            permission_scope(user),
            str(get_locale() or "sv"),
            date.today().isoformat(),
            current_app.config["BUILD_ID"],
        )
        self.region_key = _digest(shared)
        generate_csrf()  # the page carries the session's token: create it before keying on it
        personal = (kind, shared, user.id, session.get("csrf_token"))
        self.etag = _digest(personal)
        # A pending flash message is shown once: such a page must not be reused.
        self.reusable = not session.get("_flashes")

    def matches(self) -> bool:
        return self.reusable and request.if_none_match.contains(self.etag)

    def not_modified(self):
        response = make_response("", 304)
        return self.stamp(response)

    def stamp(self, response):
        """Mark a 200 response with the validator; every matrix response is revalidated."""
        revalidate_privately(response)  # the matrix holds no personal data
        response.vary.add("HX-Request")
        if self.reusable and response.status_code in (200, 304):
            response.set_etag(self.etag)
        return response


class RenderedCache:
    """Rendered matrix regions by key, least recently used first out, bounded in bytes
    (the UTF-8 size of the stored text; one entry larger than the bound is not kept)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.used = 0
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._sizes: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: str) -> None:
        size = len(value.encode())
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self.used -= self._sizes.pop(key)
                del self._entries[key]
            while self._entries and self.used + size > self.max_bytes:
                old, _ = self._entries.popitem(last=False)
                self.used -= self._sizes.pop(old)
            self._entries[key] = value
            self._sizes[key] = size
            self.used += size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._entries)


def rendered_cache() -> RenderedCache:
    return current_app.extensions["matrix_cache"]


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "MATRIX_CACHE_BYTES", int(os.environ.get("MATRIX_CACHE_BYTES", DEFAULT_CACHE_BYTES))
    )
    if not app.config.get("BUILD_ID"):
        app.config["BUILD_ID"] = build_id(app)
    app.extensions["matrix_cache"] = RenderedCache(int(app.config["MATRIX_CACHE_BYTES"]))
