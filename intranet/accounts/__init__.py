from flask import Flask

from intranet.accounts import write_limit
from intranet.accounts.routes import bp
from intranet.auth.preferences import load_user_with_preferences
from intranet.core.numbers import parse_id
from intranet.extensions import login_manager
from intranet.integrity.authorization import remember_loaded


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id, _, epoch = session_id.partition(":")
        if parse_id(user_id) is None:
            return None
        user = load_user_with_preferences(parse_id(user_id))
        if user is None or not user.is_active or str(user.session_epoch or 0) != epoch:
            return None
        remember_loaded(user)
        return user

    write_limit.init_app(app)
    app.register_blueprint(bp)
