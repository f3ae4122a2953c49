"""Domain errors raised by services and models, mapped to responses by the views."""


class DomainError(Exception):
    pass


class NotAllowed(DomainError):
    """The signed-in user may not do this (a 403)."""


class RuleViolation(DomainError):
    """A business rule is broken; `field` names the form field it concerns."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class EditConflict(DomainError):
    """Someone else saved the record after this user opened it."""

    def __init__(self, current, expected_version: int):
        super().__init__("edit conflict")
        self.current = current
        self.expected_version = expected_version
