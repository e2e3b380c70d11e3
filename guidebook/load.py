"""Read `content/` into a Site; check every file and every cross-reference at once."""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
import unicodedata
from collections.abc import MutableMapping
from pathlib import Path, PurePosixPath
from urllib.parse import urlunsplit

from . import schema, theme
from .errors import Problems, did_you_mean, nearest, path_text
from .frontmatter import compose, decode, read_bytes, split
from .i18n import language_tag, quote_text
from .markup import (
    Converted,
    Converter,
    Link,
    address_escaped,
    blocked_html,
    output_path,
    split_address,
)
from .model import (
    QUICK_EXIT_URL,
    Guide,
    HelpLine,
    Person,
    Reading,
    ReadingItem,
    Settings,
    Site,
    SourceArticle,
    Step,
    Worksheet,
)
from .worksheet import LOOSE_MARKER, MARKER
from .worksheet import parse as parse_worksheet

STEP_FILE = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
# Any file name that starts with a number: a step file, perhaps misnamed (2-Respond.md).
NUMBERED_FILE = re.compile(r"^(\d+)[-_ .]*(.*?)\.md$", re.IGNORECASE)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# What SLUG allows, as messages say it: a guide's folder, a step's or a worksheet's file name
# is part of the pages' web addresses.
NAME_RULE = "lowercase letters a-z, digits and hyphens"
# The longest name of a guide's folder, a step (after its number) or a worksheet: the files
# made from it add to it (<name>-letter.pdf, <guide>-worksheets-letter.pdf), and file
# systems take a name of at most 255 bytes (ext4, APFS; NTFS 255 characters).
MAX_NAME = 100
MARKDOWN_LIKE = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}
STATIC_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf", ".mp3"}
# A file named as a copy of another: Dropbox's "x (conflicted copy 2026-05-01).md" (or
# "(Maria's conflicted copy ...)"), a download's or Google Drive's "x (1).md", Windows'
# "x - Copy.md", macOS's "x copy.md" and "x 2.md", Syncthing's "x.sync-conflict-...md",
# OneDrive's "x-DESKTOP-AB12CD.md". Group 1: the original's name.
COPY_NAME = re.compile(r"^(.+?)(?: \([^()]*conflicted copy[^()]*\)| \(\d+\)| - Copy(?: \(\d+\))?"
                       r"| copy(?: \d+)?| \d+|\.sync-conflict-[\w-]+"
                       r"|(?-i:-(?:DESKTOP|LAPTOP)-[A-Z0-9]+))\.md$", re.IGNORECASE)
# The endings of a page's address, not a folder's (base_url: .../index.html).
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp"}
IGNORED = re.compile(r"(^\.|^_|~$|\.swp$|\.swx$|\.tmp$|^#.*#$|^4913$)")
# Ids every page of a kind has from its template, for checking #anchor links.
TEMPLATE_IDS = {
    "guide": {"main", "introduction", "steps", "worksheets", "reading", "credits"},
    "step": {"main", "worksheets", "credits"},
    "worksheet": {"main", "credits"},
}


# A coach's note: Python-Markdown's admonition of type coach (markup.CoachNoteProcessor).
COACH_NOTE = re.compile(r"^([ \t]*)!!!\s*coach\b")
COACH_NOTE_ANYWHERE = re.compile(r"!!!\s*coach\b")
# A line whose indented continuation is not code: a list item, a note, or indented itself.
CONTINUED_BLOCK = re.compile(r"^(\s+\S|\s*([-*+]|\d+[.)])\s|\s*!!!)")


class Loader:
    """Load a content folder; keeps converted Markdown between loads (for `serve`)."""

    def __init__(self, content: Path, conversions: MutableMapping | None = None,
                 guides: MutableMapping[str, tuple] | None = None, salt: str = "",
                 edition: str = "reader", slim: bool = False):
        """Load `content`. `conversions` keeps converted Markdown (markup.Converter's
        cache); `guides` keeps each guide folder's load record, replayed while the folder is
        unchanged, stamped with `salt` (naming the code that loaded it). Both default to
        dicts that live as long as the loader (BuildCache passes persistent tables).
        `edition` is "reader" or "coach" (markup.EDITIONS). With `slim`, a guide whose record
        is kept in `guides` is returned without its bodies (Guide.without_bodies), and
        `stamps` names its record's stamp by folder (cache.GuideRecords reads it back)."""
        self.content = content
        # The edition (markup.EDITIONS) decides whether coach's notes are kept.
        self.edition = edition
        self.converter = Converter(conversions, edition=edition)
        self.digests: dict[str, bytes] = {}  # a hash of every file read, for page keys
        self.folders: MutableMapping[str, tuple] = guides if guides is not None else {}
        self.folder_salt = salt
        self.replayed = 0  # guides the last load replayed from `folders` unchanged
        # Every link and image of the coach's Markdown: (source, link, body text).
        self.links: list[tuple[str, Link, str]] = []
        self.footer_ids: set[str] = {"main"}  # the ids site.yaml's footer may link to
        self.slim = slim
        self.slimming = slim  # this load's: not when the site makes PDFs
        self.stamps: dict[str, tuple] = {}  # folder -> stamp of the guides returned slim

    def load(self, only: set[str] | None = None, checks: bool = True) -> tuple[Site, Problems]:
        """Read every file, build the Site, then run the cross-checks.

        `only` loads just these guide folders, and `checks=False` leaves out the checks
        across the whole site (build workers filling the cache use both).
        """
        self.replayed = 0
        problems = Problems(self.content)
        self.links = []
        settings = self.load_settings(problems)
        self.report_failures(problems)
        guides: list[Guide] = []
        self.page_ids: dict[str, set[str]] = {}
        self.static: list[str] = []
        self.digests = {}
        self.stamps = {}
        # PDFs (site.yaml's pdf: true) are made from pages rendered from the full guides.
        self.slimming = self.slim and not (settings is not None and settings.pdf)
        if not self.content.is_dir():
            problems.add("", 0, "the content folder is a file, not a folder"
                         if self.content.exists() else "the content folder does not exist",
                         "create it, or pass --content with the right folder")
            return Site(settings or Settings("Guidebook", edition=self.edition)), problems
        for folder in sorted(p for p in self.content.iterdir() if p.is_dir()):
            if IGNORED.search(folder.name) or (only is not None and folder.name not in only):
                continue
            guide = self.load_guide(folder, problems)
            if guide is not None:
                guides.append(guide)
        guides.sort(key=lambda g: (g.order, g.title.lower(), g.slug))
        if settings is not None and settings.logo and settings.logo not in self.static:
            self.static.append(settings.logo)
        if checks:
            self.check_addresses(problems)
            self.check_links(problems)
            self.check_collisions(guides, problems)
            self.check_translations(guides, problems)
            self.check_stray_files(problems)
        if self.slimming:  # what the checks needed: a large site's build holds no more
            self.links, self.page_ids = [], {}
        settings = settings or Settings("Guidebook", edition=self.edition)
        return Site(settings, tuple(guides)), problems

    def replayable(self, names: set[str]) -> int:
        """Return how many of these guide folders (names in the content folder) a load would
        replay unchanged: their records' stamps match, so nothing in them is read again.

        Reads the site settings first (a guide's stamp names the site's language); what
        it reads, and any problem in it, is read and reported by the next load.
        """
        known_failures = len(self.converter.failures)
        self.load_settings(Problems(self.content))
        del self.converter.failures[known_failures:]  # the load converts and reports them
        found = 0
        for name in sorted(names):
            stamp = folder_stamp(self.content / name,
                                 f"{self.folder_salt} {self.converter.language}")
            known = self.folders.get(name) if stamp is not None else None
            found += known is not None and known[0] == stamp
        return found

    def read(self, path: Path, problems: Problems) -> str | None:
        """Read a file as UTF-8 text, remembering it for quoting lines in messages."""
        rel = self.rel(path)
        raw = read_bytes(path, rel, problems)
        if raw is None:
            return None
        self.digests[rel] = hashlib.sha1(raw, usedforsecurity=False).digest()
        text = decode(raw, rel, problems)
        if text is None:
            return None
        problems.remember_text(rel, text)
        if not text.strip():
            problems.add(rel, 1, "this file is empty", "write its front matter and text, or "
                         "delete the file")
            return None
        return text

    def report_failures(self, problems: Problems) -> None:
        """Report the texts Markdown could not convert in time, or at all (deadline.py)."""
        for failure in self.converter.failures:
            lines = problems.lines(failure.source)
            line = next((number for number, text in enumerate(lines, start=1)
                         if failure.risk.line and text == failure.risk.line), 0)
            if failure.seconds:
                message = (f"converting this file's Markdown took longer than "
                           f"{failure.seconds:g} seconds, so it was stopped: "
                           f"{failure.risk.what}")
            else:
                message = f"this text is nested too deeply to be read: {failure.risk.what}"
            problems.add(failure.source, line, message, failure.risk.hint,
                         col=failure.risk.col if line else 0)
        self.converter.failures.clear()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.content).as_posix()

    def load_settings(self, problems: Problems) -> Settings | None:
        path = self.content / "site.yaml"
        if not path.exists():
            if self.content.is_dir():
                problems.add("site.yaml", 0, "the site settings file is missing",
                             f"create {problems.named('site.yaml')} with at least a line  "
                             "title: My guides")
            return None
        text = self.read(path, problems)
        if text is None:
            return None
        node = compose(text, "site.yaml", problems)
        if node is False:
            return None
        value = schema.validate(node, schema.SITE, "site.yaml", problems)
        paper = value.get("paper", "auto").lower()
        if paper not in ("auto", "a4", "letter"):
            problems.add("site.yaml", value.lines.get("paper", 1), f'unknown paper '
                         f'"{value.get("paper")}"',
                         "use one of: auto, a4, letter")
            paper = "auto"
        base_url = self.load_base_url(value, problems)
        footer = value.get("footer", "")
        self.check_raw_html_field(footer, "site.yaml", value.lines.get("footer", 1), problems)
        # As HTML and the reader's browser take it: "pt_BR" and "EN" are pt-BR and en.
        language = language_tag(value.get("language", "en"))
        self.converter.language = language
        footer_text = self.markdown(footer, "site.yaml", "footer") if footer else None
        # The footer is on every page: its links may point at its own footnotes and #main.
        self.footer_ids = {"main"} | (footer_text.ids if footer_text is not None else set())
        accent = self.load_accent(value, problems)
        logo = self.load_logo(value, problems)
        return Settings(
            title=self.quote(value.get("title", "Guidebook")),
            tagline=self.quote(value.get("tagline", "")),
            language=language,
            description=self.quote(value.get("description", "")),
            base_url=base_url,
            # Resolved from the site's top folder: the pages rebase it (render.py).
            footer_html=footer_text.html if footer_text is not None else "",
            pdf=bool(value.get("pdf", False)),
            paper=paper,
            accent_css=theme.accent_css(accent) if accent else "",
            logo=logo,
            made_with=bool(value.get("made_with", True)),
            print_link=bool(value.get("print_link", True)),
            edition=self.edition,
            custom_css=(self.content / "_templates" / theme.CUSTOM_CSS).is_file(),
            language_line=value.lines.get("language", 0),
            messages=tuple(value.get("messages", ())),
            **quick_exit(value.data.get("quick_exit")),
            help=tuple(HelpLine(name=self.quote(h.get("name", "")), url=h.get("url", ""),
                                phone=h.get("phone", ""), note=self.quote(h.get("note", "")))
                       for h in value.get("help", ())),
        )

    def load_accent(self, value: schema.Value, problems: Problems) -> theme.Accent | None:
        """Check `accent_color` (a colour, or light and dark ones) for contrast in both themes."""
        line = value.lines.get("accent_color", 0)
        accent = value.data.get("accent_color")
        if not line:
            return None
        if not accent:
            written = problems.source_line("site.yaml", line)
            after = written.split(":", 1)[1].strip() if ":" in written else ""
            if after.startswith("#"):  # YAML read the colour as a comment
                problems.add("site.yaml", line, "the accent colour is read as a YAML comment, "
                             "because it starts with #", f'put it in quotes: accent_color: '
                             f'"{after.split()[0]}"')
            return None
        if isinstance(accent, schema.Value):
            return theme.check_accent(accent.data, line, accent.lines, problems)
        return theme.check_accent(accent, line, {}, problems)

    @staticmethod
    def load_base_url(value: schema.Value, problems: Problems) -> str:
        """Return site.yaml's base_url as the address of the site's folder, ending in "/"
        ("https://example.org/guides" -> "https://example.org/guides/"), or "" for none.

        Each page's address is base_url and its path (RFC 3986 section 5.2), in canonical
        links, the sitemap, the 404 page's links, the printed link and its QR code, so an
        address of a page (".../index.html", copied from the browser's address bar), one
        with a ?query or a #fragment, or a mailto: is an error on its line with the
        folder's address to write; "" is returned for it."""
        base_url = value.get("base_url", "")
        if not base_url:
            return ""
        line = value.lines.get("base_url", 1)
        try:
            parts = split_address(base_url)
        except ValueError:  # a host with a bracket: the schema reported it
            return ""
        folder, _, last = parts.path.rpartition("/")
        page = PurePosixPath(last).suffix.lower() in PAGE_SUFFIXES
        fixed = urlunsplit((parts.scheme, parts.netloc, (folder if page else parts.path)
                            .rstrip("/") + "/", "", ""))
        if parts.scheme.lower() not in ("http", "https"):
            problems.add("site.yaml", line, f'base_url "{base_url}" is not the address of a '
                         "web site", "write the address the site will have online, such as "
                         "https://example.org/guides/ (or leave base_url out)")
        elif page or parts.query or parts.fragment:
            what = (f'is the address of a page ("{last}")' if page else "has a query (?...)"
                    if parts.query else "has a #fragment")
            problems.add("site.yaml", line, f"base_url {what}: every page's address is made "
                         "by adding its own path to it, so it must be the address of the "
                         "site's folder", f"write it as  base_url: {fixed}")
        else:
            return fixed
        return ""

    def load_logo(self, value: schema.Value, problems: Problems) -> str:
        """Return the logo's path inside content/ (copied to the site), or "" for none."""
        logo = value.get("logo", "").strip().lstrip("./")
        if not logo:
            return ""
        line = value.lines.get("logo", 1)
        path = self.content / logo
        if PurePosixPath(logo).suffix.lower() not in IMAGE_SUFFIXES:
            problems.add("site.yaml", line, f'the logo "{logo}" is not an image',
                         "use an .svg, .png, .jpg, .gif, .webp or .avif file")
            return ""
        if ".." in PurePosixPath(logo).parts or not is_file(path):
            images = sorted(p.name for p in self.content.iterdir()
                            if p.suffix.lower() in IMAGE_SUFFIXES) if self.content.is_dir() else []
            problems.add("site.yaml", line, f'the logo "{logo}" is not a file in '
                         f"{path_text(problems.shown('') + '/')}", "put the image next to "
                         "site.yaml and write its name, e.g. logo: logo.svg" + (
                             f" (images there: {', '.join(images)})" if images else ""))
            return ""
        return logo

    def document(self, path: Path, problems: Problems, kind: schema.Schema):
        """Read a Markdown file with front matter and validate the front matter."""
        rel = self.rel(path)
        text = self.read(path, problems)
        if text is None:
            return None
        doc = split(text, rel, problems)
        if doc is None:
            return None
        if not doc.has_front_matter:
            problems.add(rel, 1, f"this {kind.name} file has no front matter",
                         f"start the file with its fields between --- lines:\n"
                         f"{schema.indent(kind.example)}")
            return None
        value = schema.validate(doc.meta, kind, rel, problems, line_offset=1)
        self.check_headings(doc.body, doc.body_line, rel, problems)
        self.check_raw_html(doc.body, doc.body_line, rel, problems)
        self.check_coach_notes(text, doc.body_line, rel, kind, problems)
        return doc, value

    def check_coach_notes(self, text: str, body_line: int, rel: str, kind: schema.Schema,
                          problems: Problems) -> None:
        """Report a coach's note (`!!! coach`) where neither edition can show it as a note.

        Front matter fields are plain text, shown as written in both editions (a reading
        list's notes are Markdown, so a note there works); a `!!! coach` line indented like
        a code example is shown as code. Either would put the coach's words on the reader's
        site, so each is an error, whatever the edition being built.
        """
        lines = text.split("\n")
        if kind is not schema.READING:
            for number in range(1, min(body_line, len(lines) + 1)):
                if COACH_NOTE_ANYWHERE.search(lines[number - 1]):
                    problems.add(rel, number, "a coach's note in the front matter: its "
                                 "fields are plain text, so readers would see it",
                                 "move the note into the text below the front matter: "
                                 "!!! coach on a line of its own, its text indented by 4 "
                                 "spaces")
        in_fence, previous = False, ""
        for number in range(body_line, len(lines) + 1):
            line = lines[number - 1]
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            note = None if in_fence else COACH_NOTE.match(line)
            if (note and len(note.group(1).expandtabs(4)) >= 4
                    and not CONTINUED_BLOCK.match(previous)):
                problems.add(rel, number, "this coach's note is indented by 4 spaces or more,"
                             " which makes it a code example: readers would see it as text",
                             "remove the spaces before !!! coach")
            if line.strip():
                previous = line

    def check_raw_html_field(self, text: str, rel: str, line: int,
                             problems: Problems) -> None:
        """Report blocked raw HTML in a Markdown field of front matter, at the field's line."""
        for _, _, what, hint, effect in blocked_html(text):
            problems.add(rel, line, f"{what} in this field: {effect}", hint)

    def check_raw_html(self, body: str, first: int, rel: str, problems: Problems) -> None:
        """Report raw HTML the pages' security policy would silently block (markup.py)."""
        for index, col, what, hint, effect in blocked_html(body):
            problems.add(rel, first + index, f"{what} in the text: {effect}", hint, col=col)

    def check_headings(self, body: str, first: int, rel: str, problems: Problems) -> None:
        in_fence = False
        for offset, line in enumerate(body.split("\n")):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and re.match(r"^#\s", line):
                problems.add(rel, first + offset, "a top-level heading (#) in the text",
                             "the page title comes from the front matter; use ## for "
                             "the sections of the text")

    def markdown(self, body: str, source: str, scope: str = "") -> Converted:
        """Convert a coach's Markdown (a body, or a Markdown field of front matter or
        site.yaml) and keep its links and images for check_links, which reports each one's
        file, line and column from the file's own lines (find_link)."""
        result = self.converter.convert(body, source, scope)
        for link in result.links:
            self.links.append((source, link, body))
        return result

    def load_guide(self, folder: Path, problems: Problems) -> Guide | None:
        """Load one guide folder, or replay the last load of it while no file in it changed.

        Replaying restores everything loading the folder leaves behind (its problems, links,
        anchors, static files, file hashes and quoted lines), so the cross-checks that follow
        see exactly what a fresh load gives (tests/test_cache.py compares the two).
        """
        # A guide without its own language is in the site's: that is part of what it is.
        stamp = folder_stamp(folder, f"{self.folder_salt} {self.converter.language}")
        known = self.folders.get(folder.name) if stamp is not None else None
        if known is not None and known[0] == stamp:
            _, guide, links, page_ids, static, found, lines, digests = known
            self.links.extend(links)
            self.page_ids.update(page_ids)
            self.static.extend(static)
            problems.items.extend(found)
            problems.remember_later(lines, functools.partial(read_lines, self.content))
            self.digests.update(digests)
            self.replayed += 1
            return self.slimmed(folder.name, stamp, guide)
        marks = (len(self.links), len(self.page_ids), len(self.static), len(problems.items),
                 problems.remembered_count(), len(self.digests))
        guide = self.read_guide(folder, problems)
        self.report_failures(problems)  # before the folder's record is kept, so it has them
        if stamp is not None:
            # Kept small: which files' lines were remembered, not the lines (they are read
            # again if a problem quotes one), and links without their body (find_link reads
            # the remembered lines, not the body).
            self.folders[folder.name] = (
                stamp, guide, [(s, link, "") for s, link, _ in self.links[marks[0]:]],
                newest(self.page_ids, marks[1]), self.static[marks[2]:],
                problems.items[marks[3]:], problems.remembered_since(marks[4]),
                newest(self.digests, marks[5]))
            return self.slimmed(folder.name, stamp, guide)
        return guide

    def slimmed(self, name: str, stamp: tuple, guide: Guide | None) -> Guide | None:
        """Return the guide without its bodies when the loader is slim (its record, kept
        under `name` with `stamp`, has them), else as it is."""
        if not self.slimming or guide is None:
            return guide
        self.stamps[name] = stamp
        return guide.without_bodies()

    def read_guide(self, folder: Path, problems: Problems) -> Guide | None:
        slug = folder.name
        guide_file = folder / "guide.md"
        if not SLUG.match(slug):
            fixed = step_slug(slug)
            problems.add(f"{slug}/", 0, f'the guide folder name "{slug}" cannot be used in '
                         "web addresses", f"rename it to {fixed}: a guide's folder name has "
                         f"only {NAME_RULE}" if fixed else f"rename it with {NAME_RULE} only, "
                         "e.g. managing-rejection")
            return None
        too_long = long_name(slug, "this guide's folder name")
        if too_long:
            problems.add(f"{slug}/", 0, *too_long)
            return None
        if not guide_file.exists():
            named = {p.name.lower(): p.name for p in folder.iterdir()
                     if p.name.lower().endswith(".md") and not STEP_FILE.match(p.name)}
            close = did_you_mean("guide.md", list(named)).replace("Did you mean", "Is it")
            for lower, name in named.items():
                close = close.replace(f'"{lower}"', f'"{name}"')
            problems.add(f"{slug}/guide.md", 0, f'the guide folder "{slug}" has no guide.md.'
                         f"{close} (file names are lowercase)" if close else
                         f'the guide folder "{slug}" has no guide.md',
                         f"create {problems.named(slug + '/guide.md')} with the guide's title "
                         "and summary, or move the folder out of the content folder (folders "
                         "starting with _ are ignored)")
            return None
        loaded = self.document(guide_file, problems, schema.GUIDE)
        site_language = self.converter.language
        # Every text of the guide is in its language: its quotation marks, ids and words.
        language = language_tag((loaded[1].get("language") if loaded else None)
                                or site_language)
        self.converter.language = language
        try:
            steps = self.load_steps(folder, problems)
            worksheets = self.load_worksheets(folder, steps, problems)
            reading = self.load_reading(folder, problems)
            self.collect_static(folder)
            if loaded is None:
                return None
            return self.make_guide(folder, loaded, steps, worksheets, reading, problems)
        finally:
            self.converter.language = site_language

    def quote(self, text: str) -> str:
        """Give a plain text (a title, a summary) the quotation marks of its language."""
        return quote_text(text, self.converter.language)

    def make_guide(self, folder: Path, loaded: tuple, steps: list[Step],
                   worksheets: list[Worksheet], reading: Reading | None,
                   problems: Problems) -> Guide:
        """Make the Guide of a folder from its guide.md and what was loaded beside it."""
        slug = folder.name
        guide_file = folder / "guide.md"
        doc, value = loaded
        rel = self.rel(guide_file)
        note = value.get("safety_note", "")
        self.check_raw_html_field(note, rel, value.lines.get("safety_note", 1), problems)
        # The front matter's note first, then the body: its links in the file's order.
        safety = self.markdown(note, rel, "safety") if note else None
        intro = self.markdown(doc.body, rel)
        if value.get("safety_title") and not note:
            problems.warn(rel, value.lines.get("safety_title", 1), "this guide has a "
                          "safety_title but no safety_note, so the title is not shown",
                          "add the note under  safety_note: |  or remove the title")
        source = value.get("source")
        self.page_ids[rel] = (set(intro.ids) | TEMPLATE_IDS["guide"]
                              | (safety.ids if safety is not None else set()))
        if not source and not value.get("authors"):  # nothing to credit: no #credits section
            for page in (rel, *(p.source for p in (*steps, *worksheets))):
                self.page_ids.get(page, set()).discard("credits")
        if reading is not None:
            # One page shows both texts: links in either may point at ids of the other.
            self.page_ids[rel] |= self.page_ids.get(reading.source, set())
            self.page_ids[reading.source] = self.page_ids[rel]
        return Guide(
            path=f"{slug}/index.html",
            source=rel,
            slug=slug,
            title=self.quote(value["title"]),
            summary=self.quote(value.get("summary", "")),
            language=self.converter.language,
            language_line=value.lines.get("language", 0) if value.get("language") else 0,
            translation_of=value.get("translation_of", "").strip().strip("/"),
            translation_of_line=value.lines.get("translation_of", 0),
            authors=tuple(Person(self.quote(a.get("name", "")), self.quote(a.get("role", "")),
                                 a.get("url", ""))
                          for a in value.get("authors", ())),
            source_article=SourceArticle(self.quote(source.get("title", "")),
                                         self.quote(source.get("publisher", "")),
                                         source.get("url", "")) if source else None,
            safety_note_html=safety.html if safety is not None else "",
            safety_title=self.quote(value.get("safety_title", "")),
            intro_html=intro.html,
            headings=intro.headings,
            words=intro.words,
            text=intro.text,
            order=value.get("order", 0),
            steps=tuple(steps),
            worksheets=tuple(worksheets),
            reading=reading,
        )

    def load_steps(self, folder: Path, problems: Problems) -> list[Step]:
        steps: list[Step] = []
        named: list[tuple[int, str, str]] = []  # (number, slug, source) of every step file
        for path in sorted(folder.glob("*.md")):
            name = path.name
            if name in ("guide.md", "reading.md") or IGNORED.search(name):
                continue
            rel = self.rel(path)
            if self.is_copy(path, problems):
                continue
            match = STEP_FILE.match(name)
            too_long = long_name(match.group(2), "this step's name (after its number)",
                                 f"{match.group(1)}-", ".md") if match else None
            if too_long:
                problems.add(rel, 0, *too_long)
                named.append((int(match.group(1)), match.group(2), rel))
                continue
            if match:
                named.append((int(match.group(1)), match.group(2), rel))
            else:
                numbered = NUMBERED_FILE.match(name)
                if numbered:  # counted, so its number leaves no gap of its own
                    named.append((int(numbered.group(1)), step_slug(numbered.group(2)), rel))
                fixed = (f"rename it to {numbered.group(1)}-{step_slug(numbered.group(2))}.md"
                         if numbered and step_slug(numbered.group(2)) else
                         f"rename it like {numbered.group(1) if numbered else 1}"
                         "-rethink-the-rejection.md")
                problems.add(rel, 0, f'"{name}" is not a step: a step file name is its '
                             f"number, a hyphen and a name of {NAME_RULE}",
                             f"{fixed}, or move it to "
                             f"{path_text('worksheets/')} if it is a worksheet"
                             + ("" if numbered else f"; notes of your own: name it _{name}, "
                                "and builds leave it out"))
                continue
            loaded = self.document(path, problems, schema.STEP)
            if loaded is None:
                continue
            doc, value = loaded
            body = self.markdown(doc.body, rel)
            self.page_ids[rel] = set(body.ids) | TEMPLATE_IDS["step"]
            steps.append(Step(
                path=output_path(rel), source=rel, number=int(match.group(1)),
                slug=match.group(2), title=self.quote(value["title"]),
                summary=self.quote(value.get("summary", "")),
                html=body.html, headings=body.headings, words=body.words, text=body.text,
            ))
        steps.sort(key=lambda s: (s.number, s.slug))
        self.check_numbering(sorted(named), problems)
        return steps

    def is_copy(self, path: Path, problems: Problems) -> bool:
        """Report a Markdown file named as a copy of another file beside it (COPY_NAME: a
        sync program's conflicted copy, a file manager's duplicate) and return True; such a
        copy was "not a step" and, with the same number, a second step 1 as well."""
        copy = COPY_NAME.match(path.name)
        if not copy or not (path.parent / f"{copy.group(1)}.md").is_file():
            return False
        original = f"{copy.group(1)}.md"
        problems.add(self.rel(path), 0, f'"{path.name}" looks like a copy of {original} made '
                     "by a sync program (Dropbox, OneDrive, Google Drive, Syncthing) or by "
                     "your file manager", f"compare the two, keep what you want in {original} "
                     f"and delete the copy (or start its name with _ to keep it out of the "
                     "site)")
        return True

    def check_numbering(self, named: list[tuple[int, str, str]], problems: Problems) -> None:
        """Report steps numbered twice, from 0, or with gaps: each mistake once, where it is.

        Files that failed to load count with their number, so a broken step leaves no gap. A
        gap is reported on the first step after it, not on every later one; the hint gives
        the renames that number the steps 1, 2, 3..., the same in every message.
        """
        numbers = [number for number, _, _ in named]
        distinct = sorted(set(numbers))
        rank = {number: index for index, number in enumerate(distinct, start=1)}
        # While the numbering is broken, a worksheet may name a step by its number in the
        # fixed numbering (1, 2, 3...): the numbering's message covers it.
        self.renumbered_steps = set(range(1, len(distinct) + 1)) | (
            set(range(1, distinct[-1])) if distinct else set())
        for number in sorted({n for n in numbers if numbers.count(n) > 1}):
            # One mistake, one message: on the last of the files that share the number.
            group = [(slug, source) for n, slug, source in named if n == number]
            names = [source.rsplit("/", 1)[-1] for _, source in group]
            slug, source = group[-1]
            rename = f"rename {names[-1]} to {number + 1}-{slug}.md"
            if number < distinct[-1]:
                rename += " and renumber the steps after it"
            problems.add(source, 0, f"{len(group)} steps have the number {number}: "
                         + ", ".join(names[:-1]) + f" and {names[-1]}",
                         f"give each step its own number: {rename}")
        if distinct == list(range(1, len(distinct) + 1)):
            self.renumbered_steps = set()
            return
        first = {number: (slug, source) for number, slug, source in reversed(named)}
        previous = 0
        for index, number in enumerate(distinct):
            # A step already in its place once the mistakes before it are mended (after a
            # step 0 renamed to 1, a step 2 is one) needs no message of its own.
            if number != 0 and (number == previous + 1 or rank[number] == number):
                previous = number
                continue
            # The steps from here up to the next gap move to their place in 1, 2, 3...
            moved = []
            for later in distinct[index:]:
                if later != number and later != moved[-1][0] + 1:
                    break
                moved.append((later, rank[later]))
            renames = [f"{first[old][1].rsplit('/', 1)[-1]} to {new}-{first[old][0]}.md"
                       for old, new in moved]
            shown = ", ".join(renames[:4]) + (", and so on" if len(renames) > 4 else "")
            follow = f"rename {shown} (and change the step: of their worksheets to match)"
            slug, source = first[number]
            if number == 0:
                problems.add(source, 0, "steps are numbered from 1, but this file is "
                             "numbered 0", f"number the steps 1, 2, 3...: {follow}; or, if "
                             "it is an introduction, move its text into guide.md")
            else:
                gap = (f"step {previous + 1}" if number - previous == 2 else
                       f"steps {previous + 1} to {number - 1}")
                where = (f"the first step is numbered {number}" if previous == 0 else
                         f"step {previous} is followed by step {number}")
                problems.add(source, 0, f"there is no {gap}: {where}",
                             f"add the missing {gap}, or number the steps from here on "
                             f"without the gap: {follow}")
            previous = number

    def load_worksheets(self, folder: Path, steps: list[Step],
                        problems: Problems) -> list[Worksheet]:
        worksheets: list[Worksheet] = []
        # Step files that failed to load still have their number: no second, misleading error.
        step_numbers = {s.number for s in steps} | {
            int(m.group(1)) for p in folder.glob("*.md") if (m := NUMBERED_FILE.match(p.name))}
        # A worksheet of a step missing from the numbering is part of that gap's message.
        step_numbers |= getattr(self, "renumbered_steps", set())
        directory = folder / "worksheets"
        if not directory.is_dir():
            if directory.exists():  # a file named worksheets (a saved page, a zip's name)
                problems.add(self.rel(directory), 0, "this is a file, not a folder: a guide's "
                             "worksheets go in a folder named worksheets",
                             "rename the file, make a folder named worksheets and put the "
                             "worksheets' Markdown files in it")
            return worksheets
        for path in sorted(directory.glob("*.md")):
            if IGNORED.search(path.name):
                continue
            rel = self.rel(path)
            name = path.stem
            if self.is_copy(path, problems):
                continue
            if not SLUG.match(name) or name == "index":
                fixed = step_slug(name)
                problems.add(rel, 0, f'the worksheet file name "{path.name}" cannot be used',
                             (f"rename it to {fixed}.md: " if fixed and fixed != "index" else
                              "rename it: ") + f"a worksheet's file name has only {NAME_RULE}, "
                             "and is not index.md (that is the page of all worksheets)")
                continue
            too_long = long_name(name, "this worksheet's file name", after=".md")
            if too_long:
                problems.add(rel, 0, *too_long)
                continue
            loaded = self.document(path, problems, schema.WORKSHEET)
            if loaded is None:
                continue
            doc, value = loaded
            step = value.get("step")
            if step is not None and step not in step_numbers:
                choices = ", ".join(str(n) for n in sorted(step_numbers)) or "none yet"
                problems.add(rel, value.lines.get("step", 1), f"this worksheet belongs to "
                             f"step {step}, but the guide has no step {step}",
                             f"use one of the guide's step numbers: {choices}")
            if STEP_FILE.match(path.name) and not any(
                    MARKER.match(line) or LOOSE_MARKER.match(line)
                    for line in doc.body.split("\n")):
                # Numbered like a step, and nothing to fill in: a step saved in worksheets/,
                # whose headings would each be "a prompt without a field".
                problems.add(rel, 0, f"this file in {path_text('worksheets/')} looks like a "
                             "step: its name starts with a number and it has no field to fill "
                             "in",
                             f"move it into the guide's folder ({folder.name}) if it is a "
                             "step; if it is a worksheet, add its fields (such as [lines: 4]) "
                             f"and name it without the number, e.g. {name.split('-', 1)[1]}.md")
                continue
            answers = f"{folder.name}/{name}"
            parsed = parse_worksheet(doc.body, doc.body_line, rel, self.converter, problems,
                                     answers)
            # Its introduction's and help texts' links are checked like a step's.
            self.links.extend((rel, link, doc.body) for link in parsed.links)
            self.page_ids[rel] = ({p.id for p in parsed.prompts} | set(parsed.ids)
                                  | TEMPLATE_IDS["worksheet"])
            worksheets.append(Worksheet(
                path=output_path(rel), source=rel, slug=name, title=self.quote(value["title"]),
                step=step, minutes=value.get("minutes"),
                summary=self.quote(value.get("summary", "")),
                intro_html=parsed.intro_html, prompts=parsed.prompts, answers=answers,
            ))
        worksheets.sort(key=lambda w: (w.step or 0, w.title.lower(), w.slug))
        return worksheets

    def load_reading(self, folder: Path, problems: Problems) -> Reading | None:
        path = folder / "reading.md"
        if not path.exists():
            return None
        loaded = self.document(path, problems, schema.READING)
        if loaded is None:
            return None
        doc, value = loaded
        rel = self.rel(path)
        items = []
        note_ids: set[str] = set()  # a note's footnotes' ids are on the guide page too
        for entry in value.get("items", ()):
            url = entry.get("url", "").strip()
            if url.lower() == "unknown":
                url = ""
            elif url and (mistake := schema.address_mistake(url)) is not None:
                problems.add(rel, entry.lines.get("url", entry.line), f'"url" {mistake[0]}: '
                             f'"{url}"', mistake[1] or "write the full address starting with "
                             "https://, or  url: unknown  when there is none")
                url = ""
            elif url:
                url = address_escaped(url)
            elif not url and entry.get("title"):  # without one, its error says enough
                problems.warn(rel, entry.line, f'the reading "{entry.get("title", "")}" has '
                              "no address; it is shown as a citation without a link",
                              "add  url: https://...  if you know the address (never guess "
                              "one), or  url: unknown  to say there is none")
            note = entry.get("note", "")
            self.check_raw_html_field(note, rel, entry.lines.get("note", entry.line), problems)
            # Block HTML (<p>...): a note may have a footnote.
            converted = self.markdown(note, rel, f"reading-{len(items) + 1}") if note else None
            note_ids |= converted.ids if converted is not None else set()
            items.append(ReadingItem(self.quote(entry.get("title", "")), url,
                                     self.quote(entry.get("author", "")),
                                     self.quote(entry.get("publisher", "")),
                                     converted.html if converted is not None else ""))
        intro = self.markdown(doc.body, rel, "reading") if doc.body.strip() else None
        # The guide page's, too.
        self.page_ids[rel] = (set(intro.ids) if intro else set()) | note_ids
        return Reading(self.quote(value.get("title", "")),  # the theme names an untitled one
                       intro.html if intro else "", tuple(items), rel)

    def collect_static(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in STATIC_SUFFIXES and path.is_file():
                self.static.append(self.rel(path))

    def check_addresses(self, problems: Problems) -> None:
        """Report each link to an address whose host no address can have (markup's
        bad-address: "https://[your-site].org"), and leave the other links to check_links."""
        for source, link, body in self.links:
            if link.kind == "bad-address":
                line, col = find_link(body, link.href, source, problems)
                problems.add(source, line, f'the link "{link.href}" is not a web address: '
                             "the site's name in it has a [ or ]",
                             "write the site's own address, such as https://example.org/page",
                             col=col)
        self.links = [entry for entry in self.links if entry[1].kind != "bad-address"]

    def check_links(self, problems: Problems) -> None:
        """Check that every relative link points at a file and #anchor that exist."""
        sources = set(self.page_ids)
        static = set(self.static)
        # The page each content file becomes (g/1-start.md -> g/start.html), for a link
        # written to the page instead of to its Markdown file.
        pages = {output_path(rel): rel for rel in sources}
        # Each page and file of the site by its name in small letters: a link that names one
        # with other capitals works on this computer's file system (Windows, macOS) and is dead
        # on a web host, which tells them apart.
        by_case = {name.lower(): name for name in sorted(sources | static, reverse=True)}
        # The same address written twice in a file: the second is its second place.
        written: dict[tuple[str, str], int] = {}
        for source, link, body in self.links:
            nth = written[source, link.href] = written.get((source, link.href), -1) + 1

            # Finding the place scans the file: only done for a link with a problem.
            def at(body: str = body, link: Link = link, source: str = source,
                   nth: int = nth) -> tuple[int, int]:
                return find_link(body, link.href, source, problems, nth)

            if link.kind == "remote-image":
                line, col = at()
                problems.add(source, line, f'the image "{link.href}" is on another host',
                             "save the image in the guide's folder and use its file name: "
                             "pages load nothing from other hosts, for the readers' privacy",
                             col=col)
                continue
            if not link.target:
                # site.yaml's footer is on every page: only the ids every page has.
                ids = self.footer_ids if source == "site.yaml" else self.page_ids.get(
                    source, set())
                if link.fragment not in ids:
                    self.bad_anchor(source, at(), link, ids, problems)
                continue
            cased = (by_case.get(link.target.lower())
                     if link.target not in sources and link.target not in static else None)
            if cased is not None:
                what = "image" if link.kind == "image" else "link"
                written_as = relative(source, cased) + (
                    f"#{link.fragment}" if link.fragment and cased.endswith(".md") else "")
                line, col = at()
                problems.add(source, line, f'the {what} "{link.href}" names '
                             f"{problems.named(cased)} with other capital letters",
                             f'make it the {what} "{written_as}", as the file is named: web '
                             f"hosts tell capitals apart, so it would be dead once published",
                             col=col)
                continue
            if link.target.endswith(".md"):
                if link.target not in sources and is_file(self.content / link.target):
                    if self.read_as_page(link.target):
                        continue  # a page with problems of its own, reported there
                    self.not_a_page(source, at(), link, problems)
                    continue
                if link.target not in sources:
                    near = nearest(link.target, sorted(sources))
                    line, col = at()
                    problems.add(source, line, f'the link "{link.href}" points at '
                                 f"{problems.named(link.target)}, which does not exist",
                                 "link to an existing file" + (
                                     ": " + ", ".join(relative(source, n) for n in near)
                                     if near else ""), col=col)
                elif link.fragment and link.fragment not in self.page_ids[link.target]:
                    self.bad_anchor(source, at(), link, self.page_ids[link.target], problems)
            elif link.target not in static and is_file(self.content / link.target):
                self.not_copied(source, at(), link, problems)
            elif link.target in SITE_PAGES and link.kind == "link":
                if link.fragment:
                    line, col = at()
                    problems.add(source, line, f'the link "{link.href}" names a section of '
                                 f"{SITE_PAGES[link.target]}, which the build makes and the "
                                 "check cannot see into",
                                 f'remove "#{link.fragment}" and link the page itself',
                                 col=col)
            elif link.target not in static:
                what = "image" if link.kind == "image" else "link"
                line, col = at()
                page = pages.get(link.target) or next(
                    (md for md in (link.target.removesuffix(".html") + ".md",)
                     if link.target.endswith(".html") and md in sources), None)
                if page is not None:
                    markdown = relative(source, page) + (
                        f"#{link.fragment}" if link.fragment else "")
                    hint = (f'make it the link "{markdown}": links name the Markdown file a '
                            "page is made from, and the build writes the page's .html address")
                else:
                    hint = address_hint(link.href) or (
                        "check the file name, or put the file in the guide's folder")
                problems.add(source, line, f'the {what} "{link.href}" points at a file '
                             "that does not exist", hint, col=col)

    def not_copied(self, source: str, place: tuple[int, int], link: Link,
                   problems: Problems) -> None:
        """Report a link or image, at (line, column), to a file that exists but that the build
        does not copy into the site (collect_static copies the files of STATIC_SUFFIXES in a
        guide's folder, and the logo), so the built page would have a dead link."""
        what = "image" if link.kind == "image" else "link"
        name = PurePosixPath(link.target).name
        if PurePosixPath(name).suffix.lower() not in STATIC_SUFFIXES:
            kinds = ", ".join(sorted(STATIC_SUFFIXES))
            problems.add(source, place[0], f'the {what} "{link.href}" points at '
                         f"{problems.named(link.target)}, which is not part of the site: only "
                         f"files ending in {kinds} are copied into it",
                         "save it in one of these formats (a PDF, say) in the guide's folder "
                         "and link that file", col=place[1])
            return
        # Where it belongs: the folder of the guide the link is in; for site.yaml (its
        # footer is on every page) a guide's folder, there being no folder for the site's.
        guide = source.split("/")[0] if "/" in source else next(
            (rel.split("/")[0] for rel in sorted(self.page_ids) if "/" in rel), "")
        moved = f"{guide}/{'images' if link.kind == 'image' else 'files'}/{name}"
        where = "the guide's folder" if "/" in source else "a guide's folder"
        problems.add(source, place[0], f'the {what} "{link.href}" points at '
                     f"{problems.named(link.target)}, which is not part of the site: only the "
                     "files inside a guide's folder are copied into it", f"move it into {where}"
                     + (f", e.g. to {problems.named(moved)}, and make it the {what} "
                        f'"{relative(source, moved)}"' if guide else ", and link it from there"),
                     col=place[1])

    @staticmethod
    def read_as_page(target: str) -> bool:
        """Return whether a content path ("g/1-start.md") names a Markdown file the load reads
        as a page (load_steps, load_worksheets, load_reading): one directly in a guide's folder
        or in its worksheets/ folder, no part of its path ignored (IGNORED: "_drafts/", ".x").
        A file outside the content folder ("../README.md") or at its top is no page."""
        parts = target.split("/")
        if target.startswith("/") or ".." in parts or any(IGNORED.search(p) for p in parts):
            return False
        return len(parts) == 2 or (len(parts) == 3 and parts[1] == "worksheets")

    def not_a_page(self, source: str, place: tuple[int, int], link: Link,
                   problems: Problems) -> None:
        """Report a link, at (line, column), to a Markdown file that exists but that the build
        makes no page of (read_as_page), so the built page would have a dead link."""
        shown = problems.shown(link.target)
        named = path_text(posixpath.normpath(shown)) if ".." in link.target.split("/") else (
            problems.named(link.target))
        guide = source.split("/")[0] if "/" in source else next(
            (rel.split("/")[0] for rel in sorted(self.page_ids) if "/" in rel), "")
        where = "the guide's folder" if "/" in source else "a guide's folder"
        # A step's file name starts with its number: an example one when it has none.
        name = PurePosixPath(link.target).name
        step = name if STEP_FILE.match(name) else (
            f"2-{step_slug(PurePosixPath(name).stem) or 'notes'}.md")
        problems.add(source, place[0], f'the link "{link.href}" points at {named}, which is '
                     "not a page of the site: only the Markdown files in a guide's folder "
                     "(its steps, guide.md, reading.md and worksheets) become pages",
                     f"move it into {where} as a step"
                     + (f", its name starting with its number (e.g. "
                        f"{problems.named(f'{guide}/{step}')})"
                        if guide else ", its name starting with its number")
                     + ", or link one of the site's pages instead", col=place[1])

    def bad_anchor(self, source: str, place: tuple[int, int], link: Link, ids: set[str],
                   problems: Problems) -> None:
        """Report a link to an #anchor that is not on its page, at (line, column)."""
        near = nearest(link.fragment, sorted(ids))
        problems.add(source, place[0], f'the link "{link.href}" points at #{link.fragment}, '
                     "which is not a heading or id on that page",
                     ("the nearest existing ones: " + ", ".join(f"#{n}" for n in near))
                     if near else "link to a heading that exists, or give it an id with "
                     "{#an-id}. A heading's id is its text in lowercase, punctuation "
                     "dropped, spaces as hyphens, accents taken off Latin letters and other "
                     "scripts kept: \"Was ist wahr?\" -> #was-ist-wahr, \"Что я узнал\" -> "
                     "#что-я-узнал; a second heading with the same text gets _1",
                     col=place[1])

    def check_translations(self, guides: list[Guide], problems: Problems) -> None:
        """Check that `translation_of:` names another guide, in another language."""
        by_slug = {guide.slug: guide for guide in guides}
        for guide in guides:
            if not guide.translation_of:
                continue
            other = by_slug.get(guide.translation_of)
            if other is None or other is guide:
                choices = sorted(slug for slug in by_slug if slug != guide.slug)
                close = did_you_mean(guide.translation_of, choices)
                problems.add(guide.source, guide.translation_of_line,
                             f'translation_of: "{guide.translation_of}" is this guide\'s own '
                             "folder: a guide is no translation of itself" if other is guide else
                             f'translation_of: there is no other guide "{guide.translation_of}"'
                             + (f".{close}" if close else ""),
                             "write the folder name of the guide this one translates"
                             + ("" if choices else ", or remove the line if this is the "
                                "original") + f"; the other guides are: "
                             f"{', '.join(choices) or 'none yet'}")
            elif other.language.lower() == guide.language.lower():
                problems.add(guide.source, guide.translation_of_line, f"this guide and "
                             f'"{other.slug}" are both in the language "{guide.language}"',
                             "give this guide its own language:  language: es  (a translation "
                             "is in another language than its original)")

    def check_collisions(self, guides: list[Guide], problems: Problems) -> None:
        """Report two content files that would write the same page."""
        writers: dict[str, list[str]] = {}
        for guide in guides:
            writers.setdefault(guide.path, []).append(guide.source)
            writers.setdefault(guide.packet_path, []).append(f"{guide.slug}/worksheets/")
            for page in (*guide.steps, *guide.worksheets):
                if guide.worksheets and page.path == guide.answers_path:
                    problems.add(page.source, 0, f"this step would write the page "
                                 f"{path_text(page.path)}, which is the guide's My answers "
                                 "page (the reader's answers to its worksheets)",
                                 "rename the file: a step's page is named after its file name "
                                 "without the number, and my-answers is taken")
                    continue
                writers.setdefault(page.path, []).append(page.source)
        for path, sources in writers.items():
            if len(sources) > 1:
                for number, source in enumerate(sources, start=1):
                    others = ", ".join(problems.named(s) for s in sources if s != source)
                    problems.add(source, 0, f"this file and {others} would both write the "
                                 f"page {path_text(path)} ({number} of {len(sources)})",
                                 "rename one of the files: a step's page is named after its "
                                 "file name without the number")
        titles: dict[str, list[Guide]] = {}
        for guide in guides:
            titles.setdefault(" ".join(guide.title.lower().split()), []).append(guide)
        for same in titles.values():
            for guide in same[1:] if len(same) > 1 else ():
                problems.warn(guide.source, 0, f'two guides have the title "{guide.title}" '
                              f"(this one and {problems.named(same[0].source)})",
                              "give each guide its own title, so readers can tell them apart "
                              "on the home page")

    def check_stray_files(self, problems: Problems) -> None:
        """Report Markdown files directly in the content folder, which belong to no guide."""
        for path in sorted(self.content.glob("*.md")):
            if IGNORED.search(path.name) or path.is_dir():
                continue
            problems.warn(path.name, 0, "this file is not inside a guide folder, so it is not "
                          "part of the site", "move it into a guide's folder, or start its "
                          "name with _ to keep it out of the site quietly")
        # Pages saved with another Markdown extension would silently be missing from the site.
        for rel in sorted(markdown_like_files(self.content), key=lambda r: r.split("/")):
            path = self.content / rel
            if path.is_file():
                problems.warn(rel, 0, f'only files ending in .md are read, so "{path.name}" '
                              "is not part of the site", f"rename it to {path.stem}.md if it "
                              "is a page, or start its name with _ to keep it out quietly")


def markdown_like_files(content: Path) -> list[str]:
    """List files in the guide folders with a Markdown extension other than .md.

    It runs on every load (serve too): names only, from os.scandir, without a Path per file,
    and without entering ignored folders (a file under one is ignored anyway). Like the
    glob "*/**/*" it replaces, it enters symlinked guide folders but no symlinked folder
    inside them.
    """
    found: list[str] = []
    try:
        with os.scandir(content) as entries:
            tops = [entry.name for entry in entries if entry.is_dir()]
    except OSError:
        return found
    for top in tops:
        if IGNORED.search(top):
            continue
        for root, dirs, names in os.walk(content / top):
            dirs[:] = [name for name in dirs if not IGNORED.search(name)]
            for name in names:
                suffix = os.path.splitext(name)[1]
                if (suffix != ".md" and suffix.lower() in MARKDOWN_LIKE
                        and name.lower() != "guide.md"  # has its own message
                        and not IGNORED.search(name)):
                    found.append(Path(root, name).relative_to(content).as_posix())
    return found


def folder_stamp(folder: Path, salt: str) -> tuple | None:
    """Describe every file and folder under a guide folder: a change to any changes it.

    Symlinked folders are followed, as the loader reads through them: an edit inside a
    symlinked `worksheets/` changes the stamp too (the link's own stamp is its target
    folder's, which an edit in place does not change). Each real folder is walked once.
    """
    entries: list[tuple] = [salt]
    seen: set[tuple[int, int]] = set()
    try:
        for root, dirs, names in os.walk(folder, followlinks=True):
            info = os.stat(root)
            if (info.st_dev, info.st_ino) in seen:  # a link back up: walked already
                dirs[:] = []
                continue
            seen.add((info.st_dev, info.st_ino))
            dirs.sort()
            for name in [*dirs, *sorted(names)]:
                info = os.stat(os.path.join(root, name), follow_symlinks=True)
                entries.append((root, name, info.st_mtime_ns, info.st_ctime_ns, info.st_size,
                                info.st_ino, info.st_mode))
    except OSError:
        return None  # a file vanished or cannot be read: load it the slow way
    return tuple(entries)


def read_lines(content: Path, rel: str) -> list[str] | None:
    """Return the lines of a content file (for quoting it in a problem), or None."""
    try:
        raw = (content / rel).read_bytes()
    except OSError:
        return None
    text = decode(raw, rel, Problems())
    return None if text is None else text.split("\n")


def newest(mapping: dict, before: int) -> dict:
    """Return the entries added to an (insertion-ordered) dict since it had `before` entries."""
    added = len(mapping) - before
    if added <= 0:
        return {}
    items = []
    for key in reversed(mapping):
        items.append((key, mapping[key]))
        if len(items) == added:
            break
    return dict(reversed(items))


# The pages the build makes from every guide, at the top of the site (render.py), by what a
# coach may call them. A text may link them; a page in a language with pages of its own links
# its language's (render.body_words: safety.fr.html).
SITE_PAGES = {"index.html": "the home page", "safety.html": "the Staying safe online page",
              "search.html": "the search page"}
# A link written as a web address or an email address without its scheme, which Markdown
# (CommonMark) takes for a file beside the page: "www.example.org", "example.org/help",
# "hello@example.org". A host is a www. name, or names ending in a top-level domain that no
# file a guide links to ends in (RFC 1034 labels).
WEB_ADDRESS = re.compile(
    r"(?i)(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|info|"
    r"io|co|uk|us|ca|au|nz|ie|de|at|ch|fr|be|nl|es|it|pt|br|se|no|dk|fi|pl|ru|ua|eu|in|"
    r"jp|app|dev))(?::\d+)?(?:[/?#].*)?")
EMAIL_ADDRESS = re.compile(r"[^@\s/:]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)


def address_hint(href: str) -> str:
    """Return the hint for a link to a missing file that is a web or email address written
    without its scheme (WEB_ADDRESS, EMAIL_ADDRESS): how to write it in full; else ""."""
    if EMAIL_ADDRESS.fullmatch(href):
        return f"if it is an email address, write mailto: in front of it: mailto:{href}"
    if WEB_ADDRESS.fullmatch(href):
        return (f"if it is a web address, write it in full: https://{href} (a file goes in "
                "the guide's folder)")
    return ""


def is_file(path: Path) -> bool:
    """Say whether a path a coach wrote (a link, the logo) names a file; False for a name the
    file system cannot take, which Path.is_file raises on in Python 3.11 (a name longer than
    NAME_MAX, 255 bytes on most systems: ENAMETOOLONG; a NUL: ValueError)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def find_link(body: str, href: str, source: str, problems: Problems,
              nth: int = 0) -> tuple[int, int]:
    """Find where a link's address is written in its file (front matter included): (line,
    column), both from 1, the column of its first character; (0, 0) when it cannot be
    found (Markdown keeps no places). `nth` (from 0) picks the file's nth link with that
    address, so the same mistake made twice is reported at each of its places; past the
    last, the last.

    An address written as a link's target (`](x.md`, `](<x.md>`), a reference (`]: x.md`)
    or an HTML attribute (`"x.md"`) is preferred to the same text elsewhere on a line.
    """
    lines = problems.lines(source)
    places: list[tuple[int, int]] = []
    for number, text in enumerate(lines, start=1):
        found = {start + len(before) + 1
                 for before in ("](", "](<", "]: ", '"')
                 for start in occurrences(text, before + href)}
        places.extend((number, col) for col in sorted(found))
    if not places:
        places = [(number, start + 1) for number, text in enumerate(lines, start=1)
                  for start in occurrences(text, href)]
    return places[min(nth, len(places) - 1)] if places else (0, 0)


def occurrences(text: str, part: str) -> list[int]:
    """Return where `part` starts in `text`, every time (0-based), overlaps left out."""
    found, start = [], text.find(part)
    while start >= 0 and part:
        found.append(start)
        start = text.find(part, start + len(part))
    return found


def long_name(name: str, what: str, before: str = "", after: str = "") -> tuple[str, str] | None:
    """Return the message and hint for a name (a SLUG) longer than MAX_NAME characters,
    with the name to rename it to (`before` it, cut after its last whole word that fits,
    `after`: "2-" and ".md" for a step); else None."""
    if len(name) <= MAX_NAME:
        return None
    head = name[: MAX_NAME + 1]
    cut = head.rsplit("-", 1)[0].strip("-") if "-" in head else name[:MAX_NAME]
    return (f"{what} is {len(name)} characters long: a name has at most {MAX_NAME}",
            f"rename it to {before}{cut}{after}: the files made from it add to the name, "
            "and disks take names of at most 255 characters")


def step_slug(name: str) -> str:
    """Return a file or folder name's words as a name that can be used (SLUG): lowercase
    letters a-z, digits and hyphens ("My Café" -> "my-cafe"; "" for a name in another
    script). Accents come off by Unicode compatibility decomposition (NFKD)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def quick_exit(setting: schema.Value | bool | None) -> dict[str, object]:
    """Return the Settings fields of site.yaml's `quick_exit`: true (the default), false, or
    a group of fields (url, label), each optional."""
    if isinstance(setting, schema.Value):
        return {"quick_exit": True, "quick_exit_url": setting.get("url", QUICK_EXIT_URL),
                "quick_exit_label": setting.get("label", "")}
    return {"quick_exit": setting is not False}
