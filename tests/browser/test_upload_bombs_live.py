"""Under the real gunicorn server (two workers, as the live server runs it): two bomb uploads
at once, which used to hold both workers until they were killed, are each refused with a
message at once, and a page asked for meanwhile is served promptly. No browser: plain HTTP.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.browser.support import DEMO_PASSWORD
from tests.foundation.test_upload_bombs import BEYOND, BOMBS

PROMPT = 2.0  # seconds; the bombs used to hold a worker for the whole 30 s timeout


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]


def _signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = _csrf(session.get(f"{base}/login", timeout=10).text)
    response = session.post(
        f"{base}/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        timeout=10,
    )
    assert "Logga ut" in response.text, response.text[-2000:]
    return session


def _upload_bomb(session: requests.Session, base: str, content: bytes):
    token = _csrf(session.get(f"{base}/plans/import", timeout=10).text)
    started = time.monotonic()
    response = session.post(
        f"{base}/plans/import",
        data={"csrf_token": token, "strategy_id": "None"},
        files={"file": ("plan.xlsx", content)},
        timeout=PROMPT * 3,
    )
    return response, time.monotonic() - started


def test_bomb_uploads_are_refused_at_once_and_hold_up_no_one(live_server):
    base = live_server.url
    uploaders = [_signed_in(base, "admin"), _signed_in(base, "admin")]
    reader = _signed_in(base, "officer")
    bombs = [BOMBS["merged range to the last cell"](), BOMBS["one cell at XFD4999"]()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        uploads = [
            pool.submit(_upload_bomb, session, base, bomb)
            for session, bomb in zip(uploaders, bombs, strict=True)
        ]
        time.sleep(0.05)  # the uploads reach both workers first
        started = time.monotonic()
        page = reader.get(f"{base}/", timeout=PROMPT * 3)
        waited = time.monotonic() - started
        results = [upload.result() for upload in uploads]
    assert page.status_code == 200
    assert waited < PROMPT, (waited, live_server.log_tail())
    for response, elapsed in results:
        assert response.status_code == 422, response.status_code
        assert BEYOND in response.text
        assert elapsed < PROMPT, (elapsed, live_server.log_tail())
