"""The auditor's view: record history with diffs, audit log, as-of views, restore,
archiving, and the tamper-evident hash chain."""

from flask import Flask


def init_app(app: Flask) -> None:
    from intranet.history import chain, cli  # noqa: F401  (chain registers its listeners)

    cli.init_app(app)
    from intranet.history.routes import bp

    app.register_blueprint(bp)
