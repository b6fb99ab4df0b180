"""What Alembic compares: the models' tables, not database objects managed by hand (search indexes)."""

#: Tables created by raw DDL (SQLite FTS5 and its shadow tables), invisible to the models on purpose.
UNMANAGED_PREFIXES = ("stories_fts",)


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic include_object hook: skip objects that are created by raw DDL and not described by the models."""
    if type_ == "table" and name and name.startswith(UNMANAGED_PREFIXES):
        return False
    if (
        type_ == "index"
        and name
        and name.startswith(("ix_stories_fulltext", "stories_fts", "ix_stakeholders_search_trgm"))
    ):
        return False
    if type_ == "column" and name == "search_vector" and getattr(getattr(obj, "table", None), "name", "") == "stories":
        return False
    return True
