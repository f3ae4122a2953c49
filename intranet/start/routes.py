"""The start page: what the signed-in user's boards still have to report, the open rounds,
and what others changed on their sub-goals since the last visit."""

from flask import Blueprint
from flask_login import current_user, login_required

from intranet.core import clock
from intranet.extensions import db
from intranet.rounds import services as rounds
from intranet.start.queries import board_overview, record_visit
from intranet.web.views import page_or_block

bp = Blueprint("start", __name__)


@bp.get("/")
@login_required
def index():
    """What the signed-in user's boards still have to report, the open rounds, and their
    boards' sub-goals with what others changed on them since the last visit."""
    overview = board_overview(current_user)
    if current_user.board_ids:
        record_visit(current_user)
        db.session.commit()
    return page_or_block(
        "start/index.html",
        "content",
        pending=rounds.pending_for(current_user),
        open_rounds=rounds.open_rounds(),
        overview=overview,
        today=clock.today(),
    )
