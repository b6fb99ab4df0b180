"""The campaigns domain's error: a broken rule, with a message for the person."""

from coalition.core.errors import DomainError


class CampaignError(DomainError):
    """A rule of the campaigns domain was broken; the message is shown to the person, next to `field`."""
