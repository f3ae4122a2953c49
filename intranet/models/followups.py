"""Yearly follow-ups of sub-goals and the reporting rounds that collect them."""

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.core.errors import RuleViolation
from intranet.core.fields import UserField, names
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models.base import Archivable, RuleChecked, related
from intranet.models.plans import Plan, SubGoal

STATUSES = {
    "not_started": _l("Ej påbörjad"),
    "ongoing": _l("Pågår"),
    "done": _l("Genomförd"),
    "partly_done": _l("Delvis genomförd"),
    "not_done": _l("Ej genomförd/uteblivit"),
    "cancelled": _l("Avbruten"),
}

# A follow-up with one of these statuses must explain why: the point of the tool.
DEVIATION_STATUSES = frozenset({"partly_done", "not_done", "cancelled"})

DEVIATION_REASONS = {
    "external": _l("Yttre omständigheter (t.ex. pandemi)"),
    "resources": _l("Resurs- eller personalbrist"),
    "partner": _l("Samverkanspart saknas eller har slutat"),
    "reprioritised": _l("Ändrad prioritering eller arbetssätt"),
    "schedule": _l("Förskjuten tidsplan"),
    "other": _l("Annat skäl"),
}

MAX_TEXT_LENGTH = 10_000
MAX_DEVIATION_TEXT_LENGTH = 2_000

# The follow-up's fields as users edit them, in the order they are shown: the form, the
# model's checks, the history's labels, the round workbook and the plan export all come
# from here. A new field: its column below, a migration, an entry here, and the template.
FOLLOW_UP_FIELDS = (
    UserField(
        "status",
        _l("Status"),
        choices=STATUSES,
        required=True,
        invalid=_l("Välj en status i listan."),
        default="not_started",
        width=20,
    ),
    UserField(
        "outcome",
        _l("Redovisning"),
        max_length=MAX_TEXT_LENGTH,
        multiline=True,
        description=_l("Vad har gjorts under året och med vilket resultat?"),
        width=60,
    ),
    UserField(
        "deviation_reason",
        _l("Orsak till avvikelse"),
        column=_l("Avvikelseorsak"),
        choices=DEVIATION_REASONS,
        empty_choice=_l("– Ingen avvikelse –"),
        invalid=_l("Välj en avvikelseorsak i listan."),
        description=_l("Krävs när status är Delvis genomförd, Ej genomförd eller Avbruten."),
    ),
    UserField(
        "deviation_text",
        _l("Beskrivning av avvikelsen"),
        column=_l("Beskrivning av avvikelse"),
        max_length=MAX_DEVIATION_TEXT_LENGTH,
        multiline=True,
        width=50,
    ),
    UserField("next_steps", _l("Nästa steg"), max_length=MAX_TEXT_LENGTH, multiline=True, width=50),
)
FOLLOW_UP_FIELD_NAMES = names(FOLLOW_UP_FIELDS)


class FollowUpLabels:
    """Status and deviation labels of anything with `status` and `deviation_reason`: the
    follow-up itself, and the plain rows that matrices, reports and past views read."""

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status or ""))

    @property
    def is_deviation(self) -> bool:
        return self.status in DEVIATION_STATUSES

    @property
    def deviation_label(self) -> str | None:
        if not self.is_deviation or not self.deviation_reason:
            return None
        return str(DEVIATION_REASONS.get(self.deviation_reason, self.deviation_reason))


def deviation_problems(status: str, reason: str | None, text: str | None) -> dict[str, str]:
    """The deviation-reason rule: a follow-up that is not done as planned must say why.

    Returns the message per field, empty when the rule holds.
    """
    if status not in DEVIATION_STATUSES:
        return {}
    problems = {}
    if not reason:
        problems["deviation_reason"] = _l(
            "Ange orsak till avvikelsen när målet inte är genomfört enligt plan."
        )
    if not (text or "").strip():
        problems["deviation_text"] = _l("Beskriv avvikelsen och varför den uppstod.")
    return problems


class FollowUp(FollowUpLabels, Archivable, RuleChecked, db.Model):
    """One sub-goal's follow-up for one reporting year."""

    __tablename__ = "follow_up"
    __versioned__ = {}
    __table_args__ = (UniqueConstraint("sub_goal_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_goal_id: Mapped[int] = mapped_column(ForeignKey("sub_goal.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    outcome: Mapped[str | None] = mapped_column(Text)
    deviation_reason: Mapped[str | None] = mapped_column(String(20))
    deviation_text: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    sub_goal: Mapped[SubGoal] = relationship(back_populates="follow_ups")

    __mapper_args__ = {"version_id_col": lock_version}

    def check_rules(self) -> None:
        """Allowed values, lengths, the plan's years, and the deviation-reason rule."""
        super().check_rules()
        for field in FOLLOW_UP_FIELDS:
            field.check(getattr(self, field.name))
        plan = related(self, "sub_goal", SubGoal, "sub_goal_id").plan
        if self.year is None or not plan.start_year <= self.year <= plan.end_year:
            raise RuleViolation(
                "year",
                _l(
                    "Året måste ligga inom planens period (%(a)s–%(b)s).",
                    a=plan.start_year,
                    b=plan.end_year,
                ),
            )
        for field, message in deviation_problems(
            self.status, self.deviation_reason, self.deviation_text
        ).items():
            raise RuleViolation(field, message)


class ReportingRound(RuleChecked, db.Model):
    """The yearly follow-up of a plan as a process with a deadline."""

    __tablename__ = "reporting_round"
    __versioned__ = {}
    __table_args__ = (UniqueConstraint("plan_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    year: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)

    plan: Mapped[Plan] = relationship()

    @staticmethod
    def locks(plan_id: int, year: int) -> bool:
        """A plan's follow-ups for a year are locked once that year's round is closed, and
        all of them once the plan is closed (admins may still correct them)."""
        # One statement: routes and services both ask it on every save.
        row = db.session.execute(
            select(Plan.status, ReportingRound.is_open)
            .outerjoin(
                ReportingRound,
                and_(ReportingRound.plan_id == Plan.id, ReportingRound.year == year),
            )
            .where(Plan.id == plan_id)
        ).first()
        if row is None:
            return False
        return row.status == "closed" or row.is_open is False

    @staticmethod
    def closed_years() -> set[tuple[int, int]]:
        """(plan id, year) of every closed round, and every year of every closed plan, for
        pages that show many years at once: what `locks` says, all at once."""
        rows = db.session.execute(
            select(ReportingRound.plan_id, ReportingRound.year).where(
                ReportingRound.is_open.is_(False)
            )
        )
        locked = {(plan_id, year) for plan_id, year in rows}
        for plan in db.session.execute(
            select(Plan.id, Plan.start_year, Plan.end_year).where(Plan.status == "closed")
        ):
            locked.update((plan.id, year) for year in range(plan.start_year, plan.end_year + 1))
        return locked

    def check_rules(self) -> None:
        super().check_rules()
        plan = related(self, "plan", Plan, "plan_id")
        if self.year is None or not plan.start_year <= self.year <= plan.end_year:
            raise RuleViolation(
                "year",
                _l(
                    "Året måste ligga inom planens period (%(a)s–%(b)s).",
                    a=plan.start_year,
                    b=plan.end_year,
                ),
            )
        if self.deadline is None:
            raise RuleViolation("deadline", _l("Ange ett sista datum."))
