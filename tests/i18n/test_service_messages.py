"""Every message a service or model raises for the user is translatable, and shows in
English in the English UI."""

import ast
from pathlib import Path

from intranet import ROOT

# Exceptions whose message reaches the user; the field name (RuleViolation's first
# argument) is not a message.
USER_FACING = {"RuleViolation": 1, "NotAllowed": 0, "BadMoment": 0, "UnreadableFile": 0}


def _plain_string_messages() -> list[str]:
    found = []
    for path in sorted((ROOT / "intranet").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in USER_FACING:
                continue
            for argument in [*node.args[USER_FACING[name] :], *(k.value for k in node.keywords)]:
                if isinstance(argument, ast.JoinedStr) or (
                    isinstance(argument, ast.Constant) and isinstance(argument.value, str)
                ):
                    found.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_user_facing_error_is_raised_with_a_plain_string():
    assert _plain_string_messages() == []


def test_a_service_rule_shows_in_english_in_the_english_ui(client, make):
    taken = make.user("viewer")
    client.login(make.user("admin").username)
    client.post_form("/language", {"language": "en", "next": "/plans"})
    response = client.post_form(
        "/admin/users/new",
        {
            "username": taken.username,
            "display_name": "Someone",
            "role": "viewer",
            "password": "a-good-long-password-here",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The username is taken." in page
    assert "Användarnamnet är upptaget." not in page
