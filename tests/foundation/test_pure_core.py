"""The core (field declarations, numbers, texts, rules) is plain Python: importing it brings
in no form library, no database library and not the app, so that the models' declarations
are data any layer can read (pyproject's "core-is-pure" contract checks the imports)."""

import subprocess
import sys
from pathlib import Path

import pytest

import intranet
from intranet.core.errors import RuleViolation
from intranet.core.fields import UserField

ROOT = Path(intranet.__file__).parent.parent
CORE_MODULES = sorted(
    f"intranet.core.{path.stem}"
    for path in (ROOT / "intranet" / "core").glob("*.py")
    if path.stem != "__init__"
)
LIBRARIES = ("wtforms", "flask_wtf", "sqlalchemy", "sqlalchemy_continuum", "intranet.extensions")


def test_importing_the_core_loads_no_form_or_database_library():
    # A fresh interpreter: this one has long imported everything.
    script = "\n".join(
        [
            "import sys",
            *(f"import {module}" for module in CORE_MODULES),
            f"print(sorted(name for name in {LIBRARIES!r} if name in sys.modules))",
        ]
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert "intranet.core.fields" in CORE_MODULES
    assert loaded == "[]"


def test_a_declaration_is_checked_without_an_app():
    """The model's rules of a declared field run with no app, request or form."""
    status = UserField("status", "Status", choices={"a": "A"}, required=True, invalid="Nej")
    title = UserField("title", "Titel", missing="Ange en titel.", max_length=5)
    status.check("a")
    title.check("Kort")
    for field, value in ((status, None), (status, "b"), (title, "  "), (title, "För lång")):
        with pytest.raises(RuleViolation) as refused:
            field.check(value)
        assert refused.value.field == field.name
    assert status.display("a") == "A" and title.display(None) == ""
