"""The decisions domain's error."""

from coalition.core.errors import DomainError


class DecisionError(DomainError):
    """A decision rule said no (shown next to `field` on the form when given)."""
