"""The meetings domain's error: a broken rule, with a message for the person."""

from coalition.core.errors import DomainError


class MeetingError(DomainError):
    """A rule of the meetings domain was broken; the message is shown to the person (next to `field` if given)."""
