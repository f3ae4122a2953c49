"""The history transaction: who changed what, when, from where and why."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy_continuum.transaction import TransactionBase

from intranet.extensions import db
from intranet.models.base import utc_now


class Transaction(TransactionBase, db.Model):
    """One database transaction that changed versioned data (Continuum's transaction table).

    Defined here rather than generated so that it carries the change note and the
    tamper-evidence hash chain.
    """

    __tablename__ = "transaction"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(50))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<Transaction {self.id} by {self.user_id} at {self.issued_at}>"
