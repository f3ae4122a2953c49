"""Restoring a record to an earlier version, as an edit like any other.

A restore changes only what the signed-in user may change through the record's normal
forms, and through the same service functions those forms call, so the same rules hold:
unique codes and numbers, years, the deviation rule, the stored-text guards, the archive
state, lineage. Parts a form does not change are handled by their own action and never by
a restore: the archive state (archiving), a plan's status (its lifecycle) and the order
among siblings (moving; one record's old place would clash with its siblings' new ones).
A record's place in the structure (its plan, focus area, sub-goal or year) changes through
no form, so a version that differs there cannot be restored.

When the version would change a part the user may not change, the whole restore is
refused with a message naming those parts; it is never done in part. The history note
says "restored to the version of ...", and an auditor reading it must be able to trust
that the record then looked like that version.

It lives at the top of the package, beside intranet.web.layout, because it uses the services of
every domain whose records have a history.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from intranet.activities.services import save_activity
from intranet.auth.policies import (
    can_create_plans,
    can_edit_follow_up,
    can_edit_lineage,
    can_edit_structure,
    can_edit_sub_goal,
    can_manage_boards,
    can_reorganise_boards,
    can_restore,
)
from intranet.boards.services import update_board
from intranet.core.clock import local_day
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.fields import names
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.followups.services import record_follow_up
from intranet.history.records import KINDS, LINK_LABELS, load_versions
from intranet.lineage.services import link_sub_goal, unlink_sub_goal
from intranet.models import (
    ACTIVITY_FIELDS,
    FOCUS_AREA_FIELDS,
    FOLLOW_UP_FIELDS,
    STRATEGY_FIELDS,
    SUB_GOAL_FIELDS,
    TAG_KINDS,
    Board,
    RecordKind,
    SubGoal,
    SubGoalBoard,
    SubGoalLineage,
    SubGoalTag,
    Tag,
    User,
)
from intranet.models.plans import link_order
from intranet.reading.snapshot import Snapshot, is_hidden
from intranet.structure.forms import PLAN_FORM_FIELDS
from intranet.structure.services import save_focus_area, save_plan, save_strategy, save_sub_goal

# Changed by actions of their own, never by a restore (see the module's docstring).
OWN_ACTIONS = frozenset({"archived_at", "status:plan", "position"})

ADMINS = "admin"
STRUCTURE = "structure"  # admins, or the plan's owner board's officers
FIXED = "fixed"  # no form changes it


def _message(who: str, parts: str) -> str:
    """The refusal for `parts` (joined labels) that `who` may change and the user not."""
    if who == STRUCTURE:
        return str(
            _l(
                "Återställningen skulle ändra %(parts)s, som bara en administratör eller "
                "planägarens tjänstepersoner får ändra.",
                parts=parts,
            )
        )
    if who == ADMINS:
        return str(
            _l(
                "Återställningen skulle ändra %(parts)s, som bara en administratör får ändra.",
                parts=parts,
            )
        )
    return str(_l("Återställningen skulle ändra %(parts)s, som inte går att ändra.", parts=parts))


# Parts of a sub-goal's responsibility and lineage, as a restore names them.
MAIN_BOARD = _l("ansvarig nämnd")
INVOLVED_BOARDS = _l("involverade nämnder")
REORGANISED = _l("ansvar med datum (omorganisation)")
LINEAGE = _l("kopplingen till tidigare delmål")


class RestoreNotAllowed(NotAllowed):
    """The version would change parts the user may not change; `message` names them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Part:
    """Fields (or links) of a kind changed by one form, and who may change them there:
    `may(user, record)` is the predicate the form's route and service ask, `who` says
    who may (ADMINS or STRUCTURE) for the message when the user may not."""

    names: tuple[str, ...]
    may: Callable[[User, object], bool]
    who: str = ADMINS


def _structure(plan_of: Callable) -> Callable[[User, object], bool]:
    return lambda user, record: can_edit_structure(user, plan_of(record))


def _structure_who(plan) -> str:
    """Officers of the plan's owner board share the structure with admins, if it has one."""
    return STRUCTURE if plan is not None and plan.owner_board_id is not None else ADMINS


# Per kind, the parts its normal forms change, named from the same field declarations the
# forms are built from (intranet.core.fields), each with the predicate the form's route and
# service ask. A field of the kind's history (records.KINDS)
# in no part and not in OWN_ACTIONS is fixed: no form changes it.
PARTS: dict[RecordKind, tuple[Part, ...]] = {
    RecordKind.STRATEGY: (Part(names(STRATEGY_FIELDS), lambda u, r: can_create_plans(u)),),
    RecordKind.PLAN: (
        Part(names(PLAN_FORM_FIELDS), _structure(lambda plan: plan), STRUCTURE),
        Part(("strategy_id", "owner_board_id"), lambda u, r: can_create_plans(u)),
    ),
    RecordKind.FOCUS_AREA: (
        Part(names(FOCUS_AREA_FIELDS), _structure(lambda area: area.plan), STRUCTURE),
    ),
    RecordKind.SUB_GOAL: (
        Part(
            (*names(SUB_GOAL_FIELDS), *(f"tags:{kind}" for kind in TAG_KINDS)),
            _structure(lambda sub_goal: sub_goal.plan),
            STRUCTURE,
        ),
        # Responsibility as the sub-goal form sets it (today's main and involved boards),
        # responsibility with days (a reorganisation's), and lineage (Restore.board_parts).
        Part(("main", "involved"), _structure(lambda sub_goal: sub_goal.plan), STRUCTURE),
        Part(("reorganised",), lambda user, record: can_reorganise_boards(user)),
        Part(("continues",), can_edit_lineage),
    ),
    RecordKind.FOLLOW_UP: (Part(names(FOLLOW_UP_FIELDS), can_edit_follow_up),),
    RecordKind.ACTIVITY: (
        Part(
            names(ACTIVITY_FIELDS),
            lambda user, activity: can_edit_sub_goal(user, activity.sub_goal),
        ),
    ),
    RecordKind.BOARD: (
        Part(("name", "administration", "kind"), lambda u, r: can_manage_boards(u)),
    ),
    RecordKind.USER: (),  # accounts change through account administration only
}


def _is_own_action(kind: RecordKind, name: str) -> bool:
    return name in OWN_ACTIONS or f"{name}:{kind.value}" in OWN_ACTIONS


# --- what would change ------------------------------------------------------------------


@dataclass
class Links:
    """A sub-goal's board links by board id: (position, valid_from, valid_to)."""

    rows: dict[int, tuple[int | None, date | None, date | None]]

    def in_force_today(self, names: dict[int, str]) -> list[int]:
        """Board ids responsible today, main first (the order of SubGoal.boards)."""
        today = local_day()
        held = [
            board_id
            for board_id, (_position, start, end) in self.rows.items()
            if (start is None or start <= today) and (end is None or today < end)
        ]
        return sorted(held, key=lambda b: link_order(self.rows[b][0], names.get(b, "")))


def _target_links(sub_goal: SubGoal, past: Snapshot) -> Links:
    BoardLink = past.table(SubGoalBoard)
    return Links(
        {
            row.board_id: (row.position, row.valid_from, row.valid_to)
            for row in db.session.execute(
                select(
                    BoardLink.board_id, BoardLink.position, BoardLink.valid_from, BoardLink.valid_to
                ).where(BoardLink.sub_goal_id == sub_goal.id, past.existing(BoardLink))
            )
        }
    )


def _current_links(sub_goal: SubGoal) -> Links:
    return Links(
        {
            link.board_id: (link.position, link.valid_from, link.valid_to)
            for link in sub_goal.board_links
        }
    )


def _board_changes(current: Links, target: Links) -> set[str]:
    """Which parts of the responsibility a restore from `current` to `target` changes:
    days of a link (a reorganisation sets them: admins only), or the main board and the
    involved boards as the sub-goal form sets them (undated links and their order)."""
    changes = set()
    for board_id in current.rows.keys() | target.rows.keys():
        now, then = current.rows.get(board_id), target.rows.get(board_id)
        if now == then:
            continue
        dated = any(row is not None and (row[1], row[2]) != (None, None) for row in (now, then))
        if dated and not (now and then and now[1:] == then[1:]):
            changes.add("reorganised")
    ids = current.rows.keys() | target.rows.keys()
    board_names = dict(
        db.session.execute(select(Board.id, Board.name).where(Board.id.in_(ids))).all()
    )
    today_now = current.in_force_today(board_names)
    today_then = target.in_force_today(board_names)
    if today_now[:1] != today_then[:1]:
        changes.add("main")
    if today_now[1:] != today_then[1:]:
        changes.add("involved")
    if current.rows != target.rows and not changes:
        changes.add("involved")  # an order or link that holds neither today nor by a date
    return changes


def _target_lineage(sub_goal: SubGoal, past: Snapshot) -> set[int]:
    LineageLink = past.table(SubGoalLineage)
    return set(
        db.session.scalars(
            select(LineageLink.continues_id).where(
                LineageLink.sub_goal_id == sub_goal.id, past.existing(LineageLink)
            )
        )
    )


def _current_lineage(sub_goal: SubGoal) -> set[int]:
    return set(
        db.session.scalars(
            select(SubGoalLineage.continues_id).where(SubGoalLineage.sub_goal_id == sub_goal.id)
        )
    )


def _target_tags(sub_goal: SubGoal, past: Snapshot) -> list[Tag]:
    TagLink = past.table(SubGoalTag)
    return list(
        db.session.scalars(
            select(Tag)
            .where(
                Tag.id.in_(
                    select(TagLink.tag_id).where(
                        TagLink.sub_goal_id == sub_goal.id, past.existing(TagLink)
                    )
                )
            )
            .order_by(Tag.id)
        )
    )


@dataclass
class Restore:
    """What restoring `record` to the version would do."""

    kind: RecordKind
    record: object
    target: dict  # field name -> value (and link name -> labels), as records.state_at
    changed: list[str]  # field and link names, in the history's order
    past: Snapshot
    links: Links | None = None
    board_parts: frozenset = frozenset()
    lineage: set[int] | None = None

    def labels(self, keys) -> list[str]:
        labels = {
            **LINK_LABELS,
            **{spec.name: spec.label for spec in KINDS[self.kind].fields},
            "main": MAIN_BOARD,
            "involved": INVOLVED_BOARDS,
            "reorganised": REORGANISED,
            "continues": LINEAGE,
        }
        return [_lower(str(labels[key])) for key in keys]


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def plan_restore(kind: RecordKind, record, transaction_id: int) -> Restore | None:
    """What restoring `record` to its version at `transaction_id` would change; None when
    it already looks like that. Raises RuleViolation when the record did not exist then."""
    versions = load_versions(kind, record.id)
    target = versions.state_at(transaction_id) if versions else None
    if target is None:
        raise RuleViolation("transaction", _l("Posten fanns inte vid den tidpunkten."))
    current = versions.state_at(max(versions.transaction_ids))
    spec = KINDS[kind]
    changed = [
        field.name
        for field in spec.fields
        if not _is_own_action(kind, field.name)
        and current.get(field.name) != target.get(field.name)
        and (current.get(field.name) or None) != (target.get(field.name) or None)
    ]
    changed += [
        link
        for link in spec.links
        if link not in ("boards", "continues")
        and set(current.get(link, [])) != set(target.get(link, []))
    ]
    restore = Restore(kind, record, target, changed, Snapshot.at(transaction_id))
    # The kind's links that a restore sets from the past itself (rather than through a
    # form's field): the responsible boards with their days, and the lineage.
    if "boards" in spec.links:
        restore.links = _target_links(record, restore.past)
        restore.board_parts = frozenset(_board_changes(_current_links(record), restore.links))
    if "continues" in spec.links:
        restore.lineage = _target_lineage(record, restore.past)
        if restore.lineage != _current_lineage(record):
            restore.changed.append("continues")
    if not restore.changed and not restore.board_parts:
        return None
    return restore


# --- who may ----------------------------------------------------------------------------


def refusal(user: User, restore: Restore) -> str | None:
    """The message refusing the restore for `user`, or None when every part it changes is
    one the user may change through the normal forms."""
    kind, record = restore.kind, restore.record
    parts = PARTS[kind]
    changing = [*restore.changed, *sorted(restore.board_parts)]
    owned = {name: part for part in parts for name in part.names}
    fixed = [name for name in changing if name not in owned]
    refused: dict[str, list[str]] = {}
    for name in changing:
        part = owned.get(name)
        if part is not None and not part.may(user, record):
            who = _structure_who(kind.plan_of(record)) if part.who == STRUCTURE else ADMINS
            refused.setdefault(who, []).append(name)
    messages = [
        _message(who, _join(restore.labels(parts_refused)))
        for who, parts_refused in refused.items()
    ]
    if fixed:
        messages.append(_message(FIXED, _join(restore.labels(fixed))))
    return " ".join(messages) or None


def _join(labels: list[str]) -> str:
    """ "a", "a och b", "a, b och c"."""
    if len(labels) < 2:
        return "".join(labels)
    return str(_l("%(first)s och %(last)s", first=", ".join(labels[:-1]), last=labels[-1]))


# --- doing it ---------------------------------------------------------------------------


def restore_version(user: User, kind: RecordKind, record, transaction_id: int) -> bool:
    """Make `record` (and its links) look as it did at `transaction_id`, as `user`.

    Returns False when the record already looks like that (nothing is written). Raises
    NotAllowed when the user may not restore the record at all (can_restore),
    RestoreNotAllowed naming the parts the user may not change, RuleViolation when the
    record did not exist then or a rule of the record's service refuses the result
    (a code already taken, years, ...), EditConflict from the service's lock."""
    kind = RecordKind(kind)
    if not can_restore(user, kind, record):
        raise NotAllowed()
    restore = plan_restore(kind, record, transaction_id)
    if restore is None:
        return False
    # The forms of a plan's records edit only what the archived rule does not hide
    # (visible_or_404); boards are edited archived or not.
    if kind.in_plan and is_hidden(record):
        raise RuleViolation(
            "archived_at",
            _l(
                "Posten är arkiverad eller ligger under en arkiverad post och kan inte ändras. "
                "Ta tillbaka den från arkivet först."
            ),
        )
    message = refusal(user, restore)
    if message is not None:
        raise RestoreNotAllowed(message)
    APPLY[kind](user, restore)
    db.session.flush()
    return True


def _values(restore: Restore, fields) -> dict:
    return {name: restore.target[name] for name in fields}


def _apply_strategy(user: User, restore: Restore) -> None:
    save_strategy(user, restore.record, _values(restore, PARTS[RecordKind.STRATEGY][0].names))


def _apply_plan(user: User, restore: Restore) -> None:
    fields = [name for part in PARTS[RecordKind.PLAN] for name in part.names]
    save_plan(user, restore.record, _values(restore, fields))


def _apply_focus_area(user: User, restore: Restore) -> None:
    area = restore.record
    save_focus_area(user, area.plan, area, _values(restore, PARTS[RecordKind.FOCUS_AREA][0].names))


def _apply_sub_goal(user: User, restore: Restore) -> None:
    sub_goal = restore.record
    tags = {kind: [] for kind in TAG_KINDS}
    for tag in _target_tags(sub_goal, restore.past):
        tags[tag.kind].append(tag.name)
    values = _values(restore, names(SUB_GOAL_FIELDS))
    save_sub_goal(user, sub_goal.focus_area, sub_goal, values, None, tags, sub_goal.lock_version)
    if restore.board_parts:
        _set_board_links(sub_goal, restore.links)
    if "continues" in restore.changed:
        _set_lineage(user, sub_goal, restore.lineage)


def _set_board_links(sub_goal: SubGoal, target: Links) -> None:
    """The links as they were, with their order and days. A board no longer in use is not
    made responsible again (the sub-goal form offers only current boards)."""
    present = {link.board_id: link for link in sub_goal.board_links}
    for board_id in target.rows.keys() - present.keys():
        board = db.session.get(Board, board_id)
        if board is None or board.is_archived:
            raise RuleViolation(
                "boards",
                _l(
                    "Återställningen skulle göra %(board)s ansvarig, men den är arkiverad.",
                    board=board.name if board else board_id,
                ),
            )
    kept = []
    for board_id, (position, start, end) in target.rows.items():
        link = present.get(board_id) or SubGoalBoard(
            board=db.session.get(Board, board_id), board_id=board_id
        )
        link.position, link.valid_from, link.valid_to = position, start, end
        kept.append(link)
    sub_goal.board_links = kept


def _set_lineage(user: User, sub_goal: SubGoal, wanted: set[int]) -> None:
    current = _current_lineage(sub_goal)
    for continues_id in current - wanted:
        unlink_sub_goal(user, sub_goal, continues_id)
    for continues_id in sorted(wanted - current):
        earlier = db.session.get(SubGoal, continues_id)
        if earlier is None or earlier.is_archived:
            raise RuleViolation(
                "continues",
                _l(
                    "Återställningen skulle koppla delmålet till %(code)s, som är arkiverat.",
                    code=earlier.code if earlier else continues_id,
                ),
            )
        link_sub_goal(user, sub_goal, earlier)


def _apply_follow_up(user: User, restore: Restore) -> None:
    follow_up = restore.record
    values = _values(restore, PARTS[RecordKind.FOLLOW_UP][0].names)
    record_follow_up(user, follow_up.sub_goal, follow_up.year, values, follow_up.lock_version)


def _apply_activity(user: User, restore: Restore) -> None:
    activity = restore.record
    values = _values(restore, PARTS[RecordKind.ACTIVITY][0].names)
    save_activity(user, activity.sub_goal, activity, values, activity.lock_version)


def _apply_board(user: User, restore: Restore) -> None:
    values = _values(restore, PARTS[RecordKind.BOARD][0].names)
    update_board(user, restore.record, values["name"], values["administration"], values["kind"])


def _refuse(user: User, restore: Restore) -> None:
    raise NotAllowed()


APPLY: dict[RecordKind, Callable[[User, Restore], None]] = {
    RecordKind.STRATEGY: _apply_strategy,
    RecordKind.PLAN: _apply_plan,
    RecordKind.FOCUS_AREA: _apply_focus_area,
    RecordKind.SUB_GOAL: _apply_sub_goal,
    RecordKind.FOLLOW_UP: _apply_follow_up,
    RecordKind.ACTIVITY: _apply_activity,
    RecordKind.BOARD: _apply_board,
    RecordKind.USER: _refuse,
}
