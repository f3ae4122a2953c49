from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet.extensions import db
from intranet.models import Board, Membership, User

USER_FILTERS = ("active", "inactive", "all")


def users(status: str = "active") -> list[User]:
    query = select(User).options(selectinload(User.memberships).selectinload(Membership.board))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return list(db.session.scalars(query.order_by(User.username)))


def open_boards() -> list[Board]:
    return list(
        db.session.scalars(select(Board).where(Board.archived_at.is_(None)).order_by(Board.name))
    )


def boards_by_ids(ids) -> list[Board]:
    if not ids:
        return []
    return list(db.session.scalars(select(Board).where(Board.id.in_(list(ids)))))
