"""Forms as a browser sends them, for the load test (bench/load_traffic.py): read from the page, filled, encoded.

A form is read with every field and its value as the page gives it (hidden CSRF token and single-use nonce, checked
boxes and radio buttons, selected options, text areas), so that the load sends what a person's browser would.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


class Form:
    """A form as a browser would send it: action and the (name, value) pairs of its fields, in order."""

    def __init__(self, action: str, method: str):
        self.action, self.method, self.fields = action, method.lower(), []
        #: Each field's input attributes (type, inputmode...) and, for choices, the values it offers.
        self.inputs: dict[str, dict] = {}
        self.choices: dict[str, list[str]] = {}

    def fill(self, **values) -> "Form":
        """Set fields (a list sets a multiple choice); a field the form lacks is added."""
        for name, value in values.items():
            kept = [(n, v) for n, v in self.fields if n != name]
            self.fields = kept + [(name, str(v)) for v in (value if isinstance(value, list) else [value])]
        return self

    def encode(self) -> str:
        return urlencode(self.fields)


class FormReader(HTMLParser):
    """Reads the forms of a page: hidden and text inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append(Form(a.get("action") or "", a.get("method") or "get"))
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))
        elif form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "reset", "file", "image"):
            form.inputs.setdefault(a["name"], a)
            if a.get("type") == "radio":
                form.choices.setdefault(a["name"], []).append(a.get("value", ""))
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                form.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            form.inputs.setdefault(a["name"], a)
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.forms[-1].choices[self._select["name"]] = self._select["options"]
            chosen = self._select["selected"] or ([] if self._select["multiple"] else self._select["options"][:1])
            self.forms[-1].fields.extend((self._select["name"], value) for value in chosen)
            self._select = None


def find_form(html: bytes, action_ends: str, page: str) -> Form | None:
    """The form of `page` posting to an address that ends with `action_ends` (no action: the page itself)."""
    reader = FormReader()
    reader.feed(html.decode("utf-8", "replace"))
    for form in reader.forms:
        form.action = form.action or page
        if urlsplit(form.action).path.endswith(action_ends):
            return form
    return None
