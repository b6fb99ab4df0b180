"""Object-level permission rules of campaigns (on top of the role map in core/permissions.py)."""


def follow_only_open_campaigns(user, membership, obj) -> bool:
    """Nobody starts following an archived campaign: it sends no more updates."""
    return not getattr(obj, "is_archived", False)


def no_updates_on_archived_campaigns(user, membership, obj) -> bool:
    """An archived campaign's timeline is closed; un-archive it (edit its status) to post again."""
    return not getattr(obj, "is_archived", False)


#: action -> rule, registered with core.permissions by the package's register(app).
OBJECT_RULES = {
    "campaign.follow": follow_only_open_campaigns,
    "campaign.post_update": no_updates_on_archived_campaigns,
}
