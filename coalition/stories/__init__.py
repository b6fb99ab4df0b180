"""Stories: testimonies that their storytellers control (consent, excerpts, withdrawal, search)."""

from flask import Flask

from coalition.campaigns.providers import register_provider, register_source
from coalition.core.dashboard import register_panel
from coalition.core.demo import register_demo_seeder
from coalition.core.pagecache import register_alias
from coalition.core.permissions import register_object_rules
from coalition.core.personal_data import register_personal_data
from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stories", __name__)

from coalition.stories import (  # noqa: E402
    counts,
    demo,
    hooks,
    momentum,
    public_views,
    queries,
    rules,
    search,
    views,
    views_evidence,
    views_team,
)

#: The modules whose routes (and commands) `bp` carries.
ROUTE_MODULES = (views, views_team, public_views)


def register(app: Flask) -> None:
    """Register the story pages, consent rules, search index DDL, dashboard panel, personal data and demo."""
    app.register_blueprint(bp)
    app.register_blueprint(views_evidence.bp)
    register_provider("answer_counts", queries.question_answer_counts)
    register_source("reach", "stories", momentum.REACH)
    register_source("kept", "stories", counts.counted_per_campaign)
    register_source("last_activity", "stories", momentum.last_activity)
    search.install_ddl_events()
    register_alias("stories_fts", "stories")  # SQLite's full-text index, kept by triggers on stories
    counts.keep_story_counts()
    register_object_rules(rules.OBJECT_RULES)
    register_panel(20, "stories/_dashboard_panel.html", momentum.stories_panel)
    register_personal_data("stories", exporter=hooks.export_stories, eraser=hooks.erase_stories)
    register_demo_seeder("stories", 20, demo.seed_stories)
