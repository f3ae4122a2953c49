"""A plan's lifecycle: draft → active → closed, and an admin's reopening closed → active.

- draft: being set up; its structure may change freely, but no reporting round can be
  opened on it (there is nothing agreed to report on yet).
- active: followed up; rounds are opened and closed on it.
- closed: the period is over and the plan is read-only for everyone but admins, who may
  still correct follow-ups, activities and the structure (the permission predicates in
  intranet.auth.policies say so, and the templates ask them). No new rounds.
- An admin may reopen a closed plan (closed → active), with a reason, for instance when
  the closing was premature. A plan never goes back to draft: once reported on, its
  structure is a record of what was agreed.

Every transition is one versioned change of Plan.status with its note in the history.
"""

from intranet.auth.policies import can_change_plan_status
from intranet.core.errors import NotAllowed, RuleViolation
from intranet.core.translation import lazy_gettext as _l
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import Plan, User

MESSAGES = {
    ("draft", "active"): _l("Planen är aktiverad."),
    ("active", "closed"): _l("Planen är avslutad."),
    ("closed", "active"): _l("Planen är öppnad igen."),
}


def change_status(user: User, plan: Plan, target: str, note: str | None) -> str:
    """Move the plan to `target` along an allowed transition; returns the message to show.

    Reopening a closed plan must say why (the note goes into the history). Raises
    NotAllowed (not an admin), RuleViolation("status") for a move the lifecycle does not
    allow, RuleViolation("note") for a reopening without a reason."""
    if not can_change_plan_status(user, plan, target):
        if user.role == "admin":
            raise RuleViolation(
                "status",
                _l(
                    "En plan med status %(status)s kan inte få den statusen.",
                    status=plan.status_label,
                ),
            )
        raise NotAllowed()
    note = (note or "").strip()
    if plan.status == "closed" and not note:
        raise RuleViolation("note", _l("Ange varför planen öppnas igen."))
    set_change_note(note or str(MESSAGES[(plan.status, target)]))
    message = MESSAGES[(plan.status, target)]
    plan.status = target
    db.session.flush()
    return str(message)


def check_round_allowed(plan: Plan) -> None:
    """Reporting rounds are opened on active plans only: a draft is not agreed yet, a
    closed plan's period is over. Raises RuleViolation("plan_id")."""
    if plan.status == "draft":
        raise RuleViolation(
            "plan_id",
            _l("Planen är ett utkast. Aktivera planen innan en uppföljningsomgång öppnas."),
        )
    if plan.status == "closed":
        raise RuleViolation(
            "plan_id", _l("Planen är avslutad. Öppna planen igen för att följa upp den.")
        )
