from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from intranet.accounts.forms import LoginForm
from intranet.accounts.services import (
    authenticate,
    count_sign_in_attempt,
    forget_failed_sign_ins,
    record_credential,
)
from intranet.auth.preferences import set_language_preference
from intranet.core.translation import gettext as _
from intranet.extensions import db
from intranet.integrity import checkpoints
from intranet.integrity.authorization import user_authorization
from intranet.models.accounts import credential_digest
from intranet.web.views import safe_next

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("plans.index")


def _locked_out_message() -> str:
    return _(
        "För många misslyckade inloggningsförsök. Vänta %(minutes)s minuter och "
        "försök igen, eller kontakta en administratör.",
        minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
    )


def _sign_in(user, username: str, address: str | None) -> None:
    forget_failed_sign_ins(username, address)
    record_credential(user)
    db.session.commit()
    # The digest of the hash the password was just checked against, not the stored digest:
    # a hash swapped in for this sign-in shows in the signed line.
    checkpoints.write_sign_in(
        current_app._get_current_object(),
        user.id,
        credential_digest(user.password_hash),
        user_authorization(user),
    )
    session.clear()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plans.index"))
    form = LoginForm()
    error = None
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        username, address = form.username.data, request.remote_addr
        allowed = count_sign_in_attempt(username, address)
        # Committed before the password is checked, so parallel attempts see this one.
        db.session.commit()
        if not allowed:
            # Refused before the password is checked, so guessing stays pointless while locked.
            error, status = _locked_out_message(), 429
        else:
            user = authenticate(username, form.password.data)
            if user is not None:
                _sign_in(user, username, address)
                return redirect(_safe_next(request.args.get("next")))
            error, status = _("Fel användarnamn eller lösenord."), 401
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
@login_required
def logout():
    # Signing out ends the user's sessions everywhere, so a copied cookie dies with it.
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = language
    if current_user.is_authenticated:
        # A preference, not history: no transaction, whatever the role and however often.
        set_language_preference(current_user.id, language)
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
