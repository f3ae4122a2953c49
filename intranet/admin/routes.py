from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from intranet.accounts.directory import directory_configured
from intranet.admin import queries, services
from intranet.admin.forms import ConfirmForm, NewUserForm, PasswordForm, UserForm
from intranet.auth.gates import gate
from intranet.auth.policies import can_manage_users
from intranet.core.errors import RuleViolation
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import User
from intranet.web.security import submitted_by_hand
from intranet.web.views import get_or_404, page_or_block, saved, show_violation

bp = Blueprint("admin", __name__, url_prefix="/admin")


gate(bp, can_manage_users)


@bp.before_request
def _only_by_hand():
    # Accounts and roles change only by the administrator's own hand: a request that markup
    # could send on its own is refused (the 400 page asks to reload and try again).
    if request.method == "POST" and not submitted_by_hand():
        abort(400)
    return None


@bp.get("/users")
def users():
    status = request.args.get("status", "active")
    if status not in queries.USER_FILTERS:
        abort(400)
    return page_or_block(
        "admin/users.html",
        "user_list",
        users=queries.users(status),
        status_filter=status,
        confirm_form=ConfirmForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm(board_choices=queries.open_boards())
    if form.validate_on_submit():
        set_change_note(form.note.data)
        try:
            user = services.create_account(
                current_user,
                form.username.data,
                form.display_name.data,
                form.role.data,
                form.password.data,
                queries.boards_by_ids(form.boards.data),
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return saved(
                _("Kontot %(name)s är skapat.", name=user.username),
                url_for("admin.users"),
            )
    return _form_page(form, None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = UserForm(
        board_choices=queries.open_boards() + [b for b in user.boards if b.is_archived],
        data=_account_data(user),
    )
    if form.validate_on_submit():
        set_change_note(form.note.data)
        try:
            services.update_account(
                current_user,
                user,
                form.display_name.data,
                form.role.data,
                queries.boards_by_ids(form.boards.data),
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return saved(_("Ändringarna är sparade."), url_for("admin.users"))
    return _form_page(form, user)


def _account_data(user: User) -> dict:
    """The account as the edit form starts from it."""
    return {"display_name": user.display_name, "role": user.role, "boards": sorted(user.board_ids)}


def _form_page(form, user: User | None):
    status = 422 if form.is_submitted() else 200
    return page_or_block(
        "admin/user_form.html",
        "user_form",
        status=status,
        form=form,
        user=user,
        directory=directory_configured(),
    )


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def reset_password(user_id: int):
    user = get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(current_user, user, form.password.data)
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return saved(
                _("Nytt lösenord är satt för %(name)s.", name=user.username),
                url_for("admin.users"),
            )
    status = 422 if form.is_submitted() else 200
    return page_or_block(
        "admin/password.html", "password_form", status=status, form=form, user=user
    )


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int):
    user = get_or_404(User, user_id)
    try:
        services.deactivate_account(current_user, user)
    except RuleViolation as violation:
        db.session.rollback()
        flash(violation.message, "error")
        return redirect(url_for("admin.users"))
    return saved(_("%(name)s är inaktiverad.", name=user.username), url_for("admin.users"))


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_user(user_id: int):
    user = get_or_404(User, user_id)
    services.reactivate_account(current_user, user)
    return saved(
        _("%(name)s är aktiv igen.", name=user.username),
        url_for("admin.users", status="inactive"),
    )
