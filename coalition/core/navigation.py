"""Which item of a navigation menu is the current page's: exactly one, or none."""


def current_item(endpoints: list[str], endpoint: str | None, also: dict[str, list[str]] | None = None) -> str | None:
    """The menu endpoint the page `endpoint` belongs to: itself; else the one that lists it (or "its_blueprint.*")
    in `also`; else the longest one it extends ('stakeholders.follow_ups_section' → 'stakeholders.follow_ups');
    else its blueprint's index."""
    if not endpoint:
        return None
    if endpoint in endpoints:
        return endpoint
    blueprint = endpoint.split(".")[0]
    for item, others in (also or {}).items():
        if item in endpoints and (endpoint in others or f"{blueprint}.*" in others):
            return item
    same = [e for e in endpoints if e.split(".")[0] == blueprint]
    extended = [e for e in same if endpoint.startswith(e + "_")]
    if extended:
        return max(extended, key=len)
    return next((e for e in same if e.endswith(".index")), None)
