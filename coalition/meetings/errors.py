"""The meetings domain's error: a broken rule, with a message for the person."""


class MeetingError(ValueError):
    """A rule of the meetings domain was broken; the message is shown to the person (next to `field` if given)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
