from flask import Flask

from intranet.reports.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
