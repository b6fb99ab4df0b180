"""Numbers a campaign shows but does not own, supplied by the domains that own them.

Campaigns sit below stories, meetings and the rest, so they cannot ask them directly. Instead each such domain
registers a provider from its `register(app)`: `register_provider(name, func)`. Without one, campaigns show zero.

- "story_counts": `func(campaign_ids) -> {campaign id: approved stories}` (goal progress);
- "answer_counts": `func(question_ids) -> {question id: stories that answered}` (locking answered questions).
"""

from collections.abc import Callable, Iterable

PROVIDERS: dict[str, Callable] = {}


def register_provider(name: str, func: Callable) -> None:
    """Register the domain function that supplies the numbers called `name`."""
    PROVIDERS[name] = func


def _ask(name: str, ids: Iterable) -> dict:
    ids = [i for i in ids if i is not None]
    provider = PROVIDERS.get(name)
    return provider(ids) if ids and provider is not None else {}


def story_counts(campaign_ids: Iterable[int]) -> dict[int, int]:
    """Approved, non-withdrawn stories per campaign, one query (empty without a stories provider)."""
    return _ask("story_counts", campaign_ids)


def answer_counts(question_ids: Iterable[int]) -> dict[int, int]:
    """{question id: how many stories answered it}, one query (absent: none)."""
    return _ask("answer_counts", question_ids)
