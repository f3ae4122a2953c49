"""What a record looked like at each of its transactions, and what changed between two.

A record's state at transaction T is its version row valid at T plus its links (responsible
boards, tags, board memberships) valid at T, read from the association version tables, so
a change of links shows in the diff like a change of a field.
"""

import difflib
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy_continuum import version_class

from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models import (
    ACTIVITY_FIELDS,
    BOARD_KINDS,
    FOCUS_AREA_FIELDS,
    FOLLOW_UP_FIELDS,
    PLAN_FIELDS,
    ROLES,
    STRATEGY_FIELDS,
    SUB_GOAL_FIELDS,
    TAG_KINDS,
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Membership,
    Plan,
    Strategy,
    SubGoal,
    SubGoalBoard,
    SubGoalLineage,
    SubGoalTag,
    Tag,
    Transaction,
    User,
)
from intranet.models.plans import link_order
from intranet.reading.snapshot import rows_in_force

LONG_TEXT = 80  # characters; longer values get a word-level diff


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    choices: dict | None = None
    long: bool = False
    refers_to: str | None = None  # a kind: the value is that record's id, shown by its label


@dataclass(frozen=True)
class Kind:
    model: type
    label: object
    fields: tuple[Field, ...]
    links: tuple[str, ...] = ()


ARCHIVED = Field("archived_at", _l("Arkiverad"))


def declared(fields) -> tuple[Field, ...]:
    """A model's declared fields (intranet.core.fields.UserField) as the history shows them."""
    return tuple(
        Field(field.name, field.heading, field.choices, long=field.multiline) for field in fields
    )


KINDS: dict[str, Kind] = {
    "strategy": Kind(Strategy, _l("Strategi"), (*declared(STRATEGY_FIELDS), ARCHIVED)),
    "plan": Kind(
        Plan,
        _l("Handlingsplan"),
        (
            *declared(PLAN_FIELDS),
            Field("strategy_id", _l("Strategi"), refers_to="strategy"),
            Field("owner_board_id", _l("Planägare"), refers_to="board"),
            ARCHIVED,
        ),
    ),
    "focus_area": Kind(
        FocusArea,
        _l("Fokusområde"),
        (
            *declared(FOCUS_AREA_FIELDS),
            Field("plan_id", _l("Plan"), refers_to="plan"),
            Field("position", _l("Plats i ordningen")),
            ARCHIVED,
        ),
    ),
    "sub_goal": Kind(
        SubGoal,
        _l("Delmål"),
        (
            *declared(SUB_GOAL_FIELDS),
            Field("focus_area_id", _l("Fokusområde"), refers_to="focus_area"),
            Field("position", _l("Plats i ordningen")),
            ARCHIVED,
        ),
        links=("boards", *(f"tags:{kind}" for kind in TAG_KINDS), "continues"),
    ),
    "follow_up": Kind(
        FollowUp,
        _l("Uppföljning"),
        (Field("year", _l("År")), *declared(FOLLOW_UP_FIELDS), ARCHIVED),
    ),
    "activity": Kind(Activity, _l("Aktivitet"), (*declared(ACTIVITY_FIELDS), ARCHIVED)),
    "board": Kind(
        Board,
        _l("Nämnd"),
        (
            Field("name", _l("Namn")),
            Field("administration", _l("Förvaltning")),
            Field("kind", _l("Typ"), BOARD_KINDS),
            ARCHIVED,
        ),
    ),
    "user": Kind(
        User,
        _l("Användare"),
        (
            Field("username", _l("Användarnamn")),
            Field("display_name", _l("Namn")),
            Field("role", _l("Roll"), ROLES),
            Field("active", _l("Aktivt konto")),
            Field("locale", _l("Språk")),
            Field("password_changed_at", _l("Lösenord bytt")),
        ),
        links=("memberships",),
    ),
}

LINK_LABELS = {
    "boards": _l("Ansvarig nämnd"),
    "memberships": _l("Medlem i nämnd"),
    "continues": _l("Fortsätter delmål"),
    **{f"tags:{kind}": label for kind, label in TAG_KINDS.items()},
}


def kind_or_none(name: str) -> Kind | None:
    return KINDS.get(name)


def record_label(kind: str, record) -> str:
    """A short human label for a record or one of its version rows."""
    if kind in ("plan", "strategy"):
        return record.title
    if kind == "focus_area":
        return f"{record.number}. {record.title}"
    if kind == "sub_goal":
        return f"{record.code} {record.title}"
    if kind == "follow_up":
        sub_goal = db.session.get(SubGoal, record.sub_goal_id)
        code = sub_goal.code if sub_goal else "?"
        return str(_l("Delmål %(code)s, %(year)s", code=code, year=record.year))
    if kind == "activity":
        return record.title
    if kind == "board":
        return record.name
    if kind == "user":
        return record.display_name
    return str(getattr(record, "id", ""))


# --- states -----------------------------------------------------------------------------


@dataclass
class RecordVersions:
    """All version rows of one record and of its links: enough to rebuild any state."""

    kind: str
    record_id: int
    rows: list
    links: dict[str, list]  # link name -> [(version row, display name)]

    @property
    def transaction_ids(self) -> list[int]:
        ids = {row.transaction_id for row in self.rows}
        for pairs in self.links.values():
            ids |= {row.transaction_id for row, _ in pairs}
        return sorted(ids)

    def state_at(self, transaction_id: int) -> dict | None:
        """Field name -> raw value, link name -> sorted names; None if the record did not
        exist at that transaction."""
        rows = rows_in_force(self.rows, transaction_id)
        if not rows:
            return None
        row = rows[-1]
        state = {spec.name: getattr(row, spec.name) for spec in KINDS[self.kind].fields}
        state["_row"] = row
        for link, pairs in self.links.items():
            valid = {id(row) for row in rows_in_force([row for row, _ in pairs], transaction_id)}
            if link == "boards":
                state[link] = _board_labels([(r, name) for r, name in pairs if id(r) in valid])
            else:
                state[link] = sorted(name for row, name in pairs if id(row) in valid)
        return state


def _board_labels(pairs) -> list[str]:
    """The responsibility as recorded: main board first and marked, the days of a dated
    link (a reorganisation) with it, so that a change of order or date shows in the diff."""
    labels = []
    for index, (row, name) in enumerate(
        sorted(pairs, key=lambda pair: link_order(pair[0].position, pair[1]))
    ):
        marks = [str(_l("huvudansvarig"))] if index == 0 else []
        if row.valid_from is not None:
            marks.append(str(_l("från %(day)s", day=row.valid_from.isoformat())))
        if row.valid_to is not None:
            marks.append(str(_l("till %(day)s", day=row.valid_to.isoformat())))
        labels.append(f"{name} ({', '.join(marks)})" if marks else name)
    return labels


def _names(model, ids) -> dict[int, str]:
    """Current names of linked boards or tags (a renamed board keeps its identity)."""
    if not ids:
        return {}
    attribute = model.name
    return dict(db.session.execute(select(model.id, attribute).where(model.id.in_(ids))).all())


def _lineage_rows(sub_goal_id: int) -> list[tuple]:
    """The versions of the sub-goal's links to the earlier sub-goals it continues, each
    named by the earlier sub-goal's code, title and plan as they are now."""
    LineageLink = version_class(SubGoalLineage)
    rows = list(
        db.session.scalars(
            select(LineageLink)
            .where(LineageLink.sub_goal_id == sub_goal_id)
            .order_by(LineageLink.transaction_id)
        )
    )
    ids = {row.continues_id for row in rows}
    names = (
        {
            found.id: f"{found.code} {found.title} ({found.plan_title})"
            for found in db.session.execute(
                select(SubGoal.id, SubGoal.code, SubGoal.title, Plan.title.label("plan_title"))
                .join(FocusArea, FocusArea.id == SubGoal.focus_area_id)
                .join(Plan, Plan.id == FocusArea.plan_id)
                .where(SubGoal.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    return [(row, names.get(row.continues_id, "?")) for row in rows]


def load_versions(kind: str, record_id: int) -> RecordVersions | None:
    spec = KINDS[kind]
    Version = version_class(spec.model)
    rows = list(
        db.session.scalars(
            select(Version).where(Version.id == record_id).order_by(Version.transaction_id)
        )
    )
    if not rows:
        return None
    links: dict[str, list] = {}
    if kind == "sub_goal":
        BoardLink = version_class(SubGoalBoard)
        board_rows = list(
            db.session.scalars(
                select(BoardLink)
                .where(BoardLink.sub_goal_id == record_id)
                .order_by(BoardLink.transaction_id)
            )
        )
        names = _names(Board, {row.board_id for row in board_rows})
        links["boards"] = [(row, names.get(row.board_id, "?")) for row in board_rows]
        TagLink = version_class(SubGoalTag)
        tag_rows = list(
            db.session.scalars(
                select(TagLink)
                .where(TagLink.sub_goal_id == record_id)
                .order_by(TagLink.transaction_id)
            )
        )
        tags = {
            tag.id: tag
            for tag in db.session.scalars(
                select(Tag).where(Tag.id.in_({row.tag_id for row in tag_rows}))
            )
        }
        for tag_kind in TAG_KINDS:
            links[f"tags:{tag_kind}"] = [
                (row, tags[row.tag_id].name)
                for row in tag_rows
                if row.tag_id in tags and tags[row.tag_id].kind == tag_kind
            ]
        links["continues"] = _lineage_rows(record_id)
    elif kind == "user":
        MembershipVersion = version_class(Membership)
        member_rows = list(
            db.session.scalars(
                select(MembershipVersion)
                .where(MembershipVersion.user_id == record_id)
                .order_by(MembershipVersion.transaction_id)
            )
        )
        names = _names(Board, {row.board_id for row in member_rows})
        links["memberships"] = [(row, names.get(row.board_id, "?")) for row in member_rows]
    return RecordVersions(kind, record_id, rows, links)


# --- diffs ------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str = ""
    new: str = ""
    words: list[tuple[str, str]] | None = None  # (op, text): op in equal/insert/delete
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_link(self) -> bool:
        return bool(self.added or self.removed)


def display(spec: Field, value) -> str:
    from flask_babel import format_datetime

    if value is None or value == "":
        return "–"
    if spec.refers_to is not None:
        return _referenced_label(spec.refers_to, value)
    if spec.choices is not None:
        return str(spec.choices.get(value, value))
    if isinstance(value, bool):
        return str(_l("Ja")) if value else str(_l("Nej"))
    if hasattr(value, "hour"):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return str(value)


def _referenced_label(kind: str, record_id: int) -> str:
    record = db.session.get(KINDS[kind].model, record_id)
    return record_label(kind, record) if record else str(record_id)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff: runs of equal, deleted and inserted text, whitespace kept."""
    old_words, new_words = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", "".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("delete", "".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(("insert", "".join(new_words[b1:b2])))
    return parts


def diff_states(kind: str, old: dict | None, new: dict | None) -> list[Change]:
    """Field-level changes from `old` to `new` (either may be None: not existing)."""
    spec = KINDS[kind]
    old, new = old or {}, new or {}
    changes = []
    for field_spec in spec.fields:
        before, after = old.get(field_spec.name), new.get(field_spec.name)
        if before == after:
            continue
        change = Change(
            str(field_spec.label), display(field_spec, before), display(field_spec, after)
        )
        if change.old == change.new:  # e.g. "" and None: nothing a reader would call a change
            continue
        is_long = field_spec.long or max(len(str(before or "")), len(str(after or ""))) > LONG_TEXT
        if is_long and before and after:
            change.words = word_diff(str(before), str(after))
        changes.append(change)
    for link in spec.links:
        before, after = set(old.get(link, [])), set(new.get(link, []))
        if before != after:
            changes.append(
                Change(
                    str(LINK_LABELS[link]),
                    added=sorted(after - before),
                    removed=sorted(before - after),
                )
            )
    return changes


@dataclass
class HistoryEntry:
    transaction: Transaction
    changes: list[Change]
    created: bool


def history(versions: RecordVersions) -> list[HistoryEntry]:
    """The record's versions, newest first, each with its diff against the one before."""
    transaction_ids = versions.transaction_ids
    transactions = {
        transaction.id: transaction
        for transaction in db.session.scalars(
            select(Transaction).where(Transaction.id.in_(transaction_ids))
        )
    }
    entries = []
    previous = None
    for transaction_id in transaction_ids:
        state = versions.state_at(transaction_id)
        changes = diff_states(versions.kind, previous, state)
        if changes:
            # A version whose transaction row is gone is shown, not hidden: `flask audit
            # verify` names such damage, and the page must not fail on it.
            transaction = transactions.get(transaction_id) or Transaction(id=transaction_id)
            entries.append(HistoryEntry(transaction, changes, created=previous is None))
        previous = state
    entries.reverse()
    return entries
