"""What text may be stored: identity numbers however written, control characters, lengths;
the model layer guards every String and Text column, the history guards the change note."""

import pytest
from sqlalchemy import func, select

from intranet.core.errors import RuleViolation
from intranet.core.stored_text import clean_stored_text, contains_identity_number, printable
from intranet.db.versioning import acting_as
from intranet.extensions import db
from intranet.models import (
    Activity,
    Board,
    FocusArea,
    FollowUp,
    Plan,
    ReportComment,
    Strategy,
    SubGoal,
    Tag,
    Transaction,
    User,
)
from intranet.models.base import RuleChecked, text_columns

# Made-up numbers with a correct check digit.
PERSONNUMMER = "811228-9874"
SAMORDNINGSNUMMER = "701063-2391"

# 811218-1006 (a valid number for 1981-12-18) as an outside tester still got it stored.
TESTER_REFUSED = [
    "811218-1006 - 5",
    "Möte 811218-1006/2024",
    "19811218 - 1006-2030",
    "8 1 1 2 1 8 - 1 0 0 6",
    "811218-------1006",
    "811218:1006",
    "811218,1006",
    "811218;1006",
    "81.12.18.10.06",
    "0811218-1006",
    "811218-1006-2",
    "811218\u14281006",
    "811218\u141f1006",
    "811218\u01c01006",
    "811218\u2d4f1006",
    "811218-1\u041e\u041e6",
    "8ll2l8-l006",
    "8\u0406\u04062\u04068-1006",
    "\u2787\u2780\u2780\u2781\u2780\u2787-\u2780\u24ea\u24ea\u2785",
]

REFUSED = {
    "hyphen-minus": "Samtal med 811228-9874 i dag",
    "en dash": "811228\u20139874",
    "em dash": "811228\u20149874",
    "minus sign": "811228\u22129874",
    "non-breaking hyphen": "811228\u20119874",
    "figure dash": "811228\u20129874",
    "horizontal bar": "811228\u20159874",
    "full-width hyphen": "811228\uff0d9874",
    "small hyphen-minus": "811228\ufe639874",
    "no-break space": "811228\u00a09874",
    "narrow no-break space": "811228\u202f9874",
    "thin space": "811228\u20099874",
    "ideographic space": "811228\u30009874",
    "tab": "811228\t9874",
    "space": "811228 9874",
    "spaces around the dash": "811228 - 9874",
    "spaces around an en dash": "811228 \u2013 9874",
    "no-break spaces around the dash": "811228\u00a0-\u00a09874",
    "two spaces around the dash": "811228  -  9874",
    "zero-width space": "811228\u200b-9874",
    "soft hyphen": "811228\u00ad9874",
    "full-width digits": "\uff18\uff11\uff11\uff12\uff12\uff18-\uff19\uff18\uff17\uff14",
    "10 digits": "8112289874",
    "12 digits": "198112289874",
    "12 digits with dash": "19811228-9874",
    "12 digits with en dash and spaces": "19811228 \u2013 9874",
    "plus for over 100": "811228+9874",
    "plus with spaces": "811228 + 9874",
    "samordningsnummer": SAMORDNINGSNUMMER,
    "samordningsnummer with century": "19701063-2391",
    "samordningsnummer 12 digits": "197010632391",
    "samordningsnummer with en dash": "701063\u20132391",
    "leap day in a leap year": "20000229-1003",
    "in parentheses": "(811228-9874)",
    "after letters": "pnr811228-9874",
    "run of spaces": "811228   9874",
    "line break": "811228\n9874",
    "line separator": "811228\u20289874",
    "date with separators": "1981-12-28-9874",
    "doubled separators": "811228--9874",
    "dot": "811228.9874",
    "slash": "811228/9874",
    "box drawing": "811228\u25009874",
    "katakana prolonged sound mark": "811228\u30fc9874",
    "combining grapheme joiner and variation selectors": "8112\u034f28\ufe0f-\U000e01009874",
    "Hangul fillers and braille blank": "81\u316412\uffa028\u2800 9874",
    "reversed inside a right-to-left override": "\u202e4789-822118\u202c",
    "groups swapped after a right-to-left mark": "\u200f9874 811228",
    "Arabic-Indic digits, groups swapped": (
        "\u0669\u0668\u0667\u0664-\u0668\u0661\u0661\u0662\u0662\u0668"
    ),
    # A compact date, any separator and four digits with a right check digit is a number,
    # whatever follows it: "2028" is the serial here, not the start of a year span.
    "compact date then a serial followed by a year": "19900228-19910228, 2028-2029",
    "digit by digit, other separators around the serial": "8 1 1 2 2 8-9 8 7 4-2",
    "pairs with the century": "19.81.12.28.98.74",
    "look-alike words a separator away": "811228 - 9 8 7 \u0427",
    "bar as the separator": "811228|9874",
    "bars as ones and a letter separator": "8||228\u14289874",
    **{f"outside tester: {text}": text for text in TESTER_REFUSED},
}

ACCEPTED = {
    "wrong check digit": "811228-9875",
    # An ISO date followed as prose follows it (the second outside test's false positives:
    # each would pass Luhn as a serial).
    "date and time": "Möte 2021-03-15 1300 i stadshuset",
    "date and early time": "Möte 2019-12-31 0800 i stadshuset",
    "date and paragraph": "Beslut 2021-03-15 § 1441",
    "date and count in brackets": "Den 2020-06-30 (1028 deltagare)",
    "date, dash and count": "Aktivitet 2021-03-15 – 1441 deltagare",
    "date and answers": "Vid mätningen 2022-01-10 1140 svar inkom.",
    "date and amount": "Utbetalt 2019-12-31 1014 kr till föreningen",
    "year span": "Handlingsplan 2018\u20132021",
    "years with spaces": "2018 \u2013 2021",
    "amount": "Budget 25 000 kr",
    "large amount": "1 250 000 kronor",
    "code": "se punkt 5.11 och 5.9",
    "phone": "Telefon 013-20 60 00",
    "mobile": "070-123 45 67",
    "mobile without spaces": "0701234567",
    "case number": "Diarienummer 2021-00123",
    "case number with prefix": "Dnr KS 2019-0423",
    "organisation number": "Linköpings kommun 212000-0142",
    "date span": "2020-01-01 \u2013 2020-12-31",
    "compact date span": "20190101-20191231",
    "meeting": "Mötet 2019-03-14 kl. 13.00",
    "thirtieth of February": "850230-1008",
    "thirteenth month": "851301-1000",
    "leap day in 1900": "19000229-1003",
    "eleven digits": "81122898741",
    "thirteen digits": "1981122898741",
    "date then amount": "2019-03-14, 1500 kr",
    "date ending a line before an amount": "Möte 2019-03-14\n2500 kr beviljades",
    "date span then a time": "2019-03-14 \u2013 2020-12-31 kl. 13.00",
    "list of dates": "Möten 2019-03-14, 2019-04-11, 2019-05-16 och 2019-06-13",
    "date then time": "2019-03-14 13.00\u201316.30",
    "list of times": "Tider 10.15 11.30 13.00 14.45 15.30",
    "list of codes": "Delmål 1.1, 1.2, 1.3, 2.1, 2.2 och 2.3",
    "separator run longer than the bound": "811218" + "-" * 13 + "1006",
    "percent and amounts": "Ökning 12,5 % till 1 250 000 kr 2021",
    "diary numbers in a row": "SOCN 2021-00123, Dnr KS 2020/123",
    "word of look-alikes": "I Ollo 2019 och 2020",
    "list of two-digit numbers": "Deltagare per grupp: 81, 12, 18, 10, 06",
    "date span with separators": "2018-12-31 \u2013 2019-01-01",
    "empty": "",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_identity_numbers_are_found_however_written(text):
    assert contains_identity_number(text)


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_ordinary_numbers_pass(text):
    assert not contains_identity_number(text)


def test_control_characters_are_removed_and_line_breaks_kept_only_in_multiline_text():
    text = "Rad\x1b ett\r\nrad\ttvå\x00\x7f\x85\ufffe slut"
    assert clean_stored_text(text, multiline=True) == "Rad ett\r\nrad\ttvå slut"
    assert clean_stored_text(text, multiline=False) == "Rad ett rad två slut"
    assert clean_stored_text("Vanlig text – åäö €", multiline=False) == "Vanlig text – åäö €"


def test_printable_keeps_everything_but_control_characters():
    assert printable("a\x1bb\x0c\tc\nd") == "ab\tc\nd"
    assert printable(2020) == 2020
    assert printable(None) is None


def _records(make) -> list[RuleChecked]:
    """One saved record of every model whose rules guard stored text."""
    board = make.board()
    follow_up = make.follow_up()
    plan = follow_up.sub_goal.plan
    with acting_as(None, "test data"):
        tag = Tag(kind="district", name="Skäggetorp")
        comment = ReportComment(plan_id=plan.id, board_id=board.id, year=None, text="Bra år.")
        db.session.add_all([tag, comment])
        db.session.commit()
    records = [
        board,
        make.user(),
        plan.strategy,
        plan,
        follow_up.sub_goal.focus_area,
        follow_up.sub_goal,
        follow_up,
        make.activity(sub_goal=follow_up.sub_goal),
        tag,
        comment,
    ]
    covered = {type(record) for record in records}
    assert covered == {
        Board,
        User,
        Strategy,
        Plan,
        FocusArea,
        SubGoal,
        FollowUp,
        Activity,
        Tag,
        ReportComment,
    }
    return records


def _flush_refuses(record, field: str, value: str) -> RuleViolation:
    setattr(record, field, value)
    with acting_as(None), pytest.raises(RuleViolation) as raised:
        db.session.flush()
    db.session.rollback()
    return raised.value


def test_every_text_column_of_every_model_refuses_identity_numbers(make):
    """The guarded columns are read from the tables, so a new column is covered too."""
    checked = 0
    for record in _records(make):
        for column in text_columns(type(record)):
            if not column.free_text:
                continue
            value = REFUSED["en dash"]
            violation = _flush_refuses(record, column.key, value)
            assert violation.field == column.key, (type(record).__name__, column.key)
            if column.max_length is None or column.max_length >= len(value):
                assert "personnummer" in str(violation.message)
            checked += 1
    # Titles, names, codes, user names, descriptions, notes of every model.
    assert checked >= 25


def test_only_opaque_columns_are_exempt_from_the_identity_check():
    exempt = {
        (model.__name__, column.key)
        for model in (User, FocusArea, SubGoal)
        for column in text_columns(model)
        if not column.free_text
    }
    assert exempt == {
        ("User", "password_hash"),
        ("User", "credential_digest"),  # a hex digest of the hash
        ("FocusArea", "sort_key"),
        ("SubGoal", "sort_key"),
    }


def test_every_string_column_refuses_text_longer_than_its_column(make):
    checked = 0
    for record in _records(make):
        for column in text_columns(type(record)):
            if column.max_length is None:
                continue
            violation = _flush_refuses(record, column.key, "x" * (column.max_length + 1))
            assert violation.field == column.key
            assert str(violation.message) == f"Texten får vara högst {column.max_length} tecken."
            checked += 1
    assert checked >= 20


def test_control_characters_are_removed_before_the_write(make):
    follow_up = make.follow_up()
    sub_goal = follow_up.sub_goal
    with acting_as(None, "ändring"):
        follow_up.outcome = "Rad ett\x1b[31m\r\nrad två\x00"
        sub_goal.title = "Titel\tmed\nradbrytning\x07"
        sub_goal.code = "9.9\x0b"
        db.session.commit()
    db.session.expire_all()
    assert follow_up.outcome == "Rad ett[31m\r\nrad två"
    assert sub_goal.title == "Titel med radbrytning"
    assert (sub_goal.code, sub_goal.sort_key) == ("9.9", "00000009.00000009")
    version = follow_up.versions.all()[-1]
    assert version.outcome == follow_up.outcome


def test_a_refused_note_aborts_the_flush_and_writes_no_transaction(make):
    follow_up = make.follow_up()
    before = db.session.scalar(select(func.count(Transaction.id)))
    for note in (f"Begärt av {REFUSED['no-break spaces around the dash']}", "n" * 501):
        with acting_as(None, note), pytest.raises(RuleViolation) as raised:
            follow_up.outcome = "Ändrad"
            db.session.flush()
        assert raised.value.field == "note"
        db.session.rollback()
    assert db.session.scalar(select(func.count(Transaction.id))) == before
    # The session is usable afterwards, and a clean note is stored without its control
    # characters.
    with acting_as(None, "Rättelse\x1b enligt beslut"):
        follow_up.outcome = "Ändrad"
        db.session.commit()
    note = db.session.scalar(select(Transaction.note).order_by(Transaction.id.desc()))
    assert note == "Rättelse enligt beslut"


def test_the_cli_refuses_identity_numbers_in_user_names(app, app_context):
    runner = app.test_cli_runner()
    for args in (
        [f"anna{PERSONNUMMER.replace('-', '')}"],
        ["anna", "--display-name", f"Anna {REFUSED['narrow no-break space']}"],
    ):
        result = runner.invoke(args=["create-user", *args, "--password", "ett-bra-losenord-langt"])
        assert result.exit_code != 0
        assert "personnummer" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
