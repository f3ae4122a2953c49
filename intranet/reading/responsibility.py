"""Who is responsible for a sub-goal on a day: its main board, then its involved boards.

The one reading of responsibility for every page, export, report and permission that reads
through a snapshot (the ORM's `SubGoal.boards` applies the same rule to loaded links). A
link (SubGoalBoard) holds from `valid_from` (inclusive) to `valid_to` (exclusive); of the
links in force on the day, the one with the lowest position is the main board. "On the day"
is read from the links as they were recorded at the snapshot's transaction: as of a moment
the page shows who was responsible on that day by what was known then, so a reorganisation
recorded later, even one dated earlier, does not rewrite what a past snapshot shows.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from intranet.core.clock import local_day
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Board, SubGoalBoard
from intranet.models.plans import link_order
from intranet.reading.snapshot import Snapshot


def in_force_on(links, day: date) -> ColumnElement[bool]:
    """Rows of `links` (SubGoalBoard, its version class, or an alias) holding on `day`."""
    return and_(
        or_(links.valid_from.is_(None), links.valid_from <= day),
        or_(links.valid_to.is_(None), links.valid_to > day),
    )


def responsible_today() -> ColumnElement[bool]:
    """Live links holding today: for the permission queries, which read the present."""
    return in_force_on(SubGoalBoard, local_day())


@dataclass
class ResponsibleBoard:
    id: int
    name: str
    kind: str
    main: bool = False
    archived: bool = False
    valid_from: date | None = None
    valid_to: date | None = None

    @property
    def is_company(self) -> bool:
        return self.kind == "company"

    def holds_on(self, day: date) -> bool:
        """The rule of `in_force_on`, for a link already read."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


def responsible_boards(
    snapshot: Snapshot, sub_goal_ids, day: date | None = None
) -> dict[int, list[ResponsibleBoard]]:
    """For each sub-goal id, its boards in force on `day` (the snapshot's day), main board
    first then the involved ones in order; archived boards included (flagged), so that the
    main board stays the main board when a reader hides an archived one. One query."""
    return responsibility(snapshot, sub_goal_ids, day)[0]


def responsibility(
    snapshot: Snapshot, sub_goal_ids, day: date | None = None
) -> tuple[dict[int, list[ResponsibleBoard]], dict[int, list[ResponsibleBoard]]]:
    """`responsible_boards`, and for each sub-goal its dated links (a reorganisation's,
    ended, current or due) in the order of their days: who answers for it when. One
    query."""
    ids = list(sub_goal_ids)
    found: dict[int, list] = {sub_goal_id: [] for sub_goal_id in ids}
    dated: dict[int, list] = {sub_goal_id: [] for sub_goal_id in ids}
    if not ids:
        return found, dated
    day = day or snapshot.day
    links, boards = snapshot.table(SubGoalBoard), snapshot.table(Board)
    rows = db.session.execute(
        select(
            links.sub_goal_id,
            links.board_id,
            links.position,
            links.valid_from,
            links.valid_to,
            boards.name,
            boards.kind,
            boards.archived_at,
        )
        .join(boards, boards.id == links.board_id)
        .where(
            links.sub_goal_id.in_(ids),
            snapshot.visible(links),
            snapshot.existing(boards),
        )
    )
    for row in sorted(rows, key=lambda row: link_order(row.position, row.name)):
        board = ResponsibleBoard(
            row.board_id,
            row.name,
            row.kind or "board",
            archived=row.archived_at is not None,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        if board.valid_from is not None or board.valid_to is not None:
            dated[row.sub_goal_id].append(board)
        if board.holds_on(day):
            board.main = not found[row.sub_goal_id]
            found[row.sub_goal_id].append(board)
    for links_of in dated.values():
        links_of.sort(key=lambda board: (board.valid_from or date.min, board.valid_to or date.max))
    return found, dated


def responsibility_label(boards) -> str:
    """Boards (anything with `name`, `main` and `kind`) as one line of text, for files and
    tables: the main board marked in words, companies named as such."""
    parts = []
    for board in boards:
        marks = []
        if getattr(board, "kind", "board") == "company":
            marks.append(str(_l("bolag")))
        if getattr(board, "main", False):
            marks.append(str(_l("huvudansvarig")))
        parts.append(f"{board.name} ({', '.join(marks)})" if marks else board.name)
    return ", ".join(parts)
