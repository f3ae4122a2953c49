from flask import Flask

from intranet.reports.routes import bp, plan_status_charts


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # The plan page includes the charts without its view having to know about them.
    app.jinja_env.globals["plan_status_charts"] = plan_status_charts


__all__ = ["bp", "init_app"]
