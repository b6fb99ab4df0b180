"""The entry point (`/api/osdi/v1/`) and the OpenAPI 3.1 description of the API (`/openapi.json`).

The test suite validates every endpoint's real responses against these schemas, so they cannot drift apart.
"""

from flask import current_app, jsonify

from coalition.api import bp, hal

S, INT, B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NS, NI = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
DATE = {"type": "string", "format": "date-time"}
LINK = {"type": "object", "required": ["href"], "properties": {"href": S}}
IDS = {"type": "array", "items": {"type": "string", "pattern": "^coalition:[0-9a-f-]{36}$"}, "minItems": 1}


def obj(required: list[str], **properties) -> dict:
    """A JSON schema object with these properties, all required unless listed otherwise."""
    return {"type": "object", "required": required, "properties": properties}


def links(*names: str) -> dict:
    return obj(["self", *names], self=LINK, **{name: LINK for name in names})


STAMPS = {"identifiers": IDS, "created_date": DATE, "modified_date": DATE}
EMAIL = obj(["address"], primary=B, address=S, status=S)
SCHEMAS = {
    "Error": obj(["error", "message"], error=S, message=S, field=S),
    "Person": obj(
        ["identifiers", "created_date", "modified_date", "given_name", "family_name", "email_addresses", "_links"],
        **STAMPS,
        given_name=S,
        family_name=S,
        email_addresses={"type": "array", "items": EMAIL},
        phone_numbers={"type": "array"},
        postal_addresses={"type": "array"},
        languages_spoken={"type": "array", "items": S},
        preferred_language=NS,
        custom_fields={"type": "object", "additionalProperties": S},
        **{"coalition:status": {"enum": ["member", "invited"]}, "coalition:tags": {"type": "array", "items": S}},
        _links=links(),
    ),
    "Tag": obj(["identifiers", "name", "_links"], **STAMPS, name=S, _links=links("osdi:taggings")),
    "Tagging": obj(["identifiers", "_links"], **STAMPS, _links=links("osdi:tag", "osdi:person")),
    "Event": obj(
        ["identifiers", "title", "status", "start_date", "end_date", "timezone_identifier", "total_accepted", "_links"],
        **STAMPS,
        title=S,
        description=S,
        status={"enum": ["confirmed", "tentative", "cancelled"]},
        start_date=DATE,
        end_date=DATE,
        timezone_identifier=S,
        capacity=NI,
        visibility={"enum": ["public", "private"]},
        location=obj(["venue", "address_lines"], venue=S, address_lines={"type": "array", "items": S}),
        total_accepted=INT,
        _links=links("osdi:attendances", "osdi:record_attendance_helper"),
    ),
    "Attendance": obj(
        ["identifiers", "status", "attended", "person", "custom_fields", "_links"],
        **STAMPS,
        action_date=DATE,
        status={"enum": ["accepted", "tentative", "declined", "cancelled", "needs action"]},
        attended=B,
        comment=S,
        person=obj(["email_addresses"], given_name=S, family_name=S, email_addresses={"type": "array", "items": EMAIL}),
        custom_fields={"type": "object", "additionalProperties": S},
        _links=links("osdi:event"),
    ),
    "AdvocacyCampaign": obj(
        ["identifiers", "title", "targets", "_links"],
        **STAMPS,
        title=S,
        description=S,
        targets={"type": "array", "items": obj(["identifiers", "given_name"], identifiers=IDS, given_name=S)},
        _links=links("osdi:outreaches"),
    ),
    "Outreach": obj(
        ["identifiers", "type", "targets", "_links"],
        **STAMPS,
        type=S,
        message=S,
        action_date=DATE,
        targets={"type": "array", "items": obj(["given_name"], given_name=S)},
        _links=links("osdi:advocacy_campaign"),
    ),
    "Story": obj(
        ["identifiers", "title", "body", "author", "language", "tags", "_links"],
        **STAMPS,
        title=S,
        body=S,
        author=S,
        content_note=NS,
        language=S,
        tags={"type": "array", "items": S},
        location=NS,
        is_excerpt=B,
        _links=links(),
    ),
    "EntryPoint": obj(
        ["motd", "vendor_name", "product_name", "osdi_version", "max_pagesize", "_links"],
        motd=S,
        vendor_name=S,
        product_name=S,
        osdi_version=S,
        max_pagesize=INT,
        _links=obj(["self", "curies", "osdi:people", "osdi:events", "osdi:tags", "osdi:advocacy_campaigns"]),
    ),
}

#: collection name -> (path, item schema)
COLLECTIONS = {
    "people": ("/people", "Person"),
    "tags": ("/tags", "Tag"),
    "taggings": ("/tags/{id}/taggings", "Tagging"),
    "events": ("/events", "Event"),
    "attendances": ("/events/{id}/attendances", "Attendance"),
    "advocacy_campaigns": ("/advocacy_campaigns", "AdvocacyCampaign"),
    "outreaches": ("/advocacy_campaigns/{id}/outreaches", "Outreach"),
    "stories": ("/stories", "Story"),
}
for _name, (_path, _item) in COLLECTIONS.items():
    SCHEMAS[f"{_item}Collection"] = obj(
        ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
        total_pages=INT,
        per_page={"type": "integer", "maximum": hal.MAX_PAGE_SIZE},
        page=INT,
        total_records=INT,
        _links=obj(["self"], self=LINK, next=LINK, previous=LINK),
        _embedded={
            "type": "object",
            "required": [f"osdi:{_name}"],
            "additionalProperties": False,
            "properties": {f"osdi:{_name}": {"type": "array", "items": {"$ref": f"#/components/schemas/{_item}"}}},
        },
    )


def _response(schema: str, description: str = "OK") -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": description, "content": {"application/hal+json": {"schema": ref}}}


ERRORS = {
    str(code): {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for code in (400, 401, 403, 404, 405, 409, 413, 422, 429)
}
PAGE = [{"name": "page", "in": "query", "schema": INT}, {"name": "per_page", "in": "query", "schema": INT}]
FILTER = [{"name": "filter", "in": "query", "schema": S, "example": "modified_date gt '2026-11-01'"}]
ID = [{"name": "id", "in": "path", "required": True, "schema": S}]
BODY = {"content": {"application/json": {"schema": {"type": "object"}}}}


def _get(schema: str, params=()) -> dict:
    return {"get": {"parameters": list(params), "responses": {"200": _response(schema), **ERRORS}}}


def _post(schema: str, params=(), status: str = "201") -> dict:
    responses = {"200": _response(schema), status: _response(schema), **ERRORS}
    return {"post": {"parameters": list(params), "requestBody": BODY, "responses": responses}}


def _paths() -> dict:
    paths = {
        "/": _get("EntryPoint"),
        "/people": {**_get("PersonCollection", PAGE + FILTER), **_post("Person")},
        "/people/{id}": _get("Person", ID),
        "/people/{id}/taggings": _get("TaggingCollection", ID + PAGE),
        "/person_signup_helper": _post("Person"),
        "/tags": {**_get("TagCollection", PAGE + FILTER), **_post("Tag")},
        "/tags/{id}": _get("Tag", ID),
        "/tags/{id}/taggings": {**_get("TaggingCollection", ID + PAGE), **_post("Tagging", ID)},
        "/events": _get("EventCollection", PAGE + FILTER),
        "/events/{id}": _get("Event", ID),
        "/events/{id}/attendances": {**_get("AttendanceCollection", ID + PAGE + FILTER), **_post("Attendance", ID)},
        "/events/{id}/record_attendance_helper": _post("Attendance", ID),
        "/advocacy_campaigns": _get("AdvocacyCampaignCollection", PAGE + FILTER),
        "/advocacy_campaigns/{id}": _get("AdvocacyCampaign", ID),
        "/advocacy_campaigns/{id}/outreaches": {
            **_get("OutreachCollection", ID + PAGE + FILTER),
            **_post("Outreach", ID),
        },
        "/stories": _get("StoryCollection", PAGE + FILTER),
        "/stories/{id}": _get("Story", ID),
    }
    paths["/tags/{id}/taggings/{tagging_id}"] = {
        "delete": {
            "parameters": ID + [{"name": "tagging_id", "in": "path", "required": True, "schema": S}],
            "responses": {"200": {"description": "Deleted"}, **ERRORS},
        }
    }
    return paths


def document() -> dict:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Coalition OSDI API", "version": "1.1.0"},
        "servers": [{"url": hal.url("").rstrip("/")}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}},
        },
        "security": [{"token": []}],
        "paths": _paths(),
    }


@bp.get("/openapi.json")
def openapi_document():
    """Serve the OpenAPI description (no key needed: it holds no data)."""
    return jsonify(document())


@bp.get("/")
def entry_point():
    """The OSDI entry point: the collections this key may use."""
    body = {
        "motd": "Welcome to the Coalition OSDI API",
        "vendor_name": "Coalition",
        "product_name": "Coalition",
        "osdi_version": "1.1",
        "max_pagesize": hal.MAX_PAGE_SIZE,
        "namespace": "coalition",
        "_links": {
            "self": hal.href(""),
            "curies": hal.CURIES,
            "osdi:people": hal.href("people"),
            "osdi:events": hal.href("events"),
            "osdi:tags": hal.href("tags"),
            "osdi:advocacy_campaigns": hal.href("advocacy_campaigns"),
            "osdi:person_signup_helper": hal.href("people/person_signup_helper"),
            "coalition:stories": hal.href("stories"),
            "docs": {"href": current_app.config["SITE_URL"] + "/api/osdi/v1/openapi.json"},
        },
    }
    return hal.hal(body)
