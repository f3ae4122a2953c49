"""The follow-up's fields are declared once (FOLLOW_UP_FIELDS); everything that lists them
derives the list from there, so a new field needs no second list anywhere."""

import pytest

from intranet.core.errors import RuleViolation
from intranet.followups.forms import FollowUpForm
from intranet.history.records import KINDS
from intranet.models import FOLLOW_UP_FIELDS, FollowUp
from intranet.models.followups import FOLLOW_UP_FIELD_NAMES
from intranet.reading.plan_tree import FollowUpNode
from intranet.rounds.exports import ROUND_COLUMNS, ROUND_EDITABLE, round_headers


def test_every_list_of_follow_up_fields_is_the_declaration(app):
    with app.test_request_context():
        form = FollowUpForm(meta={"csrf": False})
        assert set(FOLLOW_UP_FIELD_NAMES) <= {field.name for field in form}
        assert form.deviation_reason.label.text == "Orsak till avvikelse"
        assert [c.label for c in form.deviation_reason.choices][0] == "– Ingen avvikelse –"
        history_fields = [field.name for field in KINDS["follow_up"].fields]
        assert history_fields == ["year", *FOLLOW_UP_FIELD_NAMES, "archived_at"]
        assert ROUND_EDITABLE == FOLLOW_UP_FIELD_NAMES
        assert [c for c in ROUND_COLUMNS if c in FOLLOW_UP_FIELD_NAMES] == list(ROUND_EDITABLE)
        headings = round_headers()[4 : 4 + len(FOLLOW_UP_FIELDS)]
        assert headings == [str(field.heading) for field in FOLLOW_UP_FIELDS]


def test_the_plan_tree_reads_every_declared_field():
    values = {name: f"value of {name}" for name in FOLLOW_UP_FIELD_NAMES}
    node = FollowUpNode(1, 2020, None, values)
    assert [getattr(node, name) for name in FOLLOW_UP_FIELD_NAMES] == list(values.values())
    with pytest.raises(AttributeError):
        node.no_such_field  # noqa: B018


def test_the_model_checks_the_declared_choices_and_limits():
    for values, field in (
        ({"status": "finished"}, "status"),
        ({"status": "done", "deviation_reason": "weather"}, "deviation_reason"),
        ({"status": "done", "next_steps": "x" * 10_001}, "next_steps"),
    ):
        with pytest.raises(RuleViolation) as refused:
            for declared in FOLLOW_UP_FIELDS:
                declared.check(FollowUp(**values).__dict__.get(declared.name))
        assert refused.value.field == field
