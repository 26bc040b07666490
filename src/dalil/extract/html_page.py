"""HTML pages: the main text (``<article>``/``<main>`` when present, otherwise the body
without navigation, headers, footers, scripts and forms), whitespace collapsed, entities
decoded; title, source and publication date from the page's metadata."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from dalil.errors import InvalidInput
from dalil.extract.plain_text import decode, strict_decode
from dalil.extract.text_map import Document, TextBuilder, iso_date

_SPACE = re.compile(r"\s+")
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "table", "blockquote", "section", "article", "main", "header", "footer", "pre",
          "figcaption", "dd", "dt", "hr", "title"}  # fmt: skip
_SKIP = {"script", "style", "noscript", "nav", "aside", "form", "template", "svg", "iframe",
         "button", "select", "head"}  # fmt: skip
_BOILERPLATE = {"header", "footer"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "col", "area", "base"}


class _Html(HTMLParser):
    """Collects the main text of an HTML page with each piece's offset in the source."""

    def __init__(self, source: str, main_only: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out = TextBuilder()
        self.main_only = main_only
        self.skip: list[str] = []  # open elements whose content is not text
        self.depth_main = 0
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _reading(self) -> bool:
        return not self.skip and (self.depth_main > 0 or not self.main_only)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop") or ""
            self.meta.setdefault(key.lower(), a.get("content", ""))
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag in ("br", "hr") and self._reading():
                self.out.brk(self._offset())
            return
        if tag in _SKIP or (tag in _BOILERPLATE and not self.depth_main):
            self.skip.append(tag)
        if tag in ("article", "main"):
            self.depth_main += 1
        if tag in _BLOCK and self._reading():
            self.out.brk(self._offset())

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()
        elif tag in ("article", "main") and self.depth_main:
            self.depth_main -= 1
        if tag in _BLOCK and self._reading():
            self.out.brk(self._offset())

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self._reading():
            self.out.add(data, self._offset())

    def _ref(self, text: str) -> None:
        if self._reading():
            self.out.add(text, self._offset(), collapse=False)

    def handle_entityref(self, name: str) -> None:
        self._ref(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._ref(html.unescape(f"&#{name};"))


def read_html(data: bytes, where: str) -> Document:
    """The main text of an HTML page; title, source and publication date from its
    metadata when it has them."""
    charset = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.I)
    if charset and charset.group(1).lower() not in (b"utf-8", b"utf8"):
        text, encoding = strict_decode(data, charset.group(1).decode("ascii"), where), "declared"
    else:
        text, encoding = decode(data, where)
    main_only = re.search(r"<(article|main)[\s>]", text, re.I) is not None
    parser = _Html(text, main_only)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser is lenient; this is rare
        raise InvalidInput(f"cannot be read as HTML ({err})", path=where) from err
    meta = parser.meta
    published = iso_date(meta.get("article:published_time") or meta.get("date")
                          or meta.get("datepublished") or meta.get("time") or "")  # fmt: skip
    doc = parser.out.document(
        "html", encoding=encoding, title=_SPACE.sub(" ", parser.title).strip() or None,
        source=meta.get("og:site_name") or meta.get("author") or None, published=published,
    )  # fmt: skip
    if not doc.text:
        raise InvalidInput("the HTML page holds no text", path=where)
    return doc
