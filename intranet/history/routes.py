"""Record history with diffs, comparing versions, restore, archiving, the audit log."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from intranet.auth.policies import (
    can_archive,
    can_read_audit_log,
    can_read_record_history,
    can_restore,
    can_verify_history,
    require,
)
from intranet.core import clock
from intranet.core.errors import EditConflict, RuleViolation
from intranet.core.numbers import MAX_BIG_INTEGER, parse_whole
from intranet.core.translation import lazy_gettext as _l
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.history import queries, records, restoring, services
from intranet.history.restoring import RestoreNotAllowed
from intranet.integrity import service as integrity
from intranet.models import RecordKind, Transaction
from intranet.web.forms import ArchiveForm
from intranet.web.spreadsheets import CSV_MIMETYPE, write_csv
from intranet.web.views import attachment, get_or_404, page_or_block, show_violation

bp = Blueprint("history", __name__)


def _kind(name: str) -> RecordKind:
    """The kind named by the URL segment; 404 for any other name."""
    kind = RecordKind.parse(name)
    if kind is None:
        abort(404)
    return kind


def _load(name: str, record_id: int):
    """The kind named by the URL, its description and the record, archived or not (404
    when either is unknown): history is where archived records are found again."""
    kind = _kind(name)
    spec = records.KINDS[kind]
    return kind, spec, get_or_404(spec.model, record_id)


def _sub_goal_page(record, **args) -> str:
    return url_for("plans.sub_goal", sub_goal_id=record.id, **args)


def _parent_sub_goal_page(record, **args) -> str:
    return url_for("plans.sub_goal", sub_goal_id=record.sub_goal_id, **args)


def _plan_page(record, **args) -> str:
    return url_for("plans.show", plan_id=record.id, **args)


def _parent_plan_page(record, **args) -> str:
    return url_for("plans.show", plan_id=record.plan_id, **args)


@dataclass(frozen=True)
class Pages:
    """Where a kind's records are shown in the normal views: `page` (None: nowhere),
    `as_of` the page that shows one as it stood at a moment (None: none does), and `back`
    where to go once it is archived."""

    page: Callable[..., str] | None
    as_of: Callable[..., str] | None
    back: Callable[[object], str]


def _plans_index(record=None, **args) -> str:
    return url_for("plans.index")


PAGES: dict[RecordKind, Pages] = {
    RecordKind.STRATEGY: Pages(_plans_index, None, _plans_index),
    RecordKind.PLAN: Pages(_plan_page, _plan_page, _plans_index),
    RecordKind.FOCUS_AREA: Pages(_parent_plan_page, None, _parent_plan_page),
    RecordKind.SUB_GOAL: Pages(
        _sub_goal_page,
        _sub_goal_page,
        lambda sub_goal: url_for("plans.show", plan_id=sub_goal.focus_area.plan_id),
    ),
    RecordKind.FOLLOW_UP: Pages(
        _parent_sub_goal_page, _parent_sub_goal_page, _parent_sub_goal_page
    ),
    RecordKind.ACTIVITY: Pages(_parent_sub_goal_page, _parent_sub_goal_page, _parent_sub_goal_page),
    RecordKind.BOARD: Pages(None, None, _plans_index),
    RecordKind.USER: Pages(None, None, _plans_index),
}


def record_page_url(kind: RecordKind, record) -> str | None:
    """Where the record is shown in the normal views (None when it has no page)."""
    page = PAGES[kind].page
    if page is None or getattr(record, "is_archived", False):
        return None
    return page(record)


def as_of_url(kind: RecordKind, record, transaction: Transaction) -> str | None:
    """The page that shows the record as it stood right after `transaction`."""
    page = PAGES[kind].as_of
    if page is None:
        return None
    return page(record, as_of=format_datetime(transaction.issued_at, "yyyy-MM-dd'T'HH:mm"))


def _history_context(kind: RecordKind, spec, record, **extra) -> dict:
    versions = records.load_versions(kind, record.id)
    entries = records.history(versions) if versions else []
    return {
        "archive_form": ArchiveForm(formdata=None),
        "authors": queries.authors([entry.transaction for entry in entries]),
        "kind": kind,
        "spec": spec,
        "record": record,
        "label": records.record_label(kind, record),
        "entries": entries,
        "page_url": record_page_url(kind, record),
        "archivable": kind.archivable,
        "as_of_url": lambda transaction: as_of_url(kind, record, transaction),
        **extra,
    }


@bp.get("/history/<kind>/<int:record_id>")
@login_required
def record(kind: str, record_id: int):
    kind, spec, record = _load(kind, record_id)
    require(can_read_record_history(current_user, kind, record))
    return page_or_block("history/record.html", "versions", **_history_context(kind, spec, record))


def _transaction_arg(name: str) -> int | None:
    return parse_whole(request.args.get(name), 1, MAX_BIG_INTEGER)


@bp.get("/history/<kind>/<int:record_id>/compare")
@login_required
def compare(kind: str, record_id: int):
    kind, spec, record = _load(kind, record_id)
    require(can_read_record_history(current_user, kind, record))
    versions = records.load_versions(kind, record.id)
    if versions is None:
        abort(404)
    comparison = queries.compare_versions(
        kind, versions, _transaction_arg("a"), _transaction_arg("b")
    )
    return page_or_block(
        "history/compare.html",
        "comparison",
        status=400 if comparison.error else 200,
        kind=kind,
        spec=spec,
        record=record,
        label=records.record_label(kind, record),
        **comparison.context(),
    )


@bp.post("/history/<kind>/<int:record_id>/restore/<int:transaction_id>")
@login_required
def restore(kind: str, record_id: int, transaction_id: int):
    kind, spec, record = _load(kind, record_id)
    require(can_restore(current_user, kind, record))
    transaction = get_or_404(Transaction, transaction_id)
    # Records without a version counter post none; one that is posted must be a number,
    # or the restore would go ahead unchecked.
    posted = request.form.get("lock_version") or None
    expected = parse_whole(posted) if posted is not None else None
    if posted is not None and expected is None:
        abort(400)
    try:
        services.check_lock_version(record, expected)
        set_change_note(services.restore_note(transaction))
        changed = restoring.restore_version(current_user, kind, record, transaction_id)
        db.session.commit()
    except (EditConflict, StaleDataError):
        db.session.rollback()
        return _conflict(kind, spec, record_id)
    except (RestoreNotAllowed, RuleViolation) as refused:
        return _restore_refused(kind, spec, record_id, refused)
    if changed:
        flash(services.restore_note(transaction), "success")
    else:
        flash(_l("Posten ser redan ut så; inget ändrades."), "info")
    return redirect(url_for("history.record", kind=kind, record_id=record_id))


def _conflict(kind, spec, record_id):
    record = db.session.get(spec.model, record_id)
    message = _l("Någon annan har ändrat posten under tiden. Se den senaste versionen nedan.")
    return page_or_block(
        "history/record.html",
        "versions",
        status=409,
        **_history_context(kind, spec, record, conflict=message),
    )


def _restore_refused(kind, spec, record_id, refused):
    """The history again with why nothing was restored: 403 when the version would change
    parts the user may not change, 422 when a rule of the record refuses it."""
    db.session.rollback()
    record = db.session.get(spec.model, record_id)
    return page_or_block(
        "history/record.html",
        "versions",
        status=403 if isinstance(refused, RestoreNotAllowed) else 422,
        **_history_context(kind, spec, record, conflict=_refusal_text(refused)),
    )


def _refusal_text(refused) -> str:
    if isinstance(refused, RestoreNotAllowed):
        return refused.message
    return str(_l("Versionen kan inte återställas: %(reason)s", reason=refused.message))


def _archive_target(name: str, record_id: int):
    kind, spec, record = _load(name, record_id)
    if not kind.archivable:
        abort(404)
    require(can_archive(current_user, kind, record))
    return kind, spec, record


@bp.post("/archive/<kind>/<int:record_id>")
@login_required
def archive(kind: str, record_id: int):
    kind, spec, record = _archive_target(kind, record_id)
    form = ArchiveForm()
    if not _archive_change(form, services.archive_record, kind, record, _l("Arkiverad")):
        return _archive_refused(kind, spec, record_id, form)
    flash(
        _l(
            "%(what)s arkiverades. Det går att ta tillbaka från historiken.",
            what=records.record_label(kind, record),
        ),
        "success",
    )
    return redirect(PAGES[kind].back(record))


@bp.post("/archive/<kind>/<int:record_id>/undo")
@login_required
def unarchive(kind: str, record_id: int):
    kind, spec, record = _archive_target(kind, record_id)
    form = ArchiveForm()
    if not _archive_change(
        form, services.unarchive_record, kind, record, _l("Tillbaka från arkivet")
    ):
        return _archive_refused(kind, spec, record_id, form)
    flash(
        _l("%(what)s är tillbaka från arkivet.", what=records.record_label(kind, record)),
        "success",
    )
    return redirect(url_for("history.record", kind=kind, record_id=record_id))


def _archive_change(form: ArchiveForm, change, kind: RecordKind, record, default_note) -> bool:
    """Archive or bring back with the form's note; False (with the form's errors) when
    refused."""
    if not form.validate_on_submit():
        return False
    try:
        set_change_note(form.note.data or str(default_note))
        change(current_user, kind, record)
        db.session.commit()
    except RuleViolation as violation:
        show_violation(form, violation)
        return False
    return True


def _archive_refused(kind: RecordKind, spec, record_id: int, form: ArchiveForm):
    record = db.session.get(spec.model, record_id)
    return page_or_block(
        "history/record.html",
        "archive_form",
        status=422,
        **_history_context(kind, spec, record, archive_form=form),
    )


@bp.get("/audit")
@login_required
def audit():
    require(can_read_audit_log(current_user))
    filters = queries.parse_filters(request.args)
    before = _transaction_arg("before")
    transactions, next_before = queries.audit_page(filters, before)
    return page_or_block(
        "history/audit.html",
        "results",
        status=400 if filters.errors else 200,
        filters=filters,
        transactions=transactions,
        authors=queries.authors(transactions),
        changed=queries.changed_records([transaction.id for transaction in transactions]),
        next_before=next_before,
        before=before,
        **queries.filter_choices(),
    )


@bp.get("/audit/integrity")
@login_required
def integrity_page():
    require(can_read_audit_log(current_user))
    check = integrity.latest_verification()
    may_verify = can_verify_history(current_user)
    return render_template(
        "history/integrity.html",
        check=check,
        check_signed=check is not None and integrity.result_signed(check),
        wait_minutes=integrity.minutes_until_allowed(current_user) if may_verify else 0,
        checkpoint=integrity.latest_checkpoint_status(),
        key=integrity.key_status(current_app._get_current_object()),
        running=integrity.running_verification(),
        may_verify=may_verify,
    )


def _flash_start(start: integrity.Start) -> None:
    # A verification started shows as running in the page's own status, which the result
    # replaces: a flash would stay beside the result.
    if start.outcome == "started":
        return
    if start.outcome == "running":
        lease = start.lease
        flash(
            _l(
                "Verifiering pågår redan (startad %(time)s av %(name)s).",
                time=format_datetime(lease.started_at, "HH:mm") if lease else "–",
                name=lease.user.display_name if lease and lease.user else "–",
            ),
            "info",
        )
    else:
        flash(
            _l(
                "Du startade nyss en verifiering. Du kan starta en ny om %(minutes)s minuter.",
                minutes=start.minutes,
            ),
            "info",
        )


@bp.post("/audit/integrity/verify")
@login_required
def verify_now():
    require(can_verify_history(current_user))
    _flash_start(integrity.start_verification(current_user))
    return redirect(url_for("history.integrity_page"))


@bp.get("/audit.csv")
@login_required
def audit_csv():
    require(can_read_audit_log(current_user))
    filters = queries.parse_filters(request.args)
    if filters.errors:
        abort(400)
    headers = [
        "transaktion",
        "tid",
        "användarnamn",
        "namn vid ändringen",
        "adress",
        "kommentar",
        "ändrade poster",
    ]
    filename = f"granskningslogg-{clock.today().isoformat()}.csv"
    return attachment(write_csv(headers, _audit_rows(filters)), CSV_MIMETYPE, filename)


def _audit_rows(filters):
    """Every matching transaction, newest first, read in keyset pages of 500."""
    before = None
    while True:
        transactions, before = queries.audit_page(filters, before, per_page=500)
        changed = queries.changed_records([transaction.id for transaction in transactions])
        authors = queries.authors(transactions)
        for transaction in transactions:
            author = authors.get(transaction.id)
            yield (
                transaction.id,
                format_datetime(transaction.issued_at, "yyyy-MM-dd HH:mm:ss"),
                author.username if author else "",
                author.display_name if author else "",
                transaction.remote_addr,
                transaction.note,
                "; ".join(
                    f"{item.kind_label}: {item.label}" for item in changed.get(transaction.id, [])
                ),
            )
        if before is None:
            return
