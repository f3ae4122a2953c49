"""Handlingsplan: follow-up of municipal action plans with a complete history."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from intranet.config import Config

    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from intranet.core import clock

    clock.read_zone_from(_configured_zone)
    if app.config["CLOCK_FILE"]:
        clock.use_file(app.config["CLOCK_FILE"])
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind a load balancer: take the user's address and scheme from its headers.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from intranet import models  # noqa: F401  (versioning must see every model first)
    from intranet.extensions import babel, csrf, db, login_manager, migrate
    from intranet.web.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)

    from intranet import (
        accounts,
        activities,
        admin,
        boards,
        cli,
        followups,
        history,
        integrity,
        lineage,
        matrix,
        meetings,
        operations,
        plans,
        reports,
        rounds,
        start,
        structure,
        web,
    )
    from intranet.db import database

    database.init_app(app)
    # The commit pipeline (history, hash chain, checkpoints) on db's own session class.
    integrity.install(db)
    integrity.init_app(app)
    web.init_app(app)
    accounts.init_app(app)
    app.register_blueprint(start.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(matrix.bp)
    app.register_blueprint(followups.bp)
    app.register_blueprint(activities.bp)
    app.register_blueprint(rounds.bp)
    reports.init_app(app)
    app.register_blueprint(admin.bp)
    app.register_blueprint(boards.bp)
    app.register_blueprint(structure.bp)
    app.register_blueprint(lineage.bp)
    app.register_blueprint(meetings.bp)
    cli.init_app(app)
    operations.init_app(app)
    history.init_app(app)
    return app


def _configured_zone() -> str | None:
    """The municipality's zone of the app in whose context the clock is read."""
    from flask import current_app, has_app_context

    return current_app.config.get("MUNICIPALITY_TIMEZONE") if has_app_context() else None
