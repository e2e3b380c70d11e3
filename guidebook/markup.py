"""Markdown to HTML: one configured Python-Markdown instance, link rewriting, anchors."""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import MutableMapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from . import __version__
from .model import Heading

EXTENSIONS = ["toc", "tables", "attr_list", "footnotes", "admonition", "sane_lists", "smarty",
              "def_list", "abbr", "md_in_html"]
EXTENSION_CONFIG = {
    "toc": {"toc_depth": "2-4"},
    "smarty": {"smart_angled_quotes": False},
    "footnotes": {"BACKLINK_TITLE": "Back to the text of note {}"},
}
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
ANCHOR_TEXT = "#"


@dataclass(frozen=True)
class Link:
    """A link from a Markdown body to another content file or an anchor."""

    href: str  # as written
    target: str  # content path it points at ("" for an anchor on the same page)
    fragment: str


@dataclass(frozen=True)
class Converted:
    """What converting one Markdown body gives."""

    html: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    ids: frozenset[str]
    text: str
    words: int


def slug(text: str) -> str:
    """Return an ASCII id for a heading or prompt title."""
    return slugify(html.unescape(text), "-") or "section"


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


class LinkProcessor(Treeprocessor):
    """Point links at .md files to their pages, relatively; collect them for checking."""

    def run(self, root: etree.Element) -> None:
        converter: Converter = self.md.guidebook  # type: ignore[attr-defined]
        for element in root.iter("a"):
            href = element.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("//"):
                if parts.scheme in ("http", "https"):
                    element.set("rel", "noopener")
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
                element.set("href", rel + (f"#{parts.fragment}" if parts.fragment else ""))


class AnchorProcessor(Treeprocessor):
    """Give each h2-h4 a visible, labelled link to itself; collect every id."""

    def run(self, root: etree.Element) -> None:
        converter: Converter = self.md.guidebook  # type: ignore[attr-defined]
        for element in root.iter():
            ident = element.get("id")
            if ident:
                converter.ids.add(ident)
            if element.tag in ("h2", "h3", "h4") and ident:
                title = "".join(element.itertext()).strip()
                anchor = etree.SubElement(element, "a")
                anchor.set("class", "anchor")
                anchor.set("href", f"#{ident}")
                anchor.set("aria-label", f"Link to this section: {title}")
                anchor.text = ANCHOR_TEXT


class GuidebookExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - API name
        md.treeprocessors.register(LinkProcessor(md), "guidebook-links", 3)
        md.treeprocessors.register(AnchorProcessor(md), "guidebook-anchors", 1)


class Converter:
    """Convert Markdown bodies with one reused Markdown instance and an optional cache."""

    def __init__(self, cache: MutableMapping[str, Converted] | None = None):
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, GuidebookExtension()],
            extension_configs=EXTENSION_CONFIG,
            output_format="html",
        )
        self.md.guidebook = self  # type: ignore[attr-defined]
        self.cache = cache if cache is not None else {}
        self.source = ""
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def key(self, source: str, text: str) -> str:
        """Key a conversion by everything that can change its result."""
        digest = hashlib.sha1(usedforsecurity=False)
        for part in (FINGERPRINT, source, text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def convert(self, text: str, source: str) -> Converted:
        """Convert one body; source is its content path, for resolving relative links."""
        key = self.key(source, text)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        self.source, self.links, self.ids = source, [], set()
        self.md.reset()
        body = self.md.convert(text)
        headings = tuple(flatten(self.md.toc_tokens))  # type: ignore[attr-defined]
        plain = plain_text(body)
        result = Converted(body, headings, tuple(self.links), frozenset(self.ids), plain,
                           len(plain.split()))
        self.cache[key] = result
        return result

    def inline(self, text: str, source: str) -> str:
        """Convert a short text (a note, a help line) without the outer <p>."""
        body = self.convert(text, source).html
        if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
            return body[3:-4]
        return body


def flatten(tokens: list[dict]) -> list[Heading]:
    """Flatten toc tokens into a list of headings, in order."""
    result: list[Heading] = []
    for token in tokens:
        result.append(Heading(token["level"], token["id"], html.unescape(token["name"])))
        result.extend(flatten(token.get("children", [])))
    return result


def plain_text(body: str) -> str:
    """Strip tags from HTML for the search index and word counts."""
    text = TAG.sub(" ", body.replace(f">{ANCHOR_TEXT}</a>", "></a>"))
    return SPACE.sub(" ", html.unescape(text)).strip()


FINGERPRINT = f"guidebook {__version__}; markdown {markdown.__version__}; {EXTENSIONS}; " + repr(
    sorted(EXTENSION_CONFIG.items())
)
