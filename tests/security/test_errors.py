"""Error pages: Swedish, with a request id; the stack trace only in the log."""

import logging

from flask import Blueprint

from intranet import create_app


def test_request_id_generated_and_returned(client):
    response = client.get("/login")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) >= 16


def test_request_id_from_the_proxy_is_honoured(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "lb-2026-abcdef123"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "lb-2026-abcdef123"
    page = response.get_data(as_text=True)
    assert "Sidan finns inte" in page
    assert "lb-2026-abcdef123" in page


def test_a_malformed_request_id_is_replaced(client):
    response = client.get("/login", headers={"X-Request-ID": "<script>x</script>"})
    assert response.headers["X-Request-ID"] != "<script>x</script>"
    assert "<script>x" not in response.get_data(as_text=True)


def test_oversize_body_gets_the_swedish_413_page(client):
    big = "x" * (client.application.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"username": big, "password": "x"})
    assert response.status_code == 413
    assert "För stor" in response.get_data(as_text=True)


def test_a_crash_shows_a_friendly_page_and_logs_the_trace(app, caplog):
    crashing = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    crashing.config["PROPAGATE_EXCEPTIONS"] = False
    broken = Blueprint("broken", __name__)

    @broken.get("/broken")
    def explode():
        raise RuntimeError("secret internal detail")

    crashing.register_blueprint(broken)
    with caplog.at_level(logging.ERROR):
        response = crashing.test_client().get("/broken", headers={"X-Request-ID": "req-crash-0001"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Något gick fel" in page
    assert "req-crash-0001" in page
    assert "Traceback" not in page and "secret internal detail" not in page
    assert response.headers["X-Request-ID"] == "req-crash-0001"
    logged = [r for r in caplog.records if "req-crash-0001" in r.getMessage()]
    assert logged, "the error is logged with the request id"
    assert any(r.exc_info and "secret internal detail" in str(r.exc_info[1]) for r in logged)
    with crashing.app_context():
        from intranet.extensions import db

        db.engine.dispose()
