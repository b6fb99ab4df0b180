"""The two reference pages `make bench` measures next to Coalition, served by gunicorn from the same environment.

- `hello`: Flask's hello world — the ceiling of a Flask process on this machine;
- `bare`: a bare Flask page listing the 25 newest stories of the benchmark coalition with one SQL query (SQLAlchemy
  engine and pool, no ORM, a small Jinja template) — what "a page that reads the database" costs at the least.

    gunicorn -w 2 -b 127.0.0.1:8102 bench.reference:hello
    DATABASE_URL=postgresql+psycopg://... gunicorn -w 2 -b 127.0.0.1:8103 bench.reference:bare
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

hello = Flask("hello")


@hello.get("/")
def hello_world():
    """Hello, World!"""
    return "Hello, World!"


bare = Flask("bare")
_engine = None

STORIES = text(
    "SELECT s.id, s.title, s.created_at FROM stories s "
    "WHERE s.coalition_id = (SELECT id FROM coalitions WHERE slug = 'bench') AND s.deleted_at IS NULL "
    "ORDER BY s.created_at DESC LIMIT 25"
)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stories</title></head><body>
<h1>Stories</h1><ul>{% for id, title, created in rows %}
<li><a href="/stories/{{ id }}">{{ title }}</a> <time>{{ created }}</time></li>{% endfor %}
</ul></body></html>"""


def engine():
    """One engine (and connection pool) per worker, made on first use."""
    global _engine  # noqa: PLW0603 - a per-process pool, like Flask-SQLAlchemy's
    if _engine is None:
        _engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
    return _engine


@bare.get("/")
def stories():
    """The 25 newest stories of the benchmark coalition, one query."""
    with engine().connect() as connection:
        rows = connection.execute(STORIES).all()
    return render_template_string(PAGE, rows=rows)
