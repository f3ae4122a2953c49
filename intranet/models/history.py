"""The history transaction: who changed what, when, from where and why."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy_continuum.transaction import TransactionBase

from intranet.core.clock import utc_now
from intranet.extensions import db


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


class IntegrityCheck(db.Model):
    """The result of one verification of the history (`flask audit verify` or an auditor's
    "verify now"), shown on the integrity page.

    Neither versioned nor chained, on purpose: it records that a check ran. It is signed
    with the checkpoint key, which the database's writers do not hold, so the page tells a
    forged or edited result from a real one; the check itself (its exit status, run where
    the database's writers cannot reach) remains the evidence.
    """

    __tablename__ = "integrity_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(10))  # "cli" or "web"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    transactions: Mapped[int] = mapped_column(Integer, default=0)
    version_rows: Mapped[int] = mapped_column(Integer, default=0)
    checkpoints: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    head_transaction_id: Mapped[int | None] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    # The first problems, one a line, as the command prints them.
    summary: Mapped[str | None] = mapped_column(Text)
    # Ids of the transactions still inside the grace window, comma-separated.
    pending: Mapped[str | None] = mapped_column(Text)
    # Ed25519 signature (base64) with the checkpoint key over the fields above: a row a
    # database writer inserts or edits has none that holds (see integrity.result_signed).
    signature: Mapped[str | None] = mapped_column(Text)

    user = relationship("User")


class IntegrityLease(db.Model):
    """Who holds a long job over the history (the web's "verify now"), until when: one row
    per job name, claimed by a conditional UPDATE, so one runs at a time across every
    worker and server. Not history: it proves nothing and expires by itself when its
    holder dies."""

    __tablename__ = "integrity_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)

    user = relationship("User")
