"""Boards (nämnder), users, their roles and board memberships."""

import hashlib
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from intranet.core.clock import utc_now
from intranet.core.errors import RuleViolation
from intranet.core.password_policy import check_password_policy
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models.base import NOT_FREE_TEXT, Archivable, RuleChecked

ROLES = {
    "admin": _l("Administratör"),
    "officer": _l("Tjänsteperson"),
    "auditor": _l("Revisor"),
    "viewer": _l("Läsare"),
}

BOARD_KINDS = {"board": _l("Nämnd"), "company": _l("Bolag")}


def _hash_method() -> str:
    # Tests lower the scrypt cost through the config; production keeps Werkzeug's default.
    return (
        current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    )


class Board(Archivable, RuleChecked, db.Model):
    __tablename__ = "board"
    __versioned__ = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    administration: Mapped[str | None] = mapped_column(String(200))
    # A board (nämnd) or a municipal company (bolag); both can be responsible for sub-goals.
    # NULL in versions written before the column existed reads as a board.
    kind: Mapped[str | None] = mapped_column(String(20), default="board", info=NOT_FREE_TEXT)

    @property
    def kind_label(self) -> str:
        return str(BOARD_KINDS.get(self.kind or "board", self.kind))

    def check_rules(self) -> None:
        super().check_rules()
        if not (self.name or "").strip():
            raise RuleViolation("name", _l("Ange nämndens namn."))
        if (self.kind or "board") not in BOARD_KINDS:
            raise RuleViolation("kind", _l("Välj nämnd eller bolag."))

    def __repr__(self) -> str:
        return f"<Board {self.name!r}>"


class Membership(db.Model):
    """A user's membership of a board: what an officer may report for."""

    __tablename__ = "membership"
    __versioned__ = {}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True)

    board: Mapped[Board] = relationship()


class User(UserMixin, RuleChecked, db.Model):
    __tablename__ = "user"
    # The hash stays out of the history; password_changed_at records that it changed.
    # The session epoch is a sign-out mechanism, not data: what bumped it (a role change,
    # deactivation, a new password) is in the history through those columns.
    __versioned__ = {"exclude": ["password_hash", "session_epoch"]}
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(String(255), info=NOT_FREE_TEXT)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where the language choice was kept until it moved to UserPreference (not history):
    # no longer written, kept because user_version rows hold it and the chain covers them.
    locale: Mapped[str | None] = mapped_column(String(5))
    # Bumped on sign-out, role change, deactivation and password reset: ends every session.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    # sha256 of password_hash, kept in step with it by every writer (the listener below) and
    # versioned: the hash itself stays out of the history, but every change of it is in the
    # chain, verify compares the current hash with it, and each sign-in's signed checkpoint
    # line names the digest it was checked against. NULL: not recorded since the upgrade
    # (the next sign-in records it).
    credential_digest: Mapped[str | None] = mapped_column(String(64), info=NOT_FREE_TEXT)

    memberships: Mapped[list[Membership]] = relationship(
        cascade="all, delete-orphan", order_by=Membership.board_id
    )

    @property
    def boards(self) -> list[Board]:
        return [membership.board for membership in self.memberships]

    @property
    def board_ids(self) -> set[int]:
        return {membership.board_id for membership in self.memberships}

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def role_label(self) -> str:
        return str(ROLES.get(self.role, self.role))

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch or 0}"

    def set_password(self, password: str) -> None:
        check_password_policy(password, self.username)
        self.password_hash = generate_password_hash(password, method=_hash_method())
        self.password_changed_at = utc_now()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """Invalidate every signed-in session of this user, on every app server."""
        self.session_epoch = (self.session_epoch or 0) + 1

    def set_boards(self, boards: list[Board]) -> None:
        wanted = {board.id for board in boards}
        self.memberships = [m for m in self.memberships if m.board_id in wanted] + [
            Membership(board_id=board.id) for board in boards if board.id not in self.board_ids
        ]

    def check_rules(self) -> None:
        super().check_rules()
        if self.role not in ROLES:
            raise RuleViolation("role", _l("Okänd roll."))
        if not (self.username or "").strip():
            raise RuleViolation("username", _l("Ange ett användarnamn."))

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


def credential_digest(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()


@event.listens_for(User.password_hash, "set")
def _record_credential(user, value, oldvalue, initiator):
    user.credential_digest = credential_digest(value)


class LoginFailures(db.Model):
    """Failed sign-ins counted per key (an account from one address, or one address) in a
    window that starts at the first failure; not history, pruned as windows expire. Keys
    are digests, so what someone typed as a username is never stored."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(DateTime, index=True)
