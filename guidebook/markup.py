"""Markdown to HTML: one configured Python-Markdown instance, link rewriting, anchors."""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import posixpath
import re
import sys
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import MutableMapping
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

import markdown
from markdown import inlinepatterns as markdown_inline
from markdown import util as markdown_util
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SubstituteTextPattern
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from . import __version__
from . import deadline as deadline_module
from .errors import path_text
from .i18n import count_words, smarty_substitutions
from .model import Heading


def heading_id(value: str, separator: str = "-") -> str:
    """Return the id of a heading, prompt or checklist item made from its text.

    Latin letters lose their accents (Python-Markdown's ASCII slugify: "Café" -> "cafe",
    so the ids of English and accented Latin text are those it always gave); letters,
    digits and combining marks of every other script are kept ("Что я узнал" ->
    "что-я-узнал", "ما الذي حدث" -> "ما-الذي-حدث"); punctuation is dropped, the text is
    lowercased, and runs of spaces and hyphens become one `separator`. An id depends only
    on its own text, so it stays the same when headings move. May return "".
    """
    kept = []
    for char in unicodedata.normalize("NFC", value):
        if not char.isascii():
            # An accented Latin letter decomposes to its ASCII letter and marks.
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            if ascii_form:
                kept.append(ascii_form)
            elif char.isspace():
                kept.append(" ")
            elif unicodedata.category(char)[0] in "LNM":
                kept.append(char)
        elif char.isalnum() or char in "_- \t\n\r\f\v":
            kept.append(char)
    text = "".join(kept).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, text)


# The ids the theme gives elements of the pages a coach's text is shown on (base.html's
# #main and #anchor-label, the header's search, the guide page's sections and their titles,
# the worksheet page's #worksheet, the packet's #packet-title...). A heading of the text
# whose id would be one of them ("## Introduction" in a guide's introduction, "## Main")
# gets "_1", as a second heading of the same text does: an id twice on a page is invalid
# HTML, and "Skip to the content" or a #link would go to the wrong one.
THEME_IDS = frozenset({
    "main", "anchor-label", "header-search-input", "header-search-status", "introduction",
    "steps", "steps-title", "worksheets", "worksheets-title", "reading", "reading-title",
    "credits", "credits-title", "safety-title", "worksheet", "packet-title", "guides-title",
    "choose-title"})


def text_heading_id(value: str, separator: str = "-") -> str:
    """Return the id of a heading in a text (heading_id), with "_1" after one of THEME_IDS
    ("Introduction" -> "introduction_1"): Python-Markdown's toc then numbers a second such
    heading "_2". Raises nothing; may return "" as heading_id does."""
    ident = heading_id(value, separator)
    return f"{ident}_1" if ident in THEME_IDS else ident


EXTENSIONS = ["toc", "tables", "attr_list", "footnotes", "admonition", "sane_lists", "smarty",
              "def_list", "abbr", "md_in_html", "fenced_code"]
EXTENSION_CONFIG = {
    "toc": {"toc_depth": "2-4", "slugify": text_heading_id},
    "smarty": {"smart_angled_quotes": False},
    # The back link's title is only the note's number here: render.body_words puts the page's
    # words around it ("Back to the text of note 1", in the guide's language).
    "footnotes": {"BACKLINK_TITLE": "{}"},
}
TAG = re.compile(r"<[^>]+>")
# Where a tag separates words in the text a reader sees: a block's edges and line breaks
# (HTML's block-level and table elements). An inline tag (<em>, <a>, <code>) does not: it
# becomes nothing, so "<em>worksheet</em>." stays "worksheet." in a search result.
BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|table|thead|tbody|tfoot|tr|td|th|caption|"
    r"blockquote|pre|section|article|aside|header|footer|nav|details|summary|figure|"
    r"figcaption|fieldset|legend|form|main)\b[^>]*>", re.IGNORECASE)
# A footnote's number in the text and its back link's arrow are not words of the text.
FOOTNOTE_MARKS = re.compile(
    r'<sup id="fnref[^"]*"><a class="footnote-ref"[^>]*>[^<]*</a></sup>'
    r'|<a class="footnote-backref"[^>]*>[^<]*</a>')
SPACE = re.compile(r"\s+")
ANCHOR_TEXT = "#"


@dataclass(frozen=True)
class Link:
    """A link from a Markdown body to another content file or an anchor."""

    href: str  # as written
    target: str  # content path it points at ("" for an anchor on the same page)
    fragment: str
    # link, image, remote-image (an image on another host) or bad-address (a link to an
    # address whose host no address can have: Loader.check_addresses)
    kind: str = "link"


@dataclass(frozen=True)
class Converted:
    """What converting one Markdown body gives."""

    html: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    ids: frozenset[str]
    text: str
    words: int


# Raw HTML the pages' Content-Security-Policy (default-src 'self', no 'unsafe-inline', see
# templates/base.html and CSP Level 3) never runs or applies: it would silently do nothing.
SCRIPT_HINT = ("a page's text cannot carry a script; remove it (behaviour belongs in the "
               f"theme: a script file in {path_text('templates/assets/')}, loaded by a template)")
HANDLER_HINT = ("remove the handler: link to a page or #heading instead, or use "
                "<details><summary>...</summary>...</details> to show and hide text")
STYLE_HINT = ("remove it: style the page from the theme's stylesheet "
              f"({path_text('templates/assets/css/')}), or mark the text with Markdown "
              "(**bold**, *italic*, ## headings)")
OTHER_HOST_HINT = ("save the file in the guide's folder and use its file name: pages load "
                   "nothing from other hosts, for the readers' privacy")
HEAD_HINT = ("remove it: what a page's <head> holds comes from the theme "
             f"({path_text('templates/base.html')})")
JAVASCRIPT_HINT = ("link to a page, a file or a #heading instead; "
                   "<details><summary>...</summary>...</details> shows and hides text without a "
                   "script")
# What raw HTML of each kind would do on a page (the second half of its message).
BLOCKED = "the pages' security policy (CSP) blocks it, so it would silently do nothing"
ELSEWHERE = "it could send readers, or what they type, to another address"
HIDDEN = "it hides where the link leads (as a javascript: link does)"
# (pattern whose group 1 is the place and the name, what it is, hint, what it would do)
BLOCKED_HTML = (
    (re.compile(r"<(script)\b", re.IGNORECASE), "a <script> element", SCRIPT_HINT, BLOCKED),
    (re.compile(r"<[a-z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE), "an {}= event handler",
     HANDLER_HINT, BLOCKED),
    (re.compile(r"\{:?[^{}\n]*?(?<![\w-])(on[a-z]+)\s*=", re.IGNORECASE),
     "an {}= event handler", HANDLER_HINT, BLOCKED),
    (re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|\b(?:href|src|action)\s*=\s*[\"']?\s*)"
                r"(javascript\s*:)", re.IGNORECASE), "a javascript: link", JAVASCRIPT_HINT,
     BLOCKED),
    # &#106;avascript: is javascript: to the browser, and to no reader of the Markdown.
    (re.compile(r"\b(?:href|src|action|data)\s*=\s*[\"']?\s*(&#x?[0-9a-f]+;?)", re.IGNORECASE),
     "an address that starts with a character reference ({})", "write the address as it is: "
     "a page, a file, a #heading or https://...", HIDDEN),
    (re.compile(r"<(style)\b", re.IGNORECASE), "a <style> element", STYLE_HINT, BLOCKED),
    (re.compile(r"<[a-z][^<>]*?\s(style)\s*=", re.IGNORECASE), "a style= attribute",
     STYLE_HINT, BLOCKED),
    # Raw HTML that loads a file (<img>, <iframe>, <video>, <audio>, <source>, <object>...)
    # from another host: Markdown's ![image](https://...) is reported by the link checks.
    (re.compile(r"<([a-z][a-z0-9]*)\b[^<>]*?\s(?:src|poster|data)\s*=\s*[\"']?\s*"
                r"(?:https?:)?//", re.IGNORECASE),
     "a tag that loads a file from another host (<{}>)", OTHER_HOST_HINT, BLOCKED),
    (re.compile(r"<([a-z][a-z0-9]*)\b[^<>]*?\ssrcset\s*=\s*[\"']?[^\"'<>]*?(?:https?:)?//",
                re.IGNORECASE), "a tag that loads a file from another host (<{}>)", OTHER_HOST_HINT,
     BLOCKED),
    # Not blocked by the policy: a refresh leads away, <base> re-points every link, a form
    # sends its fields (worksheets' fields come from worksheets/, and stay in the browser).
    (re.compile(r"<(meta|base)\b", re.IGNORECASE), "a <{}> element", HEAD_HINT, ELSEWHERE),
    (re.compile(r"<(form)\b", re.IGNORECASE), "a <form> element",
     "remove it: the fields readers fill in are a worksheet's (a file in "
     f"{path_text('worksheets/')} with [short], [lines: 4]...), and what readers type there "
     "never leaves their browser",
     ELSEWHERE),
)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1")
# An HTML comment as Markdown passes it through (in code, Markdown has escaped its "<").
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def blocked_html(body: str) -> list[tuple[int, int, str, str, str]]:
    """Find raw HTML in a Markdown body that the pages' CSP would block or that would act
    outside the theme.

    Returns (0-based line, 1-based column, what it is, how to do without it, what it would
    do) for each: a <script> or <style> element, an on...= handler (in a tag or an attribute
    list {...}), a style= attribute, a javascript: link or an address hidden behind a
    character reference, a tag loading a file from another host, a <meta>, <base> or <form>
    element; and an HTML comment that is never closed (readers would see it as text). Code
    is left alone: fenced blocks, `spans`, and indented code blocks (4 spaces after a blank
    line, outside a list: Markdown's rule).
    """
    found = []
    fence = ""
    blank, code, in_list = True, False, False
    lines = body.split("\n")
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if not stripped:
            blank = True
            continue
        indent = len(line.expandtabs(4)) - len(stripped)
        code = indent >= 4 and not in_list and (blank or code)
        if LIST_ITEM.match(line) and not code:
            in_list = True
        elif indent == 0 and blank:
            in_list = False
        blank = False
        if code or ("<" not in line and "{" not in line and ":" not in line):
            continue
        text = CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
        for pattern, what, hint, effect in BLOCKED_HTML:
            for match in pattern.finditer(text):
                found.append((index, match.start(1) + 1, what.format(match.group(1).lower()),
                              hint, effect))
        opened = text.find("<!--")
        if opened >= 0 and body.find("-->", starts[index] + opened + 4) < 0:
            found.append((index, opened + 1, "an HTML comment that is never closed",
                          'end it with "-->": a comment is a note for you, left out of the '
                          "pages", "readers would see it as text"))
    return sorted(found)


def slug(text: str) -> str:
    """Return the id for a prompt title or checklist item (see heading_id); never empty."""
    return heading_id(html.unescape(text)) or "section"


def output_path(source: str) -> str:
    """Map a content file to the page it becomes, e.g. g/1-intro.md -> g/intro.html."""
    folder, name = posixpath.split(source)
    stem = name[:-3] if name.endswith(".md") else name
    if stem == "guide" and folder and "/" not in folder:
        return f"{folder}/index.html"
    if stem == "reading" and folder and "/" not in folder:
        return f"{folder}/index.html"
    match = re.match(r"^(\d+)-(.+)$", stem)
    if match and "/" not in folder:
        stem = match.group(2)
    return posixpath.join(folder, stem + ".html")


# What may stay as it is in a URL's path (RFC 3986 pchar and "/"); the rest is
# percent-encoded as UTF-8, e.g. a space as %20 and "é" as %C3%A9.
PATH_SAFE = "/:@!$&'()*+,;=~"


def url_encoded(parts: SplitResult) -> str:
    """Return a relative link to a file with its path percent-encoded (valid in src/href).

    A file name with spaces or other letters than ASCII ("my photo.png", "Übersicht.pdf")
    is written as the coach named it; its link is "my%20photo.png" (RFC 3986, WHATWG URL),
    which every browser and server maps back to that name. An encoded path stays as it is;
    the query and fragment get escaped (a space in "?q=a b" is "%20").
    """
    path = quote(unquote(parts.path), safe=PATH_SAFE)
    return urlunsplit(("", "", path, escaped(parts.query), escaped(parts.fragment)))


# A host in brackets is an IPv6 address (RFC 3986 section 3.2.2), with its user and port.
IPV6_HOST = re.compile(r"^(?:[^@]*@)?\[[0-9A-Fa-f:.]+\](?::[0-9]*)?$")


def split_address(address: str) -> SplitResult:
    """Split an address as urllib.parse.urlsplit does, raising ValueError for a bracket in
    its host that does not enclose an IPv6 address ("https://[your-site].org/") on every
    Python: 3.11.4 and later raise it themselves (CPython gh-103848), 3.10 took the host."""
    parts = urlsplit(address)
    if ("[" in parts.netloc or "]" in parts.netloc) and not IPV6_HOST.match(parts.netloc):
        raise ValueError(f"Invalid IPv6 URL: {address!r}")
    return parts


# The ASCII characters an address may not hold as they are (WHATWG URL Standard, "valid URL
# string"; RFC 3986 section 2): a space or another control character, " < > ^ ` { | },
# [ and ] outside the host, and a % that does not start a %XX escape. A browser escapes
# them when the link is followed, but written as they are the page is invalid HTML (the Nu
# HTML Checker: "Illegal character in path segment. Space is not allowed").
NOT_IN_ADDRESS = re.compile(r'[\x00-\x20"<>^`{|}\x7f\[\]]|%(?![0-9A-Fa-f]{2})')
# The scheme and host of an address ("https://example.org", "mailto:"), left as they are.
SCHEME_AND_HOST = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?://[^/?#]*)?")


def escaped(text: str) -> str:
    """Return part of an address (a path, query or fragment) with each character of
    NOT_IN_ADDRESS percent-encoded as UTF-8 bytes: "a b|c" -> "a%20b%7Cc", "100%" ->
    "100%25". Letters other than ASCII stay (valid in an href: WHATWG URL)."""
    return NOT_IN_ADDRESS.sub(lambda match: "".join(
        f"%{byte:02X}" for byte in match.group().encode()), text)


def address_escaped(address: str) -> str:
    """Return a web or email address ("https://example.org/a page", "mailto:me@example.org?
    subject=Hi there") as a page may carry it in href: what follows its scheme and host
    `escaped` ("https://example.org/a%20page"), the address a browser follows for it. A
    valid address is returned as it is; the host is never changed."""
    head = SCHEME_AND_HOST.match(address)
    start = head.end() if head else 0
    return address[:start] + escaped(address[start:])


# A link's or image's address in converted HTML, and one with a scheme (https:, mailto:).
ADDRESS = re.compile(r'\b(href|src)="([^"]*)"')
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def rebased(html_text: str, root: str) -> str:
    """Return converted HTML whose relative addresses (written from the site's top folder,
    like site.yaml's footer) lead there from a page whose way up is `root` ("", "../",
    "../../", or an absolute base_url). Anchors (#...), absolute paths and addresses with a
    scheme are left as they are (RFC 3986 relative references)."""
    if not root:
        return html_text

    def fix(match: re.Match[str]) -> str:
        address = match.group(2)
        if not address or address.startswith(("#", "/")) or SCHEME.match(address):
            return match.group(0)
        return f'{match.group(1)}="{root}{address}"'

    return ADDRESS.sub(fix, html_text)


ANCHOR_LINK = re.compile(r'\bhref="#([^"]+)"')


def anchored(html_text: str, page: str) -> str:
    """Return a page's converted HTML (a worksheet's introduction or a prompt's help) for
    showing on another page (the packet): its links to #anchors of its own page lead to
    `page` (the link from there to it), but those to an id inside the text itself (a
    footnote's) stay, as they are on the other page too."""

    def fix(match: re.Match[str]) -> str:
        if f'id="{match.group(1)}"' in html_text:
            return match.group(0)
        return f'href="{page}#{match.group(1)}"'

    return ANCHOR_LINK.sub(fix, html_text)


class ConverterTreeprocessor(Treeprocessor):
    """A tree processor of ours, given the Converter whose text it works on (its source,
    scope, edition, and the links and ids it collects)."""

    def __init__(self, md: markdown.Markdown, converter: Converter):
        super().__init__(md)
        self.converter = converter


class LinkProcessor(ConverterTreeprocessor):
    """Point links at .md files to their pages, relatively; collect them for checking."""

    def run(self, root: etree.Element) -> None:
        converter = self.converter
        for element in root.iter("a"):
            href = element.get("href", "")
            try:
                parts = split_address(href)
            except ValueError:  # a host no address has ("https://[your-site].org"): a
                # bracket is only for an IPv6 address (RFC 3986 section 3.2.2)
                converter.links.append(Link(href, "", "", "bad-address"))
                continue
            if parts.scheme or parts.netloc or href.startswith("//"):
                if parts.scheme in ("http", "https"):
                    element.set("rel", "noopener")
                element.set("href", address_escaped(href))
                continue
            if not parts.path:
                if parts.fragment:
                    converter.links.append(Link(href, "", unquote(parts.fragment)))
                continue
            base = posixpath.dirname(converter.source)
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
            converter.links.append(Link(href, target, unquote(parts.fragment)))
            if target.endswith(".md"):
                page_from = output_path(converter.source)
                page_to = output_path(target)
                rel = posixpath.relpath(page_to, posixpath.dirname(page_from) or ".")
                element.set("href", rel + (f"#{escaped(parts.fragment)}" if parts.fragment
                                           else ""))
            else:
                element.set("href", url_encoded(parts))
        for element in root.iter("img"):
            src = element.get("src", "")
            try:
                parts = split_address(src)
            except ValueError:  # a host with a bracket: an address on another host
                converter.links.append(Link(src, "", "", "remote-image"))
                continue
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc or src.startswith("//"):
                converter.links.append(Link(src, "", "", "remote-image"))
            elif parts.path:
                base = posixpath.dirname(converter.source)
                target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
                converter.links.append(Link(src, target, "", "image"))
                element.set("src", url_encoded(parts))


class AnchorProcessor(ConverterTreeprocessor):
    """Give each h2-h4 a visible, labelled link to itself; collect every id.

    The link sits beside the heading, in a wrapper, not inside it: inside, its label would
    become part of the heading's name, and screen readers would read the title twice. Its
    name is the page's "Link to this section:" (base.html's #anchor-label, in the page's
    language) followed by the heading, so the converted HTML holds no words of the theme.
    """

    def run(self, root: etree.Element) -> None:
        converter = self.converter
        for parent in list(root.iter()):
            for index, element in enumerate(list(parent)):
                ident = element.get("id")
                if ident:
                    converter.ids.add(ident)
                if element.tag not in ("h2", "h3", "h4") or not ident:
                    continue
                wrapper = etree.Element("div", {"class": "hd"})
                wrapper.tail, element.tail = element.tail, None
                parent.remove(element)
                parent.insert(index, wrapper)
                wrapper.append(element)
                anchor = etree.SubElement(wrapper, "a")
                anchor.set("class", "anchor")
                anchor.set("href", f"#{ident}")
                anchor.set("aria-labelledby", f"anchor-label {ident}")
                anchor.text = ANCHOR_TEXT


class TableProcessor(Treeprocessor):
    """Put each table of a text in the tab order (tabindex="0"): a table wider than the
    screen scrolls in its own box (site.css), which a keyboard must reach to scroll it (WCAG
    2.1.1 Keyboard; axe's scrollable-region-focusable)."""

    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            table.set("tabindex", "0")


class ScopedFootnotes(FootnoteExtension):
    """Python-Markdown's footnotes, with the converted text's scope in every id.

    `[^1]` in a worksheet's introduction gives fn:notes-1, in its prompt "why"'s help
    fn:notes-why-1: a page that shows several texts has each footnote id once (HTML's ids
    are unique per document), and a click goes to the note of the text it is in.
    """

    def __init__(self, converter: Converter | None = None, **kwargs: object):
        self.converter = converter
        super().__init__(**kwargs)

    def get_separator(self) -> str:
        scope = self.converter.scope if self.converter is not None else ""
        separator = super().get_separator()
        return f"{separator}{scope}-" if scope else separator


# A list item: a bullet, or a number and a dot, then a space and text (Python-Markdown's).
LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}\.)( +)(?=\S)")
RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")  # a horizontal rule, not a list item
# Paragraph lines a list may follow directly; not headings, tables, HTML, quotes or code.
NOT_PARAGRAPH = ("#", "|", "<", ">", "!!!", "[^", ":")


class ListIndentPreprocessor(Preprocessor):
    """Nest lists as the coach meant them: by 2 or 3 spaces, as well as Markdown's 4.

    Python-Markdown nests a list item only when it is indented by 4 spaces (its tab
    length), so `1. Breathe` / `   1. In for four` became one flat list. Here an item
    indented by at least 2 more than the item above it is its child (CommonMark's rule,
    loosened for 2-space nesting under numbers), and every nested line is indented again by
    4 per level. A list directly under a paragraph line (no blank line between them), which
    Markdown would print as text with dashes, gets its blank line, when it starts with a
    bullet or with 1. (CommonMark's rule for a list that interrupts a paragraph). Lists
    indented by 4 spaces come out exactly as before.
    """

    def run(self, lines: list[str]) -> list[str]:
        if not any(LIST_ITEM.match(line) for line in lines):
            return lines
        out: list[str] = []
        stack: list[tuple[int, int]] = []  # (marker column, text column) of the open items
        blank_before, paragraph, fence = True, False, ""
        for line in lines:
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            if fence or stripped.startswith(("```", "~~~")):
                fence = "" if fence and stripped.startswith(fence) else (fence or stripped[:3])
                out.append(line)
                blank_before = paragraph = False
                continue
            if not stripped:
                out.append(line)
                blank_before, paragraph = True, False
                continue
            item = LIST_ITEM.match(line) if not RULE.match(line) else None
            if item and (stack or indent <= 3):
                if not stack and paragraph and not blank_before:
                    if not (item.group(2) in "-*+" or item.group(2) == "1."):
                        out.append(line)  # "2024. was a year" goes on the paragraph
                        continue
                    out.append("")
                while stack and indent < stack[-1][0] + 2:
                    stack.pop()
                out.append(" " * (4 * len(stack)) + stripped)
                stack.append((indent, indent + len(item.group(2)) + len(item.group(3))))
                blank_before = paragraph = False
                continue
            if stack and indent == 0 and blank_before:
                stack = []  # the list has ended
            if stack and indent:
                # More text of the deepest item it is indented under.
                level = next((k for k in range(len(stack) - 1, -1, -1)
                              if indent >= stack[k][0] + 2), None)
                if level is not None:
                    del stack[level + 1:]
                    extra = max(0, indent - stack[level][1])
                    line = " " * (4 * (level + 1) + extra) + stripped
            out.append(line)
            paragraph = not stack and indent < 4 and not stripped.startswith(NOT_PARAGRAPH)
            blank_before = False
        return out


EDITIONS = ("reader", "coach")
COACH_LABEL_CLASS = "coach-label"


class CoachNoteProcessor(ConverterTreeprocessor):
    """Keep a coach's notes (admonitions of type coach) in the coach's edition only.

    `!!! coach "Optional title"` (Python-Markdown's admonition syntax) becomes
    <div class="admonition coach">; in the reader's edition it is removed with everything in
    it, before headings, links and footnote references inside it are collected, so that no
    byte of it reaches the reader's site. In the coach's edition it stays, marked by the
    theme (class coach) and an empty <p class="coach-label"> first, which the page fills with
    its language's "For the coach" (render.body_words); the title Python-Markdown makes up
    when none is given ("Coach") is dropped.
    """

    def run(self, root: etree.Element) -> None:
        converter = self.converter
        for parent in list(root.iter()):
            for element in list(parent):
                classes = element.get("class", "").split()
                if element.tag != "div" or "admonition" not in classes or "coach" not in classes:
                    continue
                if converter.edition != "coach":
                    keep_tail(parent, element)
                    parent.remove(element)
                    continue
                title = element.find("p")
                if (title is not None and title.get("class") == "admonition-title"
                        and "".join(title.itertext()) == "Coach"):
                    element.remove(title)
                label = etree.Element("p", {"class": COACH_LABEL_CLASS})
                label.tail = element.text
                element.text = None
                element.insert(0, label)


class ThemeTitledAdmonition(AdmonitionProcessor):
    """Python-Markdown's admonitions, whose made-up title (`!!! warning` -> "Warning") is the
    theme's word: when the coach gives no title, the title is left empty,
    <p class="admonition-title"></p>, and each page fills it with its language's word for
    the admonition's type (render.body_words), as the anchors' label (AnchorProcessor). A
    title the coach writes stays theirs; `!!! tip ""` has none; a coach's note keeps
    Python-Markdown's, which CoachNoteProcessor drops.
    """

    UNTITLED = "\x00untitled"  # never text: cleared before the inline patterns run

    def get_class_and_title(self, m: re.Match[str]) -> tuple[str, str | None]:
        klass, title = super().get_class_and_title(m)
        if m.group(2) is None and klass.split(" ", 1)[0] != "coach":
            title = self.UNTITLED
        return klass, title

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        super().run(parent, blocks)
        title = parent[-1].find("p") if len(parent) else None
        if title is not None and title.text == self.UNTITLED:
            title.text = None


def keep_tail(parent: etree.Element, element: etree.Element) -> None:
    """Move an element's tail text to where it stays when the element is removed."""
    if not element.tail:
        return
    index = list(parent).index(element)
    if index:
        before = parent[index - 1]
        before.tail = (before.tail or "") + element.tail
    else:
        parent.text = (parent.text or "") + element.tail


class GuidebookExtension(Extension):
    """Our processors, each given the Converter (not an attribute set on Markdown's object)."""

    def __init__(self, converter: Converter, **kwargs: object):
        self.converter = converter
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - API name
        converter = self.converter
        # Before the table of contents (5) and the inline patterns (20) see the notes.
        md.treeprocessors.register(CoachNoteProcessor(md, converter), "guidebook-coach", 30)
        md.parser.blockprocessors.register(ThemeTitledAdmonition(md.parser), "admonition", 105)
        # After tabs became spaces (normalize_whitespace, 30), before raw HTML (20).
        md.preprocessors.register(ListIndentPreprocessor(md), "guidebook-lists", 25)
        md.treeprocessors.register(LinkProcessor(md, converter), "guidebook-links", 3)
        md.treeprocessors.register(AnchorProcessor(md, converter), "guidebook-anchors", 1)
        md.treeprocessors.register(TableProcessor(md), "guidebook-tables", 2)


# Characters without which an inline pattern cannot match, by its exact regular expression.
# Testing `"[" in text` costs a fraction of a regex search that starts with a lookbehind; a
# pattern whose expression is not listed here is tried with its own regex, as Markdown does.
LOOKBEHIND = r"(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])"
TRIGGERS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),
    r"(?<!\!)\[": ("[",),
    r"\*|_": ("*", "_"),
    r"(?<!\.)\.{3}(?!\.)": ("...",),
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    LOOKBEHIND + r"\'" + '"': ("'\"",),
    LOOKBEHIND + r'\"' + "'": ('"\'',),
    r"(?<!\w)'(?=\d{2}s)": ("'",),
    r"(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)'(?=\w)": ("'",),
    r"(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])'(?!\s|s\b|\d)": ("'",),
    r'(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)"(?=\w)': ('"',),
    # Expressions that start with a literal: the literal itself.
    r"\\(.)": ("\\",),
    r"\[\^([^\]]*)\]": ("[^",),
    r"\!\[": ("![",),
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),
    r"<([^<> !]+@[^@<> ]+)>": ("<",),
    r"  \n": ("  \n",),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),
    r"""^'(?=[!"#\$\%'()*+,-.\/:;<=>?\@\[\\\]\^_`{|}~]\B)""": ("'",),
    r"""^"(?=[!"#\$\%'()*+,-.\/:;<=>?\@\[\\\]\^_`{|}~]\B)""": ('"',),
    r""""'(?=\w)""": ("\"'",),
    r"""'"(?=\w)""": ("'\"",),
    r"'(\s|s\b)": ("'",),
    "'": ("'",),
    r'"(?=\s)': ('"',),
    '"': ('"',),
    r'(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])"': ('"',),
    markdown_inline.HTML_RE: ("<",),  # raw HTML: every alternative starts with "<"
}


def quick_test(needs: tuple[str, ...] | None) -> str | tuple[str, str] | None:
    """Return a pattern's literals as one string, a pair, or None (use its regex)."""
    if needs is None or len(needs) > 2:
        return None
    return needs[0] if len(needs) == 1 else (needs[0], needs[1])


class QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, skipping patterns that cannot match a text.

    Markdown tries each of its ~40 inline patterns (with smarty) on every piece of text,
    through a Python call per pattern; most pieces of prose contain none of the characters
    a pattern needs. Skipping a pattern whose regex finds nothing gives the same result
    (that attempt returns the text unchanged), so the output is byte for byte the same
    (tests/test_cache.py compares both on real and generated guides).
    """

    quick_patterns: list | None = None
    apostrophe: str | None = None  # smarty's, see word_apostrophe()

    def run(self, tree, ancestors=None):  # noqa: ANN001 - Markdown's signature
        if self.quick_patterns is None:  # the patterns are registered once, with the instance
            self.quick_patterns = self.quick_list()
        return super().run(tree, ancestors)

    def quick_list(self) -> list:
        """List each pattern with its regex and the literals it needs."""
        return [
            (pattern, pattern.getCompiledRegExp(),
             quick_test(TRIGGERS.get(pattern.getCompiledRegExp().pattern)))
            for pattern in self.inlinePatterns
        ]


# smarty's two patterns for a closing single quote, which take every apostrophe inside a word.
CLOSING_QUOTE = (r"(?<=[^\ \t\r\n\[\{\(\-\u0002\u0003])'(?!\s|s\b|\d)", r"'(\s|s\b)")
# What smarty could act on other than an apostrophe between two letters.
NOT_IN_WORD = re.compile(r"\"|--|\.\.\.|(?<![A-Za-z])'|'(?![A-Za-z])")


def word_apostrophe(processor: InlineProcessor) -> str | None:
    """Return the HTML smarty puts for an apostrophe inside a word (don't, it's), if known.

    With smarty's patterns as we know them, a text whose only quote marks are apostrophes
    between letters, without -- or ..., is changed by the two closing-quote patterns alone,
    each apostrophe into the same HTML: _handle_inline then does that in one step.
    """
    replace: dict[str, tuple] = {}
    bare = None
    for index, pattern in enumerate(processor.inlinePatterns):
        regex = pattern.getCompiledRegExp().pattern
        if (not isinstance(pattern, SubstituteTextPattern) or pattern.ANCESTOR_EXCLUDES
                or TRIGGERS.get(regex) is None):
            return None
        if regex in CLOSING_QUOTE:
            replace[regex] = tuple(pattern.replace)
        elif regex == "'" and bare is None:
            bare = index
            if len(replace) < 2:  # the catch-all opening quote must come after both
                return None
    first, second = replace.get(CLOSING_QUOTE[0]), replace.get(CLOSING_QUOTE[1])
    if (first is None or len(first) != 1 or not isinstance(first[0], str)
            or second is None or tuple(second) != (first[0], 1)):
        return None
    return first[0]


def _handle_inline(self: QuickInlineProcessor, data: str, patternIndex: int = 0) -> str:  # noqa: N803
    """Apply the inline patterns from patternIndex on, as InlineProcessor.__handleInline."""
    if isinstance(data, markdown_util.AtomicString):
        return data
    if (patternIndex == 0 and self.apostrophe is not None and "'" in data
            and not NOT_IN_WORD.search(data)):
        # Stashed one by one, as smarty's patterns do; what is stashed comes back as text.
        store = self.md.htmlStash.store
        first, *rest = data.split("'")
        return first + "".join([store(self.apostrophe) + part for part in rest])
    patterns = self.quick_patterns
    apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
    start = 0
    count = len(patterns)
    while patternIndex < count:
        pattern, regex, needs = patterns[patternIndex]
        # A first attempt (start 0) that finds no match returns the text unchanged. Most
        # patterns need one literal: a plain `in` test, without a generator per pattern.
        if start == 0 and (needs not in data if needs.__class__ is str
                           else regex.search(data) is None if needs is None
                           else needs[0] not in data and needs[1] not in data):
            patternIndex += 1
            continue
        data, matched, start = apply(pattern, data, patternIndex, start)
        if not matched:
            patternIndex += 1
    return data


# The name InlineProcessor's own methods call (Python mangles the double underscore).
QuickInlineProcessor._InlineProcessor__handleInline = _handle_inline  # type: ignore[attr-defined]
QUICK_INLINE = all(hasattr(InlineProcessor, name) for name in (
    "_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"))


def quicken(md: markdown.Markdown) -> None:
    """Make the inline processors skip patterns that cannot match (same output)."""
    if not QUICK_INLINE:
        return
    for name in ("inline", "smarty"):
        if name in md.treeprocessors and type(md.treeprocessors[name]) is InlineProcessor:
            md.treeprocessors[name].__class__ = QuickInlineProcessor
            if name == "smarty":
                md.treeprocessors[name].apostrophe = word_apostrophe(md.treeprocessors[name])


class Converter:
    """Convert Markdown bodies with one reused Markdown instance and an optional cache."""

    def __init__(self, cache: MutableMapping[str, Converted] | None = None,
                 quick: bool = True, language: str = "en", guard: bool = True,
                 deadline: float = deadline_module.SECONDS, edition: str = "reader"):
        self.quick = quick
        # "reader": coach's notes are left out; "coach": they are kept (CoachNoteProcessor).
        self.edition = edition
        # Text that may be slow to convert goes to a child process stopped at the deadline
        # (deadline.py); what could not be converted is listed in failures, for the loader.
        self.guard = guard
        self.deadline = deadline
        self.failures: list[deadline_module.Failure] = []
        self._md: dict[str, markdown.Markdown] = {}
        self.cache = cache if cache is not None else {}
        self.source = ""
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.scope = ""  # of the text being converted: see convert()
        # The language of the text being converted (its guide's): it sets the quotation
        # marks. The loader sets it before it reads each guide.
        self.language = language

    @property
    def md(self) -> markdown.Markdown:
        """The Markdown instance for the current language, made on first use (a build from
        the cache needs none); smarty's quotation marks follow the language."""
        substitutions = smarty_substitutions(self.language)
        marks = substitutions["left-double-quote"] + substitutions["right-double-quote"]
        md = self._md.get(marks)
        if md is None:
            config = {**EXTENSION_CONFIG,
                      "smarty": {**EXTENSION_CONFIG["smarty"], "substitutions": substitutions}}
            md = markdown.Markdown(
                extensions=[*(ScopedFootnotes(self, **config[name]) if name == "footnotes"
                              else name for name in EXTENSIONS), GuidebookExtension(self)],
                extension_configs=config,
                output_format="html",
            )
            if self.quick:
                quicken(md)
            self._md[marks] = md
        return md

    def key(self, source: str, text: str, scope: str = "") -> str:
        """Key a conversion by everything that can change its result."""
        digest = hashlib.sha1(usedforsecurity=False)
        substitutions = smarty_substitutions(self.language)
        marks = substitutions["left-double-quote"] + substitutions["right-double-quote"]
        edition = () if self.edition == "reader" else (self.edition,)
        for part in (FINGERPRINT, marks, source, text, *((scope,) if scope else ()), *edition):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def convert(self, text: str, source: str, scope: str = "") -> Converted:
        """Convert one body; source is its content path, for resolving relative links.

        scope names the text among the others on the same page (a worksheet's introduction
        and each prompt's help, the guide's introduction and its reading list): footnote
        ids carry it (fn:notes-1), so they are unique on every page that combines texts.
        """
        if self.quick and PLAIN.match(text) and not ODD_PLAIN.search(text):
            return convert_plain(text)
        key = self.key(source, text, scope)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        danger = deadline_module.risk(text) if self.guard else None
        if danger is not None:
            result, missed = deadline_module.convert_elsewhere(
                text, source, scope, self.language, self.quick, self.deadline, self.edition)
            if result is None:
                self.failures.append(deadline_module.Failure(source, danger, missed))
                return Converted("", (), (), frozenset(), "", 0)  # never cached
            self.cache[key] = result  # type: ignore[assignment]
            return result  # type: ignore[return-value]
        self.source, self.links, self.ids, self.scope = source, [], set(), scope
        md = self.md
        md.reset()
        # A coach's HTML comments are notes to themselves: never on a page (nor searched).
        body = HTML_COMMENT.sub("", md.convert(text)) if "<!--" in text else md.convert(text)
        headings = tuple(flatten(md.toc_tokens))  # type: ignore[attr-defined]
        plain = plain_text(body)
        result = Converted(body, headings, tuple(self.links), frozenset(self.ids), plain,
                           count_words(plain))
        self.cache[key] = result
        return result

    def inline(self, text: str, source: str, scope: str = "") -> str:
        """Convert a short text (a note, a help line) without the outer <p>."""
        body = self.convert(text, source, scope).html
        if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
            return body[3:-4]
        return body


# One line of prose that every extension leaves alone but smarty's apostrophe: most
# worksheets' help texts. Markdown.convert costs ~0.5 ms for it whatever its length;
# convert_plain gives the same bytes (tests/test_cache.py compares it with Markdown).
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?!()']*[A-Za-z0-9.;:?!()]\Z")
# ...except two dots (smarty's ellipsis), two spaces and an apostrophe not between letters.
ODD_PLAIN = re.compile(r"\.\.|  |(?<![A-Za-z])'|'(?![A-Za-z])")


def convert_plain(text: str) -> Converted:
    """Convert a text that PLAIN matches, exactly as Markdown with our extensions does."""
    plain = text.replace("'", "\u2019")
    return Converted(f"<p>{text.replace(chr(39), '&rsquo;')}</p>", (), (), frozenset(), plain,
                     len(plain.split()))


def flatten(tokens: list[dict]) -> list[Heading]:
    """Flatten toc tokens into a list of headings, in order."""
    result: list[Heading] = []
    for token in tokens:
        result.append(Heading(token["level"], token["id"], html.unescape(token["name"])))
        result.extend(flatten(token.get("children", [])))
    return result


def plain_text(body: str) -> str:
    """Return the text of converted HTML, for the search index and word counts: blocks
    apart by a space, inline tags removed without one (BLOCK_TAG), footnote marks and the
    heading anchors' "#" left out, entities decoded, runs of white space made one space."""
    text = FOOTNOTE_MARKS.sub("", body.replace(f">{ANCHOR_TEXT}</a>", "></a>"))
    text = TAG.sub("", BLOCK_TAG.sub(" ", text))
    return SPACE.sub(" ", html.unescape(text)).strip()


def _code_digest() -> str:
    """Hash this module's source and i18n.py's: a change to link rewriting, anchors, ids or
    quotation marks changes the HTML."""
    digest = hashlib.sha1(usedforsecurity=False)
    try:
        for name in (__file__, os.path.join(os.path.dirname(__file__), "i18n.py")):
            with open(name, "rb") as handle:
                digest.update(handle.read())
        return digest.hexdigest()[:16]
    except OSError:  # pragma: no cover - running from a zip or frozen build
        return "unknown"


# Everything a conversion depends on besides its text and source path; it keys the cache.
FINGERPRINT = (
    f"guidebook {__version__}; markdown {markdown.__version__}; python "
    f"{sys.version_info[0]}.{sys.version_info[1]}; markup.py {_code_digest()}; {EXTENSIONS}; "
    + repr(sorted((name, sorted((key, getattr(value, "__name__", value))
                                for key, value in config.items()))
                  for name, config in EXTENSION_CONFIG.items()))
)
