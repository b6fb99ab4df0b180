"""Pages kept once rendered, for the person who asked, until anything they were made from changes.

A page someone has just seen is often asked for again: back from a story to the list, the dashboard between two
tasks, a reload. When nothing it was made from has changed since, the same person gets the same bytes, so this
module keeps a rendered page and serves it again instead of running the view. What makes that safe:

- **Whose page.** A kept page is found only by the same browser session with the same contents (its CSRF secret,
  its log-in token, anything else a page may read from it), in the same language, for the same address. Serving
  it still loads the log-in session (a session ended or expired stops at once) and checks that the person is the
  one the page was made for.
- **Made from what.** While a page is rendered, every SQL statement it runs is read for the tables it reads. Every
  write to a table, by any process (web requests, workers, commands, raw SQL), gives that table a new random
  version in `page_versions` *in the same transaction* (and the tables whose rows a database cascade changes with
  it). A kept page is served only while every table it read has the version it had when the page started (the
  versions are read before any of the page's data, so a change committed meanwhile always invalidates it).
  Schema changes bump everything. Tables outside the models (e.g. SQLite's search index) count as the table
  they index (`register_alias`).
- **Nothing skipped.** A page is kept only if it answered 200 with HTML, set no cookie (no flashed message read,
  no session change) and wrote nothing but entries that are written again each time it is served: the audit entry
  of a private read is recorded again on every serve (`note_replay`), so the audit log stays complete. Forms keep
  their single-use nonces single-use: each serve gets fresh ones.
- **Not for long.** A kept page lives at most `PAGE_CACHE_SECONDS` (30 s): what depends on the clock alone
  (upcoming becomes past) is at most that old.
- **Skipped when asked.** A request with `Cache-Control: no-cache` (a browser's hard reload) is always rendered.

Pages are kept in this process's memory (bounded by `PAGE_CACHE_MAX_BYTES`), or in Redis when `PAGE_CACHE_URL`
is set, so that several app servers share them. `PAGE_CACHE_ENABLED` turns serving on; the versions are bumped
whatever the setting, so that a worker or a command never leaves a kept page stale.
"""

import contextvars
import hashlib
import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, current_app, request, request_finished, request_started, session
from flask_login import current_user
from sqlalchemy import BigInteger, String, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from coalition.extensions import db

#: The pseudo-table every page depends on: bumped by schema changes (and any write the tracker cannot read).
EVERYTHING = "*"
_UNTRACKED = {"page_versions"}
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_READS = re.compile(r"\b(?:FROM|JOIN)\s+\"?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_WRITES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_DDL = re.compile(r"^\s*(?:CREATE|ALTER|DROP|TRUNCATE|REINDEX)\b", re.IGNORECASE)
_WRITE_START = re.compile(r"^\s*(?:WITH\b|INSERT\b|UPDATE\b|DELETE\b)", re.IGNORECASE)
_CLASSIFIED_MAX = 4000


class PageVersion(db.Model):
    """A table's version: a new random number each time a transaction writes to it; a missing row is version 0."""

    __tablename__ = "page_versions"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# --- What a statement reads and writes --------------------------------------------------------------------------

_aliases: dict[str, str] = {}
_classified: dict[str, tuple[frozenset, frozenset]] = {}
_cascades: dict[str, frozenset] = {}


def register_alias(table: str, stands_for: str) -> None:
    """A table the models do not know (a search index kept by triggers) counts as `stands_for`."""
    _aliases[table] = stands_for
    _classified.clear()


def _known_tables() -> set[str]:
    return set(db.metadata.tables) | {EVERYTHING}


def _cascade_map() -> dict[str, frozenset]:
    """For each table, the tables whose rows the database changes when its rows are deleted or their keys updated
    (ON DELETE CASCADE / SET NULL, followed through)."""
    if not _cascades:
        direct: dict[str, set[str]] = {}
        for table in db.metadata.tables.values():
            for key in table.foreign_keys:
                if key.ondelete or key.onupdate:
                    direct.setdefault(key.column.table.name, set()).add(table.name)
        for name in db.metadata.tables:
            seen, todo = set(), [name]
            while todo:
                for child in direct.get(todo.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
            _cascades[name] = frozenset(seen)
    return _cascades


def classify(sql: str) -> tuple[frozenset, frozenset]:
    """(tables read, tables written) by a statement; a schema change writes EVERYTHING."""
    found = _classified.get(sql)
    if found is None:
        if len(_classified) > _CLASSIFIED_MAX:
            _classified.clear()
        known = _known_tables()
        if _DDL.match(sql):
            writes = {EVERYTHING}
        elif _WRITE_START.match(sql):
            named = {_aliases.get(name.lower(), name.lower()) for name in _WRITES.findall(sql)}
            # A write to tables it cannot name (or none at all, as in a plain WITH ... SELECT) bumps everything.
            writes = (named & known) or ({EVERYTHING} if named or not sql.lstrip()[:4].upper() == "WITH" else set())
        else:
            writes = set()
        reads = {_aliases.get(name.lower(), name.lower()) for name in _READS.findall(sql)} & known
        found = _classified[sql] = (frozenset(reads - _UNTRACKED), frozenset(writes - _UNTRACKED))
    return found


# --- Versions: bumped in the writer's own transaction ------------------------------------------------------------

_DIRTY = "page_cache_dirty"
_tables_present: set[int] = set()


_EXISTS = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'page_versions'",
    "postgresql": "SELECT to_regclass('page_versions')",
}


def _has_versions_table(connection, cursor) -> bool:
    """Whether this database has `page_versions` yet (not before its migration); remembered once it has."""
    engine_id = id(connection.engine)
    if engine_id not in _tables_present:
        cursor.execute(_EXISTS.get(connection.dialect.name, _EXISTS["postgresql"]))
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return False
        _tables_present.add(engine_id)
    return True


def _track(connection, cursor, statement, parameters, context, executemany) -> None:
    reads, writes = classify(statement)
    capture = _capture.get()
    if capture is not None:
        capture.reads |= reads
        capture.wrote |= writes
    if writes:
        connection.info.setdefault(_DIRTY, set()).update(writes)
        if EVERYTHING in writes:  # a schema change: page_versions itself may have come or gone
            _tables_present.discard(id(connection.engine))


def _bump(connection) -> None:
    """Just before a transaction that wrote commits: add 1 to the version of every table it changed."""
    dirty = connection.info.pop(_DIRTY, None)
    if not dirty:
        return
    cascades = _cascade_map()
    names = set(dirty)
    for name in dirty:
        names |= cascades.get(name, frozenset())
    names = sorted(n for n in names if n == EVERYTHING or _NAME.fullmatch(n))
    # A new random version, never a count: versions do not come back after rows are deleted (a test's clean-up).
    # Sorted: concurrent writers lock the rows in one order (no deadlock). Names are table names, never input.
    version = secrets.randbits(62)
    values = ", ".join(f"('{name}', {version})" for name in names)
    cursor = connection.connection.cursor()
    try:
        if not _has_versions_table(connection, cursor):
            return
        cursor.execute(
            f"INSERT INTO page_versions (name, version) VALUES {values} "  # noqa: S608 - names are table names
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version"
        )
    finally:
        cursor.close()


def _forget(connection) -> None:
    connection.info.pop(_DIRTY, None)


def has_written(connection) -> bool:
    """Has the transaction open on `connection` written anything (an INSERT, UPDATE, DELETE or schema change)?"""
    return bool(connection.info.get(_DIRTY))


_installed = False


def install_tracking() -> None:
    """Listen to every engine: reads are noted for the page being rendered, writes bump versions at commit."""
    global _installed  # noqa: PLW0603 - once per process
    if not _installed:
        event.listen(Engine, "before_cursor_execute", _track)
        event.listen(Engine, "commit", _bump)
        event.listen(Engine, "rollback", _forget)
        _installed = True


def read_versions() -> dict[str, int]:
    """Every table's version (tables never written to are absent: version 0)."""
    rows = db.session.execute(select(PageVersion.name, PageVersion.version)).all()
    return dict(rows)


# --- The page being rendered -------------------------------------------------------------------------------------


@dataclass
class Capture:
    versions: dict[str, int]
    key: str = ""
    reads: set = field(default_factory=set)
    wrote: set = field(default_factory=set)
    replays: list = field(default_factory=list)
    nonces: list = field(default_factory=list)
    skip: bool = False
    served: bool = False


_capture: contextvars.ContextVar[Capture | None] = contextvars.ContextVar("page_capture", default=None)
_replayers: dict[str, tuple[Callable, frozenset]] = {}


def register_replayer(name: str, replay: Callable, tables: set[str]) -> None:
    """`replay(**fields)` writes again, when a kept page is served, what rendering it wrote to `tables`."""
    _replayers[name] = (replay, frozenset(tables))


def note_replay(name: str, **fields) -> None:
    """The page being rendered wrote something (an audit entry) that must be written again on every serve."""
    capture = _capture.get()
    if capture is not None:
        capture.replays.append((name, fields))


def note_nonce(nonce: str) -> str:
    """A single-use value (a form's nonce) in the page being rendered: each serve replaces it with a fresh one."""
    capture = _capture.get()
    if capture is not None:
        capture.nonces.append(nonce)
    return nonce


def skip() -> None:
    """Never keep the page being rendered."""
    capture = _capture.get()
    if capture is not None:
        capture.skip = True


# --- Where kept pages live ---------------------------------------------------------------------------------------


class MemoryStore:
    """Kept pages in this process, least recently used dropped first beyond `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) > self.max_bytes // 4:
            return
        with self.lock:
            if key in self.items:
                self._drop(key)
            self.items[key] = (time.monotonic() + seconds, value)
            self.size += len(value)
            while self.size > self.max_bytes:
                self._drop(next(iter(self.items)))

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= len(self.items.pop(key)[1])


class RedisStore:
    """Kept pages in Redis (shared by every app server), expiring on their own. When Redis cannot be reached,
    pages are rendered as if nothing were kept (and it is logged): an outage slows the site, it never breaks it."""

    def __init__(self, url: str, prefix: str):
        import redis  # noqa: PLC0415 - only when configured

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.errors = (redis.RedisError, OSError)
        self.prefix = prefix

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(self.prefix + key)
        except self.errors as error:
            current_app.logger.warning("page cache: Redis unavailable (%s)", error)
            return None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        try:
            self.client.set(self.prefix + key, value, ex=seconds)
        except self.errors as error:
            current_app.logger.warning("page cache: Redis unavailable (%s)", error)

    def clear(self) -> None:
        for key in self.client.scan_iter(match=self.prefix + "*"):
            self.client.delete(key)


# --- Serving and keeping -----------------------------------------------------------------------------------------


def _wanted() -> bool:
    if request.method != "GET" or request.authorization is not None:
        return False
    if request.endpoint in (None, "static") or request.path.startswith("/api/"):
        return False
    if "." in request.path.rpartition("/")[2]:  # a file (meeting.ics, export.csv): never an HTML page, so never kept
        return False
    return "no-cache" not in (request.headers.get("Cache-Control") or "").lower()


def _key() -> str:
    # The whole session: its CSRF secret and log-in token make the page this browser's; whatever else a page reads
    # from it (a chosen language, a ballot receipt, a link to show once) changes the key when it changes.
    parts = (
        current_app.config["PAGE_CACHE_BUILD"],
        request.root_url,  # scheme, host and where the site is mounted
        request.full_path,
        json.dumps(dict(session), sort_keys=True, default=str),
        request.headers.get("Accept-Language") or "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _pack(meta: dict, body: bytes) -> bytes:
    return json.dumps(meta, separators=(",", ":")).encode() + b"\n" + body


def _unpack(value: bytes) -> tuple[dict, bytes]:
    head, _, body = value.partition(b"\n")
    return json.loads(head), body


def _begin(app: Flask, **_extra) -> None:
    if not app.config["PAGE_CACHE_ENABLED"] or not _wanted():
        return
    _capture.set(Capture(versions=read_versions()))


def _serve_kept():
    """Before the view: the kept page, when there is one and nothing it was made from has changed."""
    capture = _capture.get()
    if capture is None:
        return None
    capture.key = _key()
    kept = current_app.extensions["page_cache"].get(capture.key)
    if kept is None or "_flashes" in session:
        return None
    meta, body = _unpack(kept)
    versions = capture.versions
    if any(versions.get(name, 0) != version for name, version in meta["deps"].items()):
        return None
    if current_user.get_id() != meta["user"]:
        return None
    for name, fields in meta["replays"]:
        _replayers[name][0](**fields)
    for nonce in meta["nonces"]:
        body = body.replace(nonce.encode(), note_nonce(_fresh_nonce()).encode())
    capture.served = True
    response = Response(body, status=200, headers=meta["headers"])
    response.headers["X-Page-Cache"] = "hit"
    return response


def _fresh_nonce() -> str:
    return secrets.token_urlsafe(24)


def _keep(app: Flask, response: Response, **_extra) -> None:
    """After the response is final: keep it if it qualifies (see the module's docstring)."""
    capture = _capture.get()
    _capture.set(None)
    if capture is None or capture.served or capture.skip or not capture.key:
        return
    if response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed:
        return
    if "Set-Cookie" in response.headers or response.direct_passthrough:
        return
    replayed = frozenset().union(*(_replayers[name][1] for name, _ in capture.replays))
    if capture.wrote - replayed:
        return
    deps = capture.reads | {EVERYTHING, "users", "memberships", "coalitions"}
    meta = {
        "deps": {name: capture.versions.get(name, 0) for name in sorted(deps)},
        "user": current_user.get_id() if current_user else None,
        "replays": capture.replays,
        "nonces": capture.nonces,
        "headers": [(k, v) for k, v in response.headers.items() if k not in ("Set-Cookie", "Content-Length")],
    }
    app.extensions["page_cache"].set(capture.key, _pack(meta, response.get_data()), app.config["PAGE_CACHE_SECONDS"])


def _build_id(app: Flask) -> str:
    """What identifies this code: kept pages of another version (in Redis, across a deploy) are never served."""
    digest = hashlib.sha256()
    for folder in (Path(__file__).resolve().parent.parent, Path(app.root_path).parent / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".mo"):
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def _end(_exc=None) -> None:
    _capture.set(None)


def register_page_cache(app: Flask) -> None:
    """Bump versions on every write; serve and keep pages when PAGE_CACHE_ENABLED."""
    install_tracking()
    app.config.setdefault("PAGE_CACHE_ENABLED", False)
    app.config.setdefault("PAGE_CACHE_SECONDS", 30)
    app.config.setdefault("PAGE_CACHE_MAX_BYTES", 4 * 1024 * 1024)
    app.config.setdefault("PAGE_CACHE_URL", "")
    if not app.config.get("PAGE_CACHE_BUILD"):
        app.config["PAGE_CACHE_BUILD"] = _build_id(app)
    if not app.config["PAGE_CACHE_ENABLED"]:
        return
    url = app.config["PAGE_CACHE_URL"]
    database = hashlib.sha256(str(app.config["SQLALCHEMY_DATABASE_URI"]).encode()).hexdigest()[:12]
    prefix = f"coalition:page:{database}:{app.config['PAGE_CACHE_BUILD']}:"
    store = RedisStore(url, prefix) if url else MemoryStore(app.config["PAGE_CACHE_MAX_BYTES"])
    app.extensions["page_cache"] = store
    request_started.connect(_begin, app, weak=False)
    request_finished.connect(_keep, app, weak=False)
    # Asked before anything else of the request runs (the `url_value_preprocessor`s that load the coalition, the
    # `before_request` checks): a kept page needs none of it, and a page that is not kept goes through all of it.
    preprocess = app.preprocess_request

    def preprocess_request():
        kept = _serve_kept()
        return kept if kept is not None else preprocess()

    app.preprocess_request = preprocess_request
    app.teardown_request(_end)
