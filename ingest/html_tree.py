"""HTML to a small element tree, with the standard library's tolerant tokenizer.

The HTML reader needs what a flat text walk loses: which element an `href="#id"` points to,
the elements around it, the order of everything. Real pages are not well formed: a `<p>` or
`<li>` is closed by the next one, end tags go missing or stray, Word writes unquoted
attributes. The rules here are the common subset of HTML's own: void elements have no
content, a block start closes an open `<p>`, `<li>`/`<dt>`/`<dd>`/`<tr>`/`<td>` close their
open siblings, an end tag closes up to its open element and is ignored when none is open.
Scripts, styles and templates keep no text (JSON-LD scripts and styles are kept aside: metadata,
and the classes a page hides).
Nothing is fetched.
"""
from __future__ import annotations

from html.parser import HTMLParser
from typing import Callable

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
RAW = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "textarea", "select"}
_CLOSES_P = {"p", "div", "ul", "ol", "dl", "table", "section", "article", "aside", "header", "footer", "nav",
             "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "form", "main", "address"}
_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr"}, "td": {"td", "th"},
             "th": {"td", "th"}, "option": {"option"}}
_SCOPES = {"li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "tr": {"table", "tbody", "thead", "tfoot"},
           "td": {"tr", "table"}, "th": {"tr", "table"}, "option": {"select"}}


class Node:
    """An element: tag, attributes, children (Nodes and text strings), parent, document order."""

    __slots__ = ("tag", "attrs", "children", "parent", "order")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "Node | None", order: int):
        self.tag, self.attrs, self.children, self.parent, self.order = tag, attrs, [], parent, order

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    @property
    def classes(self) -> str:
        return self.get("class").lower()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def iter(self):
        """This element and every element under it, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def text(self, skip: "Callable[[Node], bool] | None" = None) -> str:
        """All text under it, white space as written; without the elements `skip` says."""
        out: list[str] = []
        stack: list = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
            elif node.tag not in RAW and not (skip is not None and node is not self and skip(node)):
                stack.extend(reversed(node.children))
        return "".join(out)

    def __repr__(self) -> str:              # for test failures
        return f"<{self.tag} {self.attrs}>"


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None, 0)
        self.stack = [self.root]
        self.count = 0
        self.raw: str | None = None                 # inside a RAW element: its tag
        self.scripts: list[str] = []                # the text of JSON-LD scripts
        self.styles: list[str] = []                 # the text of <style> elements
        self.script_is_json = False
        self.script_buf: list[str] = []

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        self.count += 1
        node = Node(tag, {k.lower(): (v or "") for k, v in attrs}, self.stack[-1], self.count)
        self.stack[-1].children.append(node)
        return node

    def _close_until(self, tags: set[str], scope: set[str]) -> None:
        """Close the innermost open element of `tags`, unless an element of `scope` is nearer."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                del self.stack[i:]
                return
            if tag in scope:
                return

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.raw:
            return
        if tag in _CLOSES_P:
            self._close_until({"p"}, {"div", "li", "td", "th", "section", "article", "blockquote", "aside", "body",
                                      "dd", "table"})
        if tag in _SIBLINGS:
            self._close_until(_SIBLINGS[tag], _SCOPES[tag])
        if tag == "body":                           # an unclosed <head> ends where <body> starts
            self._close_until({"head"}, set())
        node = self._open(tag, attrs)
        if tag in VOID:
            return
        if tag in RAW:
            self.raw = tag
            self.script_is_json = (tag == "script" and "ld+json" in node.get("type").lower()) or tag == "style"
            self.script_buf = []
        self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if self.raw:
            return
        if tag in VOID or tag in RAW:
            self.handle_starttag(tag, attrs)
            if tag in RAW:
                self.handle_endtag(tag)
        else:
            self._open(tag, attrs)                  # <a id="x"/> in XHTML: an empty element

    def handle_endtag(self, tag: str) -> None:
        if self.raw:
            if tag != self.raw:
                return
            if self.script_is_json:
                (self.styles if tag == "style" else self.scripts).append("".join(self.script_buf))
            self.raw = None
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.raw:
            if self.script_is_json:
                self.script_buf.append(data)
            return
        self.stack[-1].children.append(data)


def parse_html(html: str) -> tuple[Node, list[str], list[str]]:
    """(the document's root element, the text of its JSON-LD scripts, of its <style>s)."""
    b = _Builder()
    b.feed(html)
    b.close()
    return b.root, b.scripts, b.styles
