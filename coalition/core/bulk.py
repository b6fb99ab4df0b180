"""Bulk rows for the generated benchmark dataset: chunked INSERTs and a fixed vocabulary for names and texts.

Each domain's `bench.py` builds its own rows with these helpers; `bench/seed.py` (above the package) runs the domains
in order. They share one context dict, `ctx`: `rng` (one seeded `random.Random`, drawn from in a fixed order so the
dataset is the same on every run), `text` (a `Text`), `now`, `scale`, `email_domain`, `counts` (rows made per kind),
and the ids each domain adds for the ones after it (`users`, `coalition_id`, `team`, `members`, `campaigns`, ...).
"""

import random

from sqlalchemy import insert

from coalition.extensions import db

#: Rows per INSERT statement and per commit.
CHUNK = 5_000

FIRST = (
    "Ana Omar Maria Jamal Mei Rosa Tom Luis Fatima Kwame Sofia Dmitri Aisha Carlos Nguyen Priya Samuel Elena".split()
)
LAST = (
    "Ortiz Haddad Santos Carter Chen Delgado Becker Ruiz Okafor Kim Nowak Tran Patel Mensah Rossi Silva Jones".split()
)
NEIGHBOURHOODS = (
    "Riverside Eastside Northgate Old-Mill Harbor Westfield Cedar-Park Lakeview Southbank Hillcrest".split()
)
#: The issue tags of campaigns and stories.
STORY_TAGS = (
    "mold repairs heat rent-increase eviction pests water-leak elevator safety harassment deposit noise "
    "accessibility lead-paint utilities"
).split()
FILLER = (
    "the a and we our my in on at of to for with since every month year week day night still again never "
    "always after before when because but so then there here it they he she was were is are has have had "
    "called asked told wrote waited nobody somebody family children kids neighbours building apartment "
    "unit floor hallway kitchen bathroom bedroom window door stairs street block corner office"
).split()
TOPICS = (
    "mold heat heating radiator cold leak ceiling water pipes rats mice cockroaches bedbugs eviction notice "
    "court rent increase deposit landlord manager superintendent repairs broken elevator wheelchair ramp lights "
    "security lock smoke alarm asthma clinic doctor inspector violation fine hearing lease renewal harassment "
    "threat noise construction dust lead paint boiler hot gas electricity bill shutoff garbage trash flood "
    "sewage roof crack wall stove fridge"
).split()
PLACES = [w.lower() for w in NEIGHBOURHOODS] + "maple oak elm pine birch willow avenue court terrace plaza".split()


def scaled(per_unit: int, scale: float, minimum: int = 1) -> int:
    """The number of rows of a kind at `scale`, never fewer than `minimum`."""
    return max(minimum, round(per_unit * scale))


def chunks(rows, size=CHUNK):
    """Split `rows` into lists of at most `size`."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_rows(model, rows, *, returning=False) -> list[int]:
    """Bulk-insert `rows` (dicts) in chunks, committing each; return the new ids in order when asked."""
    ids = []
    for chunk in chunks(rows):
        statement = insert(model)
        if returning:
            statement = statement.returning(model.id, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, chunk).all())
        else:
            db.session.execute(statement, chunk)
        db.session.commit()
    return ids


class Text:
    """Story titles and texts from a fixed vocabulary, so searches match a realistic share of stories."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = FILLER + TOPICS + PLACES
        self.weights = (
            [6 / len(FILLER)] * len(FILLER) + [3 / len(TOPICS)] * len(TOPICS) + [1 / len(PLACES)] * len(PLACES)
        )

    def _words(self, count: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=count)

    def title(self) -> str:
        """A title of two to five topic words."""
        return " ".join(self.rng.choices(TOPICS, k=self.rng.randint(2, 5))).capitalize()

    def body(self, low=40, high=140) -> str:
        """A text of `low` to `high` words in sentences of twelve."""
        words = self._words(self.rng.randint(low, high))
        sentences = [" ".join(words[i : i + 12]).capitalize() + "." for i in range(0, len(words), 12)]
        return " ".join(sentences)
