"""HAL+JSON for the OSDI API: links, identifiers, dates, pagination, OData-style filters and typed request bodies."""

import math
import re
import uuid
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from flask import abort, current_app, jsonify, request
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest, UnprocessableEntity

from coalition.extensions import db

PREFIX = "/api/osdi/v1"
MAX_PAGE_SIZE = 25
#: Larger page numbers are refused with 400 (an offset must stay a sane integer); pages past the last one up to
#: this answer an empty list, as Action Network does.
MAX_PAGE = 1_000_000
CURIES = [{"name": "osdi", "href": "http://opensupporter.github.io/osdi-docs/{rel}", "templated": True}]


def url(path: str = "") -> str:
    """Absolute API link from SITE_URL (never the Host header)."""
    return f"{current_app.config['SITE_URL']}{PREFIX}/{path.lstrip('/')}"


def href(path: str) -> dict:
    """A HAL link object."""
    return {"href": url(path)}


def identifiers(obj) -> list[str]:
    """OSDI identifiers of an object: its stable public id, never a database id."""
    return [f"coalition:{obj.public_id}"]


def iso(moment: datetime | date | None) -> str | None:
    """ISO 8601 in UTC with a Z ("2026-11-01T18:00:00Z")."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat()


def public_id(value: str) -> str:
    """The UUID in "coalition:<uuid>" or "<uuid>", or abort 404 (a malformed id names nothing)."""
    text = (value or "").removeprefix("coalition:")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        abort(404)


def id_from_href(link, collection: str) -> str | None:
    """The public id in a link to `collection` ("…/people/<id>"), or None when it is not such a link."""
    if not isinstance(link, str):
        return None
    match = re.search(rf"/{collection}/([^/?#]+)/?$", link)
    return public_id(match.group(1)) if match else None


# --- Request bodies -------------------------------------------------------------------------------------------


def json_body() -> dict:
    """The request's JSON object: 400 when it is not JSON, 422 when it is not an object."""
    try:
        body = request.get_json(force=True, silent=False)
    except (BadRequest, RecursionError):  # a body nested thousands deep is not worth parsing
        abort(400, description="The body is not valid JSON.")
    if not isinstance(body, dict):
        raise UnprocessableEntity("The body must be a JSON object.")
    return body


def typed(container: dict, name: str, kind, default=None):
    """`container[name]` if it has type `kind` (unknown fields are ignored; wrong types are refused with 422)."""
    value = container.get(name, default)
    if value is None or value is default:
        return value
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise UnprocessableEntity(f"'{name}' has the wrong type.")
    return value


def string_list(container: dict, name: str) -> list[str]:
    """A list of strings, or 422."""
    values = typed(container, name, list, []) or []
    if not all(isinstance(v, str) for v in values):
        raise UnprocessableEntity(f"'{name}' must be a list of strings.")
    return values


def primary_email(person: dict) -> str:
    """The primary (else first) email address of an OSDI person object, or 422."""
    addresses = typed(person, "email_addresses", list, []) or []
    if not all(isinstance(a, dict) for a in addresses):
        raise UnprocessableEntity("'email_addresses' must be a list of objects.")
    chosen = next((a for a in addresses if a.get("primary")), addresses[0] if addresses else {})
    address = typed(chosen, "address", str)
    if not address or "@" not in address:
        raise UnprocessableEntity("A person needs an email address.")
    return address


# --- Filters --------------------------------------------------------------------------------------------------

_CLAUSE = re.compile(r"^\s*(\w+)\s+(gt|lt|eq)\s+'([^']*)'\s*$", re.IGNORECASE)


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        abort(400, description=f"Not a date: '{text}'.")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def apply_filter(statement, columns: dict, text_columns: dict | None = None):
    """Apply `filter=modified_date gt '2026-11-01' and …` (gt, lt, eq on dates; eq on text columns)."""
    text = request.args.get("filter")
    if not text:
        return statement
    text_columns = text_columns or {}
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(part)
        if not match:
            abort(400, description="Filters look like: modified_date gt '2026-11-01'.")
        name, op, value = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if name in columns:
            column, moment = columns[name], parse_moment(value)
            clause = {"gt": column > moment, "lt": column < moment, "eq": column == moment}[op]
        elif name in text_columns and op == "eq":
            clause = func.lower(text_columns[name]) == value.strip().lower()
        else:
            abort(400, description=f"Cannot filter on '{name} {op}'.")
        statement = statement.where(clause)
    return statement


# --- Collections ----------------------------------------------------------------------------------------------


def _positive_arg(name: str, default: int, cap: int | None = None) -> int:
    """A whole number from 1 up from the query string: above `cap` it is capped, else above MAX_PAGE it is a 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    # ascii: "²".isdigit() is True but int("²") fails; and int() refuses strings of more than 4300 digits
    if not (raw.isascii() and raw.isdigit()) or raw.strip("0") == "":
        abort(400, description=f"'{name}' must be a positive whole number.")
    value = int(raw) if len(raw.lstrip("0")) < 50 else MAX_PAGE + 1
    if cap is not None:
        return min(value, cap)
    if value > MAX_PAGE:
        abort(400, description=f"'{name}' must be at most {MAX_PAGE}.")
    return value


def page_args() -> tuple[int, int]:
    """(page, per_page) from the query string: per_page at most 25, as Action Network does."""
    return _positive_arg("page", 1), _positive_arg("per_page", MAX_PAGE_SIZE, cap=MAX_PAGE_SIZE)


def paginate(statement) -> tuple[list, int, int, int]:
    """(rows of this page, total records, page, per_page) of a select() with an ORDER BY: two queries."""
    page, per_page = page_args()
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    if (page - 1) * per_page >= total:
        return [], total, page, per_page
    rows = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).unique())
    return rows, total, page, per_page


def collection(name: str, path: str, items: list[dict], total: int, page: int, per_page: int):
    """A paginated HAL collection: members only under `_embedded["osdi:<name>"]`."""
    pages = math.ceil(total / per_page) if total else 0
    extra = "&" + urlencode({"filter": request.args["filter"]}) if request.args.get("filter") else ""
    links = {"self": href(f"{path}?page={page}&per_page={per_page}{extra}"), "curies": CURIES}
    if page < pages:
        links["next"] = href(f"{path}?page={page + 1}&per_page={per_page}{extra}")
    if 1 < page <= pages + 1:
        links["previous"] = href(f"{path}?page={page - 1}&per_page={per_page}{extra}")
    links[f"osdi:{name}"] = [{"href": item["_links"]["self"]["href"]} for item in items]
    body = {
        "total_pages": pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
        "_embedded": {f"osdi:{name}": items},
    }
    return hal(body)


def hal(body: dict, status: int = 200):
    """A HAL+JSON response."""
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/hal+json"
    return response
