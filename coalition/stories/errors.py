"""The stories domain's error: a broken rule, with a message for the person."""


class StoryError(ValueError):
    """A rule of the stories domain was broken; the message is shown to the person, next to `field` if given."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
