"""Stories: testimonies that their storytellers control (consent, excerpts, withdrawal, search)."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stories", __name__)

# `search` adds the full-text index DDL to the stories table; `views` registers the routes.
from coalition.stories import models, search, views  # noqa: E402, F401
