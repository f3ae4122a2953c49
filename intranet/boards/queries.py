from dataclasses import dataclass

from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import Board, Membership

BOARD_FILTERS = ("active", "archived", "all")


@dataclass
class BoardRow:
    board: Board
    members: int


def boards(status: str) -> list[BoardRow]:
    query = select(Board).order_by(Board.name)
    if status == "active":
        query = query.where(Board.archived_at.is_(None))
    elif status == "archived":
        query = query.where(Board.archived_at.is_not(None))
    members = dict(
        db.session.execute(
            select(Membership.board_id, func.count()).group_by(Membership.board_id)
        ).all()
    )
    return [BoardRow(board, members.get(board.id, 0)) for board in db.session.scalars(query)]


def open_boards_except(board: Board) -> list[Board]:
    return list(
        db.session.scalars(
            select(Board)
            .where(Board.archived_at.is_(None), Board.id != board.id)
            .order_by(Board.name)
        )
    )
