"""Links: absolute ones for mail, calendar feeds and the API; and the links of a long list's rows, built cheaply."""

from collections.abc import Hashable, Iterable

from flask import current_app, g, request, url_for

#: Put in place of a row's id to build a list's link once; any id of a row is smaller (ids are 32-bit).
_STAND_IN = 2_147_483_646
_LARGEST_ID = 2**31 - 1


def site_link(path: str) -> str:
    """An absolute link built from SITE_URL, never from the request's Host header."""
    return current_app.config["SITE_URL"] + path


class RowURL:
    """`url_for(endpoint, **values, key=value)` for the rows of a list, with url_for called once, not once a row.

    For an id (a non-negative integer) the link is built once with a stand-in number, which each row's id then
    replaces; any other value (a tag, say) is built by url_for once per distinct value. The links are url_for's.
    """

    def __init__(self, endpoint: str, key: str, /, **values) -> None:
        self.endpoint, self.key, self.values = endpoint, key, values
        self.built: dict[Hashable, str] = {}
        stand_in = str(_STAND_IN)
        head, found, tail = url_for(endpoint, **values, **{key: _STAND_IN}).partition(stand_in)
        # Built by url_for for each row if the stand-in could be taken for another part of the link.
        self.parts = (head, tail) if found and stand_in not in tail else None

    def __call__(self, value) -> str:
        if self.parts is not None and type(value) is int and 0 <= value <= _LARGEST_ID:
            return f"{self.parts[0]}{value}{self.parts[1]}"
        try:
            return self.built[value]
        except KeyError:
            link = self.built[value] = url_for(self.endpoint, **self.values, **{self.key: value})
            return link
        except TypeError:  # not hashable
            return url_for(self.endpoint, **self.values, **{self.key: value})


def row_link(endpoint: str, key: str, value) -> str:
    """`url_for(endpoint, key=value)` for rows made in Python (a timeline's entries): one RowURL per endpoint, kept for
    the request, builds the link of every row."""
    kept = g.setdefault("_row_urls", {})
    row_url = kept.get((endpoint, key))
    if row_url is None:
        row_url = kept[endpoint, key] = RowURL(endpoint, key)
    return row_url(value)


def query_args(drop: Iterable[str] = (), /, **changes) -> dict:
    """The request's query arguments (the first value of each) without those in `drop`, with `changes`: the values
    of a link to the same list with one thing changed (a pager's page, an export of what is shown).

    Arguments that url_for takes for its own ("endpoint", and "_anchor", "_external"... starting with "_") are left
    out: no list reads them, and passed on they broke the page (`?endpoint=x` on a story list was a 500)."""
    args = {
        name: value
        for name, value in request.args.items()
        if name != "endpoint" and not name.startswith("_") and name not in drop
    }
    args.update(changes)
    return args
