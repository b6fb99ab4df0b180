"""core.pagination: a page the list does not fill is its last, and gives the list's size without a count."""

import pytest
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.core.pagination import paginate


@pytest.fixture
def thirty_people(db, make_user):
    """Thirty accounts named Person 00 .. Person 29; a select() of them in that order (PER_PAGE is 25)."""
    for number in range(30):
        make_user(name=f"Person {number:02d}")
    return select(User).where(User.display_name.like("Person %")).order_by(User.display_name)


def _page(app, statement, count_queries, number: int, **options):
    with app.test_request_context(f"/?page={number}"), count_queries() as counter:
        page = paginate(statement, **options)
        names = [user.display_name for user in page.items]
    return page, names, counter.count


@pytest.mark.parametrize("by_id", [False, True])
def test_the_last_page_tells_the_total_without_counting(app, thirty_people, count_queries, by_id):
    options = {"ids": thirty_people.with_only_columns(User.id)} if by_id else {}
    first, first_names, first_statements = _page(app, thirty_people, count_queries, 1, **options)
    last, last_names, last_statements = _page(app, thirty_people, count_queries, 2, **options)
    assert first_names[0] == "Person 00" and len(first_names) == 25 and first.total == 30 and first.has_next
    assert last_names == [f"Person {number}" for number in range(25, 30)] and last.total == 30
    assert not last.has_next and last.pages == 2
    assert last_statements == first_statements - 1  # the filled page counted; the last one did not need to


def test_a_page_past_the_end_still_counts_the_list(app, thirty_people, count_queries):
    past, names, _statements = _page(app, thirty_people, count_queries, 5)
    assert names == [] and past.total == 30 and past.pages == 2


def test_an_empty_list_is_one_empty_page_without_a_count(app, db, count_queries):
    nobody = select(User).where(User.display_name == "Nobody at all")
    page, names, statements = _page(app, nobody, count_queries, 1)
    assert names == [] and page.total == 0 and page.pages == 0 and statements == 1
