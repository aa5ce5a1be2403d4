"""HTML to report text. <sup>N</sup> becomes a bracketed marker; scripts and styles are dropped.

Nothing is fetched: links are kept as text (`label <href>`), images are ignored.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "blockquote", "ol", "ul", "table", "hr", "title"}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe"}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.sup = 0
        self.sup_buf: list[str] = []
        self.href: list[str | None] = []
        self.ol_counter: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "sup":
            self.sup += 1
            return
        if tag == "a":
            self.href.append(dict(attrs).get("href"))
        if tag == "ol":
            start = dict(attrs).get("start") or "1"
            self.ol_counter.append(int(start) - 1 if start.isdigit() else 0)
        if tag in _BLOCK:
            self.out.append("\n\n" if tag in ("p", "div", "h1", "h2", "h3", "h4", "section") else "\n")
        if tag == "li":
            if self.ol_counter:
                self.ol_counter[-1] += 1
                self.out.append(f"[{self.ol_counter[-1]}] ")
            else:
                self.out.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "sup":
            self.sup = max(0, self.sup - 1)
            if self.sup == 0:
                inner = "".join(self.sup_buf).strip()
                self.sup_buf = []
                self.out.append(f"[{inner}]" if inner.isdigit() else inner)
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")):
                label = self.out[-1] if self.out else ""
                if href not in label:
                    self.out.append(f" <{href}>")
        if tag == "ol" and self.ol_counter:
            self.ol_counter.pop()
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.sup:
            self.sup_buf.append(data)
        else:
            self.out.append(data)


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    text = "".join(builder.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
