"""Stories: testimonies that their storytellers control (consent, excerpts, withdrawal, search)."""

from coalition.core.scoping import coalition_blueprint

bp = coalition_blueprint("stories", __name__)

from coalition.stories import models, search  # noqa: E402, F401 - search adds the full-text index DDL
