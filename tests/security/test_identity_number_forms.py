"""Identity numbers written with odd spacing, separators, invisible or bidi characters are
refused end to end: in a change note (kept forever in the hash chain), a user's display name,
a follow-up text and a cell of an imported plan; the Swedish message is shown by the field
or cell, what was typed is kept and nothing is written."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.models import FollowUp, Plan, Transaction, User
from tests.foundation.test_stored_text import TESTER_REFUSED
from tests.plans.test_imports import _fill, _template, _upload

MESSAGE = "Texten innehåller ett personnummer eller samordningsnummer."

# 811218-9876 (a made-up number with a right check digit) as outside testers wrote it.
VARIANTS = {
    "run of spaces": "811218  9876",
    "line separator": "811218\u20289876",
    "invisible characters": "81\u034f12\ufe0f18\U000e0100-\u3164\uffa09876",
    "braille blank and fillers": "8112\u280018\u115f\u1160 9876",
    "date with separators": "1981-12-18-9876",
    "doubled separators": "811218--9876",
    "dot": "811218.9876",
    "slash": "1981/12/18/9876",
    "box drawing": "811218\u2500\u25009876",
    "katakana long mark": "811218\u30fc9876",
    "reversed in an override": "\u202e6789-812118\u202c",
    "groups swapped after a mark": "\u200f9876 811218",
    # Right-to-left digits: the bidi algorithm shows these groups in the other order.
    "Arabic-Indic digits": "\u0669\u0668\u0667\u0666-\u0668\u0661\u0661\u0662\u0661\u0668",
}
# 811218-1006 (a valid number for 1981-12-18) as an outside tester still got it stored.
VARIANTS |= {f"tester {index:02d}": text for index, text in enumerate(TESTER_REFUSED)}


def _transactions() -> int:
    return db.session.scalar(select(func.count(Transaction.id)))


def _field_error(page: str, field: str) -> str:
    error = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    assert error, page[-2000:]
    return error.group(1)


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_change_note_refuses_the_variant(client, make, variant):
    admin, viewer = make.user("admin"), make.user("viewer")
    client.login(admin.username)
    before = _transactions()
    note = f"Begärt av {variant} i telefon"
    response = client.post_form(
        f"/admin/users/{viewer.id}/edit",
        {"display_name": "Karin Nyman", "role": "viewer", "note": note},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MESSAGE in _field_error(page, "note")
    assert str(escape(note)) in page
    assert _transactions() == before


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_display_name_refuses_the_variant(client, make, variant):
    client.login(make.user("admin").username)
    before = _transactions()
    name = f"Anna {variant}"
    response = client.post_form(
        "/admin/users/new",
        {
            "username": "anna",
            "display_name": name,
            "role": "viewer",
            "password": "ett-bra-losenord-langt",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MESSAGE in _field_error(page, "display_name")
    assert str(escape(name)) in page
    assert db.session.scalar(select(User).where(User.username == "anna")) is None
    assert _transactions() == before


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_follow_up_text_refuses_the_variant(client, make, variant):
    board = make.board()
    sub_goal = make.sub_goal(boards=[board])
    client.login(make.user("officer", boards=[board]).username)
    before = _transactions()
    outcome = f"Samtal med {variant}.\nGruppen träffades."
    response = client.post_form(
        f"/sub-goals/{sub_goal.id}/follow-ups/2018/edit",
        {
            "status": "ongoing",
            "outcome": outcome,
            "deviation_reason": "",
            "deviation_text": "",
            "next_steps": "",
            "lock_version": "0",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MESSAGE in _field_error(page, "outcome")
    assert str(escape(outcome)) in page
    assert db.session.scalar(select(func.count(FollowUp.id))) == 0
    assert _transactions() == before


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_imported_cell_refuses_the_variant(client, make, variant):
    board = make.board(name="Utbildningsnämnden")
    client.login(make.user("admin").username)
    workbook = _template(client)
    _fill(workbook, [board.name])
    workbook["Delmål"].append(["2", "2.2", "Stöd", f"Elev {variant}", board.name])
    before = _transactions()
    response = _upload(client, workbook)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Rad 5, kolumn D (Beskrivning): Delmål: {MESSAGE}" in page
    assert 'name="payload"' not in page
    assert _transactions() == before
    assert db.session.scalar(select(func.count(Plan.id))) == 0
