"""Extension singletons, created once and bound to the app in create_app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class AppSession(FlaskSession):
    """The base of the application's sessions. The commit pipeline (the history, its hash
    chain and checkpoints: see intranet.integrity.install) goes on the class that db's
    sessionmaker derives from this one, so it runs for db.session and nothing else.

    Given to Flask-SQLAlchemy here rather than taking the class behind `db.session` as it
    comes: it names the application's sessions and their pipeline in one place, and exists
    before any app (`db.session().__class__` needs an app context). Sessions of any other
    class (Continuum's internal version session, a script's plain Session, even an
    AppSession made by hand) get no pipeline, and one of those that writes a versioned
    record is refused (intranet.db.versioning)."""


db = SQLAlchemy(model_class=Base, session_options={"class_": AppSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
