"""One registry of record kinds (intranet.models.kinds.RecordKind): every table that
differs per kind covers every kind, and no module decides by comparing kind names."""

import ast
from pathlib import Path

import pytest

import intranet
from intranet.auth.policies import KIND_POLICIES
from intranet.history import records, restoring
from intranet.history.routes import PAGES
from intranet.models import RecordKind

PACKAGE = Path(intranet.__file__).parent
REGISTRY = PACKAGE / "models" / "kinds.py"
KIND_NAMES = {kind.value for kind in RecordKind}


@pytest.mark.parametrize(
    "table",
    [KIND_POLICIES, records.KINDS, PAGES, restoring.PARTS, restoring.APPLY],
    ids=["policies", "history", "pages", "restore parts", "restore writers"],
)
def test_every_table_per_kind_covers_every_kind(table):
    assert set(table) == set(RecordKind)
    assert all(isinstance(key, RecordKind) for key in table)


def test_the_history_of_a_kind_is_that_kind():
    assert all(spec.kind is kind for kind, spec in records.KINDS.items())


def test_a_name_is_converted_once_and_anything_else_is_none():
    assert RecordKind.parse("sub_goal") is RecordKind.SUB_GOAL
    assert RecordKind.parse(RecordKind.PLAN) is RecordKind.PLAN
    for name in ("", "Sub_goal", "tag", "sub_goal ", None, 3, "__class__"):
        assert RecordKind.parse(name) is None


def _names_a_kind(node) -> bool:
    """A variable or attribute that holds a kind by its name (kind, record_kind, self.kind)."""
    if isinstance(node, ast.Name):
        return "kind" in node.id.lower()
    if isinstance(node, ast.Attribute):
        return "kind" in node.attr.lower()
    return False


def _kind_constants(node) -> set[str]:
    """Record-kind names written as string constants in `node` (alone or in a literal
    tuple, list or set)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & KIND_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return set().union(*(_kind_constants(element) for element in node.elts))
    return set()


def kind_comparisons(source: str) -> list[int]:
    """Lines comparing something that holds a kind with a record kind's name (==, !=,
    in, not in, is, and a match case on such a name)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(map(_names_a_kind, operands)) and any(map(_kind_constants, operands)):
                found.append(node.lineno)
        elif (
            isinstance(node, ast.match_case)
            and isinstance(node.pattern, ast.MatchValue)
            and _kind_constants(node.pattern.value)
        ):
            found.append(node.pattern.lineno)
    return found


def test_the_check_finds_the_forms_a_kind_comparison_takes():
    samples = [
        'if kind == "sub_goal": pass',
        'if "plan" != self.kind: pass',
        'ok = kind in ("follow_up", "activity")',
        'ok = record_kind not in {"board"}',
        'match kind:\n    case "user":\n        pass',
    ]
    assert all(kind_comparisons(sample) for sample in samples)
    # Other kinds of kind (a tag's, a board's) and column names are not record kinds.
    assert not kind_comparisons('ok = tag.kind == "district" or name == "sub_goal"')


def test_no_module_outside_the_registry_compares_kind_names():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != REGISTRY
        for line in kind_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "url",
    [
        "/history/tag/1",
        "/history/Sub_goal/1",
        "/history/sub_goal%20/1/compare",
        "/history/nothing/1/restore/1",
        "/archive/board/1",
        "/archive/user/1/undo",
        "/archive/nothing/1",
    ],
)
def test_an_unknown_or_unarchivable_kind_in_the_url_is_not_found(client, make, url):
    admin = make.user("admin", username="chefen")
    make.board()
    client.login(admin.username)
    response = client.post_form(url) if "/restore/" in url or "/archive/" in url else None
    response = response or client.get(url)
    assert response.status_code == 404
