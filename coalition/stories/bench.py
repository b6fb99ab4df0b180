"""The stories of the benchmark dataset: tags, answers and consent records (context: `coalition.core.bulk`)."""

from datetime import timedelta

from sqlalchemy import inspect

from coalition.core.bulk import CHUNK, FIRST, LAST, NEIGHBOURHOODS, STORY_TAGS, TOPICS, insert_rows
from coalition.extensions import db
from coalition.stories.models import TAG_COPIES, ConsentChange, Story, StoryAnswer, StoryTag
from coalition.stories.search import install_search

#: Stories per unit of scale.
STORIES = 100_000


def bench_rows(ctx) -> None:
    """Stories in batches: insert a chunk, then its tag rows, answers and first consent record, each committed."""
    rng, total, coalition_id = ctx["rng"], round(STORIES * ctx["scale"]), ctx["coalition_id"]
    made = answers_made = 0
    while made < total:
        rows = [_story_row(ctx, made + i) for i in range(min(CHUNK, total - made))]
        ids = insert_rows(Story, rows, returning=True)
        answers, consents = [], []
        # Bulk INSERTs skip the ORM, which fills story_tags (and their copies of the story) when `Story.tags` is set.
        pairs = zip(ids, rows, strict=True)
        tags = [{"story_id": i, "tag": t, **_tag_copies(r)} for i, r in pairs for t in r["tags"]]
        for story_id, row in zip(ids, rows, strict=True):
            consents.append(
                {
                    "story_id": story_id,
                    "coalition_id": coalition_id,
                    "changed_by_id": row["storyteller_id"],
                    "via": "storyteller" if row["storyteller_id"] else "visitor_link",
                    "field": "visibility",
                    "old_value": None,
                    "new_value": row["visibility"],
                    "created_at": row["created_at"],
                }
            )
            for question_id, (kind, _prompt, choices) in ctx["questions"].get(row["campaign_id"], []):
                value = _answer_value(rng, kind, choices)
                if value is not None:
                    answers.append(
                        {"story_id": story_id, "coalition_id": coalition_id, "question_id": question_id, "value": value}
                    )
        insert_rows(StoryTag, tags)
        insert_rows(StoryAnswer, answers)
        insert_rows(ConsentChange, consents)
        made += len(rows)
        answers_made += len(answers)
        ctx.setdefault("story_ids", []).extend(ids)
    ctx["counts"].update(stories=made, answers=answers_made)


def _tag_copies(row: dict) -> dict:
    """What a tag row copies of its story (see `stories.models.TAG_COPIES`), and its coalition."""
    return {"coalition_id": row["coalition_id"], **{name: row[name] for name in TAG_COPIES}}


def _story_row(ctx, index: int) -> dict:
    rng, now = ctx["rng"], ctx["now"]
    created = now - timedelta(seconds=rng.randint(3_600, 730 * 86_400))
    status = rng.choices(["draft", "submitted", "approved", "returned"], [5, 15, 75, 5])[0]
    visitor = rng.random() < 0.15
    row = {
        "coalition_id": ctx["coalition_id"],
        "campaign_id": rng.choice(ctx["campaigns"]) if rng.random() < 0.9 else None,
        "storyteller_id": None if visitor else rng.choice(ctx["members"]),
        "intake_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if visitor else None,
        "intake_email": f"visitor{index}@{ctx['email_domain']}" if visitor else None,
        "title": ctx["text"].title(),
        "body": ctx["text"].body(),
        "language": "es" if rng.random() < 0.2 else "en",
        "tags": sorted(rng.sample(STORY_TAGS, rng.randint(0, 3))),
        "location": rng.choice(NEIGHBOURHOODS) if rng.random() < 0.7 else None,
        "content_note": "Mentions a child's illness." if rng.random() < 0.05 else None,
        "status": "draft" if visitor and status == "draft" else status,
        "visibility": rng.choices(["team", "members", "public"], [30, 40, 30])[0],
        "attribution": rng.choice(["full", "first_initial", "anonymous"]),
        "share_with_decision_makers": rng.random() < 0.5,
        "press_ok": rng.random() < 0.3,
        "withdrawn_at": created + timedelta(days=3) if rng.random() < 0.03 else None,
        "deleted_at": None,
        "created_at": created,
        "updated_at": created,
        "submitted_at": created + timedelta(minutes=5) if status != "draft" else None,
        "approved_at": created + timedelta(days=2) if status == "approved" else None,
    }
    if row["withdrawn_at"] is not None and rng.random() < 0.3:
        row.update(deleted_at=row["withdrawn_at"], title="", body="", tags=[])
    return row


def _answer_value(rng, kind: str, choices) -> str | None:
    chance = {"yes_no": 0.75, "choice": 0.7, "number": 0.4, "short_text": 0.15}[kind]
    if rng.random() >= chance:
        return None
    if kind == "yes_no":
        return rng.choice(["yes", "yes", "no"])
    if kind == "choice":
        return rng.choice(choices)
    if kind == "number":
        return str(rng.randint(0, 24))
    return f"Fix the {rng.choice(TOPICS)} and the {rng.choice(TOPICS)}."


def ensure_search_index() -> None:
    """Fill the stories' full-text index when this database was built without it (triggers fill it otherwise)."""
    connection = db.session.connection()
    names = inspect(connection).get_table_names()
    if connection.dialect.name == "sqlite" and "stories_fts" not in names:
        install_search(connection)
    elif connection.dialect.name == "postgresql":
        indexes = {i["name"] for i in inspect(connection).get_indexes("stories")}
        if "ix_stories_fulltext_vector" not in indexes:
            install_search(connection)
    db.session.commit()
