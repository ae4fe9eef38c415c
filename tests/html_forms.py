"""Read the forms of a rendered page the way a browser would submit them.

``page_forms(html)`` returns one ``PageForm`` per <form>: its action, method and the
values a browser would send if the person pressed submit without touching anything
(text inputs, hidden inputs, ticked checkboxes, the selected option of each select,
textareas). Tests type over those values and post them, so a test submits exactly what
the page showed, including what the page failed to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    values: dict[str, str] = field(default_factory=dict)
    # Every field name in the form, including unticked checkboxes and empty selects.
    names: list[str] = field(default_factory=list)
    # The options each select offers: name -> [(value, label, selected)].
    options: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    # Every value sent under each name: several for ticked checkboxes of one name or a
    # multiple select (``values`` keeps one of them).
    lists: dict[str, list[str]] = field(default_factory=dict)

    def post_data(self, **typed) -> dict:
        """What the browser sends, every value of a name included, with ``typed`` over it."""
        data: dict = {name: list(values) for name, values in self.lists.items()}
        data.update({name: value for name, value in self.values.items() if name not in data})
        return {**data, **typed}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._multiple = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add_name(self, name: str) -> None:
        if name not in self._form.names:
            self._form.names.append(name)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or (tag != "option" and not a.get("name")):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            name = a["name"]
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self._add_name(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.values[name] = a.get("value", "on")
                    if kind == "checkbox":
                        self._form.lists.setdefault(name, []).append(a.get("value", "on"))
            else:
                self._form.values.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
            self._multiple = "multiple" in a
            self._add_name(self._select)
            self._form.options[self._select] = []
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a}
            self._text = []
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add_name(self._textarea)
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None:
            label = "".join(self._text).strip()
            value = self._option["value"] if self._option["value"] is not None else label
            self._form.options[self._select].append((value, label, self._option["selected"]))
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._form.options[self._select]
            chosen = [v for v, _label, selected in options if selected]
            if self._multiple:
                self._form.lists[self._select] = chosen
            if chosen:
                self._form.values[self._select] = chosen[0]
            elif options:
                self._form.values[self._select] = options[0][0]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops one newline straight after <textarea>.
            self._form.values[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None


def page_forms(html: str | bytes) -> list[PageForm]:
    reader = _Reader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader.forms


def page_form(html: str | bytes, *, containing: str) -> PageForm:
    """The page's one form that has a field named ``containing``."""
    found = [f for f in page_forms(html) if containing in f.names]
    assert len(found) == 1, f"{len(found)} forms have a field {containing!r}"
    return found[0]
