"""Reads for the global audit log: filters, keyset pages, what each transaction changed."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from sqlalchemy import String, Text, and_, exists, or_, select
from sqlalchemy_continuum import version_class, versioning_manager

from intranet.core import clock
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.history.records import KINDS, diff_states, record_label
from intranet.models import (
    LOGGED_ONLY,
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Meeting,
    Membership,
    Plan,
    RecordKind,
    ReportingRound,
    SubGoal,
    SubGoalBoard,
    SubGoalTag,
    Transaction,
    User,
)
from intranet.reading.snapshot import in_force_at
from intranet.web.query_args import QueryArgs

PER_PAGE = 50


def local_zone() -> ZoneInfo:
    return clock.zone()


def local_to_utc(moment: datetime) -> datetime:
    """A naive local (Europe/Stockholm) time as naive UTC, like Transaction.issued_at."""
    aware = moment.replace(tzinfo=local_zone())
    return aware.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@dataclass
class AuditFilters:
    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    board_id: int | None = None
    plan_id: int | None = None
    kind: RecordKind | None = None
    text: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def as_args(self) -> dict:
        args = {
            "user": self.user_id,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "board": self.board_id,
            "plan": self.plan_id,
            "kind": self.kind,
            "q": self.text or None,
        }
        return {key: value for key, value in args.items() if value is not None}


def parse_filters(args) -> AuditFilters:
    """Filters from query parameters; unusable values are dropped with a message."""
    query = QueryArgs(args)
    filters = AuditFilters(errors=query.errors)
    filters.user_id = query.id("user", message=_l("Välj en användare i listan."))
    filters.board_id = query.id("board", message=_l("Välj en nämnd i listan."))
    filters.plan_id = query.id("plan", message=_l("Välj en plan i listan."))
    filters.date_from = query.day("from")
    filters.date_to = query.day("to")
    filters.kind = RecordKind.parse(query.code("kind", KINDS, _l("Välj en posttyp i listan.")))
    filters.text = query.raw("q")[:200]
    return filters


def _written_in(model, *conditions):
    Version = version_class(model)
    return exists().where(Version.transaction_id == Transaction.id, *conditions)


def _sub_goals_of_board(board_id: int):
    BoardLink = version_class(SubGoalBoard)
    return select(BoardLink.sub_goal_id).where(BoardLink.board_id == board_id)


def _board_condition(board_id: int):
    sub_goals = _sub_goals_of_board(board_id)
    return or_(
        _written_in(Board, version_class(Board).id == board_id),
        _written_in(Membership, version_class(Membership).board_id == board_id),
        _written_in(SubGoalBoard, version_class(SubGoalBoard).board_id == board_id),
        _written_in(SubGoal, version_class(SubGoal).id.in_(sub_goals)),
        _written_in(SubGoalTag, version_class(SubGoalTag).sub_goal_id.in_(sub_goals)),
        _written_in(FollowUp, version_class(FollowUp).sub_goal_id.in_(sub_goals)),
        _written_in(Activity, version_class(Activity).sub_goal_id.in_(sub_goals)),
    )


def _plan_condition(plan_id: int):
    FocusAreaVersion, SubGoalVersion = version_class(FocusArea), version_class(SubGoal)
    # Any focus area or sub-goal that ever belonged to the plan.
    focus_areas = select(FocusAreaVersion.id).where(FocusAreaVersion.plan_id == plan_id)
    sub_goals = select(SubGoalVersion.id).where(SubGoalVersion.focus_area_id.in_(focus_areas))
    return or_(
        _written_in(Plan, version_class(Plan).id == plan_id),
        _written_in(ReportingRound, version_class(ReportingRound).plan_id == plan_id),
        _written_in(FocusArea, FocusAreaVersion.plan_id == plan_id),
        _written_in(SubGoal, SubGoalVersion.focus_area_id.in_(focus_areas)),
        _written_in(SubGoalBoard, version_class(SubGoalBoard).sub_goal_id.in_(sub_goals)),
        _written_in(SubGoalTag, version_class(SubGoalTag).sub_goal_id.in_(sub_goals)),
        _written_in(FollowUp, version_class(FollowUp).sub_goal_id.in_(sub_goals)),
        _written_in(Activity, version_class(Activity).sub_goal_id.in_(sub_goals)),
    )


def _kind_condition(kind: RecordKind):
    spec = KINDS[kind]
    return or_(_written_in(spec.model), *(_written_in(link) for link, _ in spec.link_tables))


def _text_condition(text: str):
    conditions = [Transaction.note.icontains(text, autoescape=True)]
    for Version in versioning_manager.version_class_map.values():
        columns = [
            column for column in Version.__table__.columns if isinstance(column.type, String | Text)
        ]
        if columns:
            conditions.append(
                exists().where(
                    Version.transaction_id == Transaction.id,
                    or_(*(column.icontains(text, autoescape=True) for column in columns)),
                )
            )
    return or_(*conditions)


def audit_conditions(filters: AuditFilters) -> list:
    conditions = []
    if filters.user_id is not None:
        conditions.append(Transaction.user_id == filters.user_id)
    if filters.date_from is not None:
        conditions.append(
            Transaction.issued_at >= local_to_utc(datetime.combine(filters.date_from, time()))
        )
    # The last day there is has no day after it, and bounds nothing anyway.
    if filters.date_to is not None and filters.date_to < date.max:
        end = datetime.combine(filters.date_to + timedelta(days=1), time())
        conditions.append(Transaction.issued_at < local_to_utc(end))
    if filters.board_id is not None:
        conditions.append(_board_condition(filters.board_id))
    if filters.plan_id is not None:
        conditions.append(_plan_condition(filters.plan_id))
    if filters.kind is not None:
        conditions.append(_kind_condition(filters.kind))
    if filters.text:
        conditions.append(_text_condition(filters.text))
    return conditions


def audit_page(
    filters: AuditFilters, before: int | None = None, per_page: int = PER_PAGE
) -> tuple[list[Transaction], int | None]:
    """One page of transactions, newest first, older than `before` (keyset pagination:
    the index on the primary key finds the page start however deep it is). Returns the
    page and the `before` value of the next page, or None on the last page."""
    query = select(Transaction).where(*audit_conditions(filters))
    if before is not None:
        query = query.where(Transaction.id < before)
    rows = list(db.session.scalars(query.order_by(Transaction.id.desc()).limit(per_page + 1)))
    if len(rows) > per_page:
        return rows[:per_page], rows[per_page - 1].id
    return rows, None


@dataclass(frozen=True)
class Author:
    """Who made a transaction: the unique username, and the display name the user had then."""

    username: str
    display_name: str


def authors(transactions) -> dict[int, Author]:
    """The author of each transaction (none for the system's own), in one query however
    many transactions and users: the display name comes from the user's version valid at
    that transaction, so a later rename does not rewrite the past, and the username tells
    apart people who share a display name."""
    ids = [transaction.id for transaction in transactions if transaction.user_id is not None]
    if not ids:
        return {}
    UserVersion = version_class(User)
    rows = db.session.execute(
        select(Transaction.id, User.username, UserVersion.display_name, User.display_name)
        .join(User, User.id == Transaction.user_id)
        .outerjoin(
            UserVersion,
            and_(UserVersion.id == Transaction.user_id, in_force_at(UserVersion, Transaction.id)),
        )
        .where(Transaction.id.in_(ids))
    )
    # An account without a version at that transaction (written around the history) falls
    # back to its current name.
    return {
        transaction_id: Author(username, then or now)
        for transaction_id, username, then, now in rows
    }


@dataclass(frozen=True)
class ChangedRecord:
    kind: RecordKind | None  # None for records without a history page of their own
    kind_label: str
    record_id: int
    label: str


def changed_records(transaction_ids: list[int]) -> dict[int, list[ChangedRecord]]:
    """What each transaction wrote: type, label and id of every changed record."""
    found: dict[int, dict[tuple, ChangedRecord]] = {tx: {} for tx in transaction_ids}
    if not transaction_ids:
        return {}

    def add(transaction_id, kind, kind_label, record_id, label):
        key = (kind or str(kind_label), record_id)
        found[transaction_id].setdefault(
            key, ChangedRecord(kind, str(kind_label), record_id, label)
        )

    def written(model) -> list:
        Version = version_class(model)
        return db.session.scalars(
            select(Version).where(Version.transaction_id.in_(transaction_ids))
        ).all()

    rows = {kind: written(spec.model) for kind, spec in KINDS.items()}
    links = [(link, owner, key) for owner, spec in KINDS.items() for link, key in spec.link_tables]
    link_rows = {link: written(link) for link, _, _ in links}
    # Labels of follow-ups and links name their sub-goal or user: load those in one query
    # each, whatever the page holds, instead of one per record (kept referenced, so the
    # identity map also answers record_label's session.get).
    owner_ids: dict[RecordKind, set[int]] = {
        RecordKind.SUB_GOAL: {row.sub_goal_id for row in rows[RecordKind.FOLLOW_UP]}
    }
    for link, owner, key in links:
        owner_ids.setdefault(owner, set()).update(getattr(row, key) for row in link_rows[link])
    owners = {
        owner: {
            record.id: record
            for record in db.session.scalars(select(owner.model).where(owner.model.id.in_(ids)))
        }
        for owner, ids in owner_ids.items()
    }
    for kind, spec in KINDS.items():
        for row in rows[kind]:
            add(row.transaction_id, kind, spec.label, row.id, record_label(kind, row))
    for link, owner, key in links:
        for row in link_rows[link]:
            owner_id = getattr(row, key)
            record = owners[owner].get(owner_id)
            label = record_label(owner, record) if record else str(owner_id)
            add(row.transaction_id, owner, owner.label, owner_id, label)
    for model, kind_label in LOGGED_ONLY.items():
        Version = version_class(model)
        for row in db.session.scalars(
            select(Version).where(Version.transaction_id.in_(transaction_ids))
        ):
            label = getattr(row, "title", None) or getattr(row, "name", None) or str(row.id)
            if model is ReportingRound:
                label = str(row.year)
            elif model is Meeting and row.started_at:
                label = format_datetime(row.started_at, "yyyy-MM-dd HH:mm")
            add(row.transaction_id, None, kind_label, row.id, label)
    return {tx: list(records.values()) for tx, records in found.items()}


def filter_choices() -> dict:
    return {
        "users": db.session.scalars(select(User).order_by(User.display_name, User.username)).all(),
        "boards": db.session.scalars(select(Board).order_by(Board.name)).all(),
        "plans": db.session.scalars(select(Plan).order_by(Plan.start_year, Plan.title)).all(),
        "kinds": [(kind, str(spec.label)) for kind, spec in KINDS.items()],
    }


@dataclass
class Comparison:
    """Two versions of one record side by side: the changes between them, or why not."""

    first: int | None
    second: int | None
    changes: list
    error: str | None
    choices: list[Transaction]
    first_transaction: Transaction | None
    second_transaction: Transaction | None

    def context(self) -> dict:
        """What the comparison page shows, by the names its template uses."""
        shown = [tx for tx in (self.first_transaction, self.second_transaction) if tx]
        return {**self.__dict__, "authors": authors(shown)}


def compare_versions(
    kind: RecordKind, versions, first: int | None, second: int | None
) -> Comparison:
    """The record's state after transaction `first` against after `second` (in either
    order), with the transactions a user may pick from."""
    error, changes = None, []
    if first is None or second is None:
        error = _l("Välj två versioner att jämföra.")
    else:
        first, second = sorted((first, second))
        old, new = versions.state_at(first), versions.state_at(second)
        if old is None or new is None:
            error = _l("Posten fanns inte vid en av de valda versionerna.")
        else:
            changes = diff_states(kind, old, new)
    transactions = {
        transaction.id: transaction
        for transaction in db.session.scalars(
            select(Transaction).where(Transaction.id.in_(versions.transaction_ids))
        )
    }
    return Comparison(
        first,
        second,
        changes,
        error,
        [transactions.get(tx) or Transaction(id=tx) for tx in reversed(versions.transaction_ids)],
        transactions.get(first) or db.session.get(Transaction, first or 0),
        transactions.get(second) or db.session.get(Transaction, second or 0),
    )
