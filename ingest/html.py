"""HTML to report text. <sup>N</sup> becomes a bracketed marker; scripts and styles are dropped.

Nothing is fetched: links are kept as text (`label <href>`), images are ignored.
White space inside text follows HTML rules (a line break in the source is a space), so a
paragraph wrapped in the source stays one paragraph.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "blockquote", "ol", "ul", "table", "hr", "title", "pre"}
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"}
_PRE = {"pre", "textarea"}
_MARKERS = re.compile(r"\[?\d{1,3}\]?(?:\s*[,;]\s*\[?\d{1,3}\]?)*")


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []           # open tags whose content is dropped
        self.pre = 0
        self.sup = 0
        self.sup_buf: list[str] = []
        self.href: list[str | None] = []
        self.ol_counter: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and self.skip == ["head"]:
            self.skip = []                  # an unclosed <head> ends where <body> starts
        if tag in _SKIP:
            self.skip.append(tag)
            return
        if self.skip:
            return
        if tag == "sup":
            self.sup += 1
            return
        if tag == "a":
            # a link inside <sup> is the footnote reference itself: its number is the marker
            self.href.append(None if self.sup else dict(attrs).get("href"))
        if tag in _PRE:
            self.pre += 1
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
            if tag in self.skip:            # a stray end tag closes nothing
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if self.skip:
            return
        if tag == "sup":
            if self.sup:
                self.sup -= 1
                if self.sup == 0:
                    self._flush_sup()
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")):
                label = self.out[-1] if self.out else ""
                if href not in label:
                    self.out.append(f" <{href}>")
        if tag in _PRE and self.pre:
            self.pre -= 1
        if tag == "ol" and self.ol_counter:
            self.ol_counter.pop()
        if tag in _BLOCK:
            self.out.append("\n")

    def _flush_sup(self) -> None:
        inner = " ".join("".join(self.sup_buf).split())
        self.sup_buf = []
        if _MARKERS.fullmatch(inner):       # `1`, `[1]`, `1,2`: one marker per number
            self.out.append("".join(f"[{n}]" for n in re.findall(r"\d+", inner)))
        else:
            self.out.append(inner)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.sup:
            self.sup_buf.append(data)
        else:
            self.out.append(data)

    def close(self) -> None:
        super().close()
        if self.sup:                        # an unclosed <sup> must not swallow the rest
            self.sup = 0
            self._flush_sup()


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    text = "".join(builder.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
