"""Who acts when no one is signed in: the command line and the demo loader.

Services take the acting user first and ask it the same predicates as the routes do. A
command run on the server by whoever may run it there acts as SYSTEM: it passes the
administrators' predicates, and its history entries name no user (the transaction's user
stays empty and its note says which command acted, see intranet.db.versioning.acting_as),
so the history never claims that a person did what a command did. The demo loader alone
writes the demo's history in the demo accounts' names, each entry marked as the demo's
(note "Demo: …", address "demo"), so that the demo shows a history as officers make it."""


class SystemActor:
    """An administrator that is no account: never signed in through the web, no boards."""

    id = None
    role = "admin"
    is_authenticated = True
    is_active = True
    is_anonymous = False
    active = True
    board_ids: frozenset[int] = frozenset()
    username = "system"
    display_name = "System"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()
