"""The auditor's view: record history with diffs, the audit log, as-of views, restore and
archiving."""

from flask import Flask


def init_app(app: Flask) -> None:
    from intranet.history.routes import bp

    app.register_blueprint(bp)
