"""Blueprint-wide permission gates: one way for a whole area to require a predicate."""

from collections.abc import Callable

from flask import Blueprint
from flask_login import current_user

from intranet.auth.policies import require
from intranet.extensions import login_manager
from intranet.models import User


def gate(bp: Blueprint, predicate: Callable[[User], bool]) -> None:
    """Every request to `bp` needs a signed-in user (else the sign-in page) for whom
    `predicate` holds (else 403). The routes still ask their own action's predicate: the
    gate keeps an area closed, it does not decide what each page shows or does."""

    def gate_keeper():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        require(predicate(current_user))
        return None

    gate_keeper.__name__ = f"_gate_{predicate.__name__}"
    bp.before_request(gate_keeper)
