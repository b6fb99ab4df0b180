"""The translated names of the stakeholder domain's choices (categories, stances, priorities, channels, responses)."""

from coalition.core.i18n import PageLabels
from coalition.core.i18n import lazy_gettext as _l
from coalition.stakeholders.models import Channel, Priority, Response, StakeholderCategory, Stance

CATEGORY_LABELS = {
    StakeholderCategory.ELECTED_OFFICIAL: _l("Elected official"),
    StakeholderCategory.AGENCY_STAFF: _l("Agency staff"),
    StakeholderCategory.LANDLORD: _l("Landlord or property manager"),
    StakeholderCategory.HEALTHCARE_PROVIDER: _l("Healthcare provider"),
    StakeholderCategory.COMMUNITY_LEADER: _l("Community leader"),
    StakeholderCategory.MEDIA: _l("Media"),
    StakeholderCategory.FUNDER: _l("Funder"),
    StakeholderCategory.ALLY: _l("Ally"),
}
STANCE_LABELS = {
    Stance.CHAMPION: _l("Champion"),
    Stance.SUPPORTIVE: _l("Supportive"),
    Stance.NEUTRAL: _l("Neutral"),
    Stance.OPPOSED: _l("Opposed"),
    Stance.HOSTILE: _l("Hostile"),
    Stance.UNKNOWN: _l("Unknown"),
}
PRIORITY_LABELS = {Priority.HIGH: _l("High"), Priority.MEDIUM: _l("Medium"), Priority.LOW: _l("Low")}
CHANNEL_LABELS = {
    Channel.CALL: _l("Call"),
    Channel.EMAIL: _l("Email"),
    Channel.LETTER: _l("Letter"),
    Channel.MEETING: _l("Meeting"),
    Channel.HEARING_TESTIMONY: _l("Hearing testimony"),
    Channel.STORIES_DELIVERED: _l("Stories delivered"),
    Channel.PUBLIC_EVENT: _l("Public event"),
}
RESPONSE_LABELS = {
    Response.AWAITING: _l("Awaiting a response"),
    Response.RESPONDED: _l("Responded"),
    Response.NONE: _l("No response expected"),
}


def page_labels() -> PageLabels:
    """Everything a page needs to name an enum value (labels.stances[target.stance]), translated once per page."""
    return PageLabels(
        categories=CATEGORY_LABELS,
        stances=STANCE_LABELS,
        priorities=PRIORITY_LABELS,
        channels=CHANNEL_LABELS,
        responses=RESPONSE_LABELS,
    )
