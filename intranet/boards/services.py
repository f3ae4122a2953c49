"""Boards and companies, and reorganisations. Services change and flush; the request
commits once, so a reorganisation is one history transaction with its note."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from intranet.auth.policies import can_manage_boards, can_reorganise_boards
from intranet.core.clock import local_day
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import Board, Membership, SubGoal, SubGoalBoard, User

MEMBERSHIP_CHOICES = {
    "move": _l("Flytta medlemmarna till den nya nämnden (de lämnar den gamla)"),
    "add": _l("Lägg till medlemskap i den nya nämnden (de behåller den gamla)"),
    "none": _l("Ändra inga medlemskap"),
}


def _check_name_free(name: str, board: Board | None) -> None:
    taken = db.session.scalar(
        select(Board.id).where(Board.name == name.strip(), Board.id != (board.id if board else 0))
    )
    if taken is not None:
        raise RuleViolation("name", _l("Det finns redan en nämnd eller ett bolag med det namnet."))


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed()


def create_board(actor: User, name: str, administration: str | None, kind: str) -> Board:
    """Raises NotAllowed (can_manage_boards), RuleViolation for a name already taken."""
    _require(can_manage_boards(actor))
    _check_name_free(name or "", None)
    board = Board(name=(name or "").strip(), administration=administration or None, kind=kind)
    db.session.add(board)
    db.session.flush()
    return board


def update_board(
    actor: User, board: Board, name: str, administration: str | None, kind: str
) -> None:
    """Rename (the board keeps its identity: the history shows the old name) or change
    förvaltning and kind. Raises NotAllowed (can_manage_boards), RuleViolation."""
    _require(can_manage_boards(actor))
    _check_name_free(name or "", board)
    board.name = (name or "").strip()
    board.administration = administration or None
    board.kind = kind
    db.session.flush()


def responsible_sub_goals(board: Board, day: date | None = None) -> list[SubGoalBoard]:
    """The board's links to current sub-goals that hold on `day` (today) or start later."""
    day = day or local_day()
    links = db.session.scalars(
        select(SubGoalBoard)
        .join(SubGoal, SubGoal.id == SubGoalBoard.sub_goal_id)
        .where(
            SubGoalBoard.board_id == board.id,
            SubGoal.archived_at.is_(None),
            (SubGoalBoard.valid_to.is_(None)) | (SubGoalBoard.valid_to > day),
        )
    )
    return sorted(links, key=lambda link: (link.sub_goal.plan.start_year, link.sub_goal.sort_key))


def archive_board(actor: User, board: Board) -> None:
    """Archive a board that no longer answers for any sub-goal (a reorganisation moves
    its responsibility first): archiving would otherwise hide who is responsible.
    Raises NotAllowed (can_manage_boards), RuleViolation."""
    _require(can_manage_boards(actor))
    if responsible_sub_goals(board):
        raise RuleViolation(
            "archived_at",
            _l(
                "%(board)s ansvarar fortfarande för delmål. Flytta ansvaret med en "
                "omorganisation först.",
                board=board.name,
            ),
        )
    board.archive()
    db.session.flush()


def unarchive_board(actor: User, board: Board) -> None:
    """Raises NotAllowed (can_manage_boards)."""
    _require(can_manage_boards(actor))
    board.unarchive()
    db.session.flush()


@dataclass
class Reorganisation:
    """What a reorganisation did: sub-goal codes per receiving board, members moved."""

    moved: dict[str, list[str]] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)


def reorganise(
    actor: User,
    source: Board,
    moves: dict[int, Board],
    day: date,
    memberships: str,
    archive_source: bool = False,
    note: str | None = None,
) -> Reorganisation:
    """Move responsibility for sub-goals (by id) from `source` to the chosen boards from
    `day` (a merger moves all to one board, a split to several).

    From `day` the receiving board takes the source's place: main board where the source
    was main, involved where it was involved. The source's link ends on `day`, so every
    view of an earlier day (live or as of) still shows the source. Where the receiving board
    was already involved in the sub-goal, it moves to the source's place in the order
    (listed right after the source before the day: one link per board and sub-goal).
    The source's members follow as `memberships` says ("move", "add", "none"), at once:
    memberships have no dates, so for a future day "add" keeps them reporting until then.

    Raises NotAllowed (can_reorganise_boards; archiving the source also can_manage_boards).
    """
    _require(can_reorganise_boards(actor))
    if not (note or "").strip():
        raise RuleViolation("note", _l("Beskriv omorganisationen: den sparas i historiken."))
    if day is None:
        raise RuleViolation("valid_from", _l("Ange från vilket datum ansvaret flyttas."))
    if memberships not in MEMBERSHIP_CHOICES:
        raise RuleViolation("memberships", _l("Välj vad som händer med medlemskapen."))
    if not moves:
        raise RuleViolation("target", _l("Välj vart ansvaret för minst ett delmål flyttas."))
    result = Reorganisation()
    links = {link.sub_goal_id: link for link in responsible_sub_goals(source, day)}
    for sub_goal_id, target in moves.items():
        link = links.get(sub_goal_id)
        if link is None or not (link.valid_from is None or link.valid_from <= day):
            raise RuleViolation(
                "valid_from",
                _l("%(board)s ansvarar inte för alla valda delmål det datumet.", board=source.name),
            )
        if target.id == source.id or target.is_archived:
            raise RuleViolation("target", _l("Välj en annan, aktiv nämnd att flytta till."))
        _move(link.sub_goal, link, target, day)
        result.moved.setdefault(target.name, []).append(link.sub_goal.code)
    targets = {target.id: target for target in moves.values()}
    if memberships != "none":
        for user in _members(source):
            boards = [b for b in user.boards if memberships == "add" or b.id != source.id]
            boards += [t for t in targets.values() if t.id not in user.board_ids]
            user.set_boards(boards)
            result.members.append(user.display_name)
    if archive_source:
        if day > local_day():
            raise RuleViolation(
                "archive_source",
                _l("En nämnd kan arkiveras först när omorganisationen har börjat gälla."),
            )
        db.session.flush()
        archive_board(actor, source)
    db.session.flush()
    return result


def _members(board: Board) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.board_id == board.id)
            .order_by(User.display_name)
        )
    )


def _move(sub_goal: SubGoal, link: SubGoalBoard, target: Board, day: date) -> None:
    # Even positions, in the present order, leave room for the receiving board right after
    # the source's place.
    ordered = sorted(sub_goal.board_links, key=SubGoalBoard.sort_key)
    for index, each in enumerate(ordered):
        each.position = 2 * index
    existing = next((each for each in sub_goal.board_links if each.board_id == target.id), None)
    if existing is not None:
        if existing.valid_to is not None and existing.valid_to < day:
            raise RuleViolation(
                "target",
                _l(
                    "%(board)s har tidigare haft ansvar för delmål %(code)s; välj en annan "
                    "nämnd eller ändra delmålets ansvar direkt.",
                    board=target.name,
                    code=sub_goal.code,
                ),
            )
        if existing.valid_to == day:
            existing.valid_to = None
        if existing.valid_from is not None and existing.valid_from > day:
            existing.valid_from = day
        existing.position = link.position + 1
    else:
        sub_goal.board_links.append(
            SubGoalBoard(board=target, board_id=target.id, position=link.position, valid_from=day)
        )
    if link.valid_from is not None and link.valid_from >= day:
        # The source's responsibility had not begun by the day: it never holds.
        sub_goal.board_links.remove(link)
    else:
        link.valid_to = day
