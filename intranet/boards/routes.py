"""Boards and companies (create, rename, archive) and reorganisations: administrators."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from intranet.auth.gates import gate
from intranet.auth.policies import (
    can_enter_boards,
    can_manage_boards,
    can_reorganise_boards,
    require,
)
from intranet.boards import queries, services
from intranet.boards.forms import BoardForm, ConfirmForm, chosen_moves, reorganisation_form
from intranet.core.errors import RuleViolation
from intranet.core.translation import gettext as _
from intranet.db.versioning import set_change_note
from intranet.extensions import db
from intranet.models import Board
from intranet.web.views import get_or_404, page_or_block, saved, show_violation

bp = Blueprint("boards", __name__, url_prefix="/boards")


gate(bp, can_enter_boards)


@bp.get("")
def index():
    require(can_manage_boards(current_user))
    status = request.args.get("status", "active")
    if status not in queries.BOARD_FILTERS:
        abort(400)
    return page_or_block(
        "boards/index.html",
        "board_list",
        rows=queries.boards(status),
        status_filter=status,
        confirm_form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_manage_boards(current_user))
    form = BoardForm()
    if form.validate_on_submit():
        set_change_note(form.note.data)
        try:
            board = services.create_board(
                current_user, form.name.data, form.administration.data, form.kind.data
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return saved(_("%(name)s är skapad.", name=board.name), url_for("boards.index"))
    return _form_page(form, None)


@bp.route("/<int:board_id>/edit", methods=["GET", "POST"])
def edit(board_id: int):
    require(can_manage_boards(current_user))
    board = get_or_404(Board, board_id)
    form = BoardForm(obj=board if request.method == "GET" else None)
    if form.validate_on_submit():
        set_change_note(form.note.data)
        try:
            services.update_board(
                current_user, board, form.name.data, form.administration.data, form.kind.data
            )
        except RuleViolation as violation:
            show_violation(form, violation)
        else:
            return saved(_("Ändringarna är sparade."), url_for("boards.index"))
    return _form_page(form, board)


def _form_page(form, board: Board | None):
    status = 422 if form.is_submitted() else 200
    return page_or_block("boards/form.html", "board_form", status=status, form=form, board=board)


@bp.post("/<int:board_id>/archive")
def archive(board_id: int):
    require(can_manage_boards(current_user))
    board = get_or_404(Board, board_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.archive_board(current_user, board)
    except RuleViolation as violation:
        db.session.rollback()
        flash(violation.message, "error")
        return redirect(url_for("boards.index"))
    return saved(_("%(name)s är arkiverad.", name=board.name), url_for("boards.index"))


@bp.post("/<int:board_id>/unarchive")
def unarchive(board_id: int):
    require(can_manage_boards(current_user))
    board = get_or_404(Board, board_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.unarchive_board(current_user, board)
    return saved(_("%(name)s är aktiv igen.", name=board.name), url_for("boards.index"))


@bp.route("/<int:board_id>/reorganise", methods=["GET", "POST"])
def reorganise(board_id: int):
    require(can_reorganise_boards(current_user))
    board = get_or_404(Board, board_id)
    links, others = services.responsible_sub_goals(board), queries.open_boards_except(board)
    form = reorganisation_form(board, links, others)
    if form.validate_on_submit():
        set_change_note(form.note.data)
        try:
            done = _reorganise(board, form, others)
        except RuleViolation as violation:
            show_violation(form, violation, "target")
        else:
            return saved(_reorganised_message(done), url_for("boards.index"))
    status = 422 if form.is_submitted() else 200
    return page_or_block(
        "boards/reorganise.html", "reorganise_form", status=status, form=form, board=board
    )


def _reorganise(board: Board, form, others: list[Board]):
    return services.reorganise(
        current_user,
        board,
        chosen_moves(form, {other.id: other for other in others}),
        form.valid_from.data,
        form.memberships.data,
        form.archive_source.data,
        form.note.data,
    )


def _reorganised_message(done) -> str:
    moved = "; ".join(f"{name}: {', '.join(codes)}" for name, codes in done.moved.items())
    return _("Ansvaret är flyttat (%(moved)s).", moved=moved)
