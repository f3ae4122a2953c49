"""What a board writes itself in its yearly report: the closing comments."""

from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from intranet.core.errors import RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.extensions import db
from intranet.models.base import RuleChecked

MAX_COMMENT_LENGTH = 20_000


class ReportComment(RuleChecked, db.Model):
    """A board's closing comments ("Avslutande kommentarer") on a plan, for one year or,
    with no year, for the whole plan period."""

    __tablename__ = "report_comment"
    __versioned__ = {}
    __table_args__ = (
        UniqueConstraint("plan_id", "board_id", "year"),
        # NULLs are distinct in a unique constraint: the whole period's comment (no year)
        # needs its own index, or two first saves at once would make two of them.
        Index(
            "uq_report_comment_period",
            "plan_id",
            "board_id",
            unique=True,
            sqlite_where=text("year IS NULL"),
            postgresql_where=text("year IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    def check_rules(self) -> None:
        super().check_rules()
        if len(self.text or "") > MAX_COMMENT_LENGTH:
            raise RuleViolation(
                "text", _l("Texten får vara högst %(n)s tecken.", n=MAX_COMMENT_LENGTH)
            )
