"""The theme's words in every language: gettext message catalogs (.po), read with Babel.

Templates mark each reader-visible string with `_()`, `ngettext()` or `{% trans %}`
(`jinja2.ext.i18n`); scripts get theirs from the page. The English text is the message id.
Catalogs are `locale/<language>.po` files in the theme (`templates/locale/`) or in a coach's
own templates (`content/_templates/locale/`, which wins). They are compiled in memory when a
build reads them, so there is no compiled file to forget; `locale/messages.pot` lists every
message id for translators (tests/test_catalogs.py keeps it up to date).

A page's strings come from its language's catalog: the full tag first (`pt-BR.po`), then
the language (`pt.po`); the site's `messages:` in site.yaml override single strings; a
string with no translation is shown in English.
"""

from __future__ import annotations

import datetime
import gettext as gettext_module
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

from .errors import WARNING, Problem, Problems, did_you_mean, path_text, project_path
from .frontmatter import decode
from .i18n import base_language
from .model import Settings, Site

LOCALE = "locale"
SOURCE_LANGUAGE = "en"
TEMPLATE_SUFFIXES = (".html", ".svg", ".xml", ".txt")
# Strings the engine itself puts on pages: the search index's kinds of page, and the words
# of the scripts (in files they load on first use, render.script_texts).
# What search.js says, by message id; {q} is the query and {n} a number, filled in by it.
SEARCH_TEXTS = {
    "none": ("No results for “%(query)s”.", {"query": "{q}"}),
    "found": ("Results for “%(query)s”: %(count)s.", {"query": "{q}", "count": "{n}"}),
    "more": ("Press Enter to see them all.", {}),
}


# What worksheet.js, answers-backup.js, answers-privacy.js and answers-lock.js say; {x} is a
# time or a file name, and in answers-backup.js {f} a file name, {l} a list, {n} a number and
# {t} a worksheet's title.
WORKSHEET_TEXTS = {
    "unsaved": ("This browser is not letting the page save. Export your answers to keep them.",
                {}),
    "saved": ("Saved in this browser at %(time)s.", {"time": "{x}"}),
    "session": ("Kept on this page only: nothing is saved on this device.", {}),
    "cleared": ("Your answers were cleared.", {}),
    "filled": ("Your saved answers are filled in.", {}),
    "exported": ("Your answers were saved to the file %(file)s.", {"file": "{x}"}),
    # answers-backup.js: Export all, Import (a merge), the weekly reminder
    "notours": ("%(file)s is not a Guidebook answers file, so nothing changed.", {"file": "{f}"}),
    "lockedfirst": ("Your answers are locked: unlock them with your passphrase first.", {}),
    "noexport": ("You have no saved answers in this browser yet, so there is nothing to "
                 "export.", {}),
    "sheetcount": ("%(title)s (%(count)s)", {"title": "{t}", "count": "{n}"}),
    "merged": ("Answers taken from %(file)s, by worksheet: %(list)s.",
               {"file": "{f}", "list": "{l}"}),
    "nonewer": ("Nothing in %(file)s was newer than the answers in this browser, so nothing "
                "changed.", {"file": "{f}"}),
    "keptnewer": ("Answers kept because this browser’s were newer: %(count)s.",
                  {"count": "{n}"}),
    "elsewhere": ("Worksheets in the file that are not on this site, left out: %(count)s.",
                  {"count": "{n}"}),
    "remind": ("You have not saved a copy of your answers for a week or more. Browsers can "
               "delete what a site keeps: export them to a file to keep them safe.", {}),
    "exportall": ("Export all my answers", {}),
    "later": ("Remind me in 7 days", {}),
    # answers-privacy.js: Don't save, Erase all, Lock
    "stopsave": ("Stop saving your answers on this device? The answers saved here for this "
                 "site are erased now. What is on this page stays until you leave or reload "
                 "it.", {}),
    "nosave": ("Your answers are not saved on this device: they stay on this page until you "
               "leave or reload it.", {}),
    "saveagain": ("Your answers are saved in this browser again, as you type.", {}),
    "erase": ("Erase all your answers to every worksheet of this site on this device? This "
              "cannot be undone.", {}),
    "erased": ("All your answers to this site’s worksheets were erased from this device.", {}),
    "nolock": ("Your answers are not saved on this device, so there is nothing to lock. To keep "
               "them here, locked, first turn off “Don’t save my answers on this device”.", {}),
    # answers-lock.js: the passphrase lock
    "nocrypto": ("Locking is not available on this page: this browser offers encryption only "
                 "to pages opened over https or from this computer’s own address (and, in some "
                 "browsers, from a file). Your answers are saved here without a lock. To keep "
                 "them off this device instead, use “Don’t save my answers on this device”.",
                 {}),
    "cantunlock": ("Your answers on this site are locked, and this browser cannot unlock them "
                   "on this page: it offers encryption only to pages opened over https or from "
                   "this computer’s own address. Open the site that way to unlock them, or "
                   "erase all your answers to start again.", {}),
    "locked": ("Your answers on this site are locked.", {}),
    "typepass": ("Type your passphrase to see and change them.", {}),
    "pass": ("Passphrase", {}),
    "unlockbtn": ("Unlock my answers", {}),
    "forgot": ("Forgot it? Nobody can open these answers without it. “Erase all my answers” "
               "starts again.", {}),
    "unlocking": ("Unlocking…", {}),
    "wrong": ("That passphrase does not unlock these answers. Check it and try again.", {}),
    "isopen": ("Your answers are locked with your passphrase. On this page they stay open "
               "until you leave it or 15 minutes pass without typing.", {}),
    "locknow": ("Lock them now", {}),
    "remove": ("Remove the lock", {}),
    "removed": ("The lock is removed: your answers are saved in this browser without it.", {}),
    "before": ("Before you lock them:", {}),
    "warn": ("if you forget this passphrase, your answers are lost. Nobody can open them "
             "without it, not even your coach, and there is no way to reset it.", {}),
    "newpass": ("Passphrase (at least 8 characters)", {}),
    "again": ("The same passphrase again", {}),
    "lockbtn": ("Lock my answers", {}),
    "cancel": ("Cancel", {}),
    "short": ("The passphrase needs at least 8 characters.", {}),
    "differ": ("The two passphrases are not the same. Type them again.", {}),
    "locking": ("Locking…", {}),
}


# The words the engine puts into converted Markdown, on each page in its language
# (render.body_words): a footnote's back link's title and a coach's note's label.
BODY_TEXTS = {
    "backlink": "Back to the text of note %(num)s",
    "coach": "For the coach",
}


# An admonition's title when the coach gives none (`!!! warning`), by its type: the types of
# reStructuredText's admonitions, which Python-Markdown's extension follows. Another type's
# title is its name, capitalized, as Python-Markdown writes it (render.body_words).
ADMONITION_TITLES = {
    "attention": "Attention", "caution": "Caution", "danger": "Danger", "error": "Error",
    "hint": "Hint", "important": "Important", "note": "Note", "tip": "Tip",
    "warning": "Warning",
}


ENGINE_MESSAGES: tuple[str, ...] = (
    "Guide", "Step", "Worksheet", "Reading", "Step %(num)s: %(title)s", "Worksheets",
    *BODY_TEXTS.values(), *ADMONITION_TITLES.values(),
    *(message for message, _ in SEARCH_TEXTS.values()),
    *(message for message, _ in WORKSHEET_TEXTS.values()),
)
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # for stable files
TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def is_language(tag: str) -> bool:
    """Return whether a BCP 47 tag names a language Babel (Unicode CLDR) knows."""
    if not TAG.match(tag):
        return False
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@dataclass
class Messages:
    """One page language's strings: a compiled catalog, the site's overrides, English."""

    language: str
    compiled: gettext_module.NullTranslations
    overrides: dict[str, str] = field(default_factory=dict)
    # Each message as Markup once found (marked): a page asks for some forty.
    _marked: dict[str, Markup] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def marked(self, message: str) -> Markup:
        """Return gettext(message) marked safe for an autoescaping template (kept)."""
        text = self._marked.get(message)
        if text is None:
            text = self._marked[message] = Markup(self.gettext(message))
        return text

    def gettext(self, message: str) -> str:
        """Return the translation of a message id (English when there is none)."""
        override = self.overrides.get(message)
        return override if override is not None else self.compiled.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Return the form of a message for a number, by the language's plural rule."""
        override = self.overrides.get(singular)
        if override is not None:
            return override
        return self.compiled.ngettext(singular, plural, count)


def page_functions(messages: Messages) -> dict[str, Callable[..., str]]:
    """Return `gettext`, `_` and `ngettext` for a page's template context.

    They behave as Jinja's "new style" gettext (jinja2.ext.i18n with newstyle=True): the
    result is a format string filled with the keyword arguments (%(name)s), marked safe when
    autoescaping, and `ngettext` provides `num`.
    """

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        if not context.eval_ctx.autoescape:
            return messages.gettext(message) % variables
        text = messages.marked(message)
        # Without variables, `%` would only turn "%%" into "%": skipped when there is none.
        return text % variables if variables or "%" in text else text

    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, count: int,
                 **variables: Any) -> str:
        variables.setdefault("num", count)
        text = messages.ngettext(singular, plural, count)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


class Catalogs:
    """The catalogs of a theme and a coach's templates, read on first use."""

    def __init__(self, folders: Iterable[Path]):
        self.folders = tuple(folders)  # the coach's first: their catalog of a language wins
        self._catalogs: dict[str, Catalog | None] = {}

    def files(self) -> dict[str, Path]:
        """Return {language tag: .po file} for every catalog, the coach's over the theme's."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            directory = folder / LOCALE
            if directory.is_dir():
                for path in sorted(directory.glob("*.po")):
                    found[path.stem.replace("_", "-")] = path
        return found

    def languages(self) -> list[str]:
        """Return the languages a page can be fully shown in: English and every catalog's."""
        return sorted({SOURCE_LANGUAGE, *self.files()})

    def file_for(self, language: str) -> Path | None:
        """Return the catalog file of a language: its full tag's, else its language's."""
        files = {tag.lower(): path for tag, path in self.files().items()}
        tag = language.replace("_", "-").lower()
        return files.get(tag) or files.get(base_language(tag))

    def catalog(self, language: str) -> Catalog | None:
        """Return the Babel catalog of a language, or None when it has none."""
        path = self.file_for(language)
        if path is None:
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        key = f"{path}\0{info.st_mtime_ns}\0{info.st_size}"  # an edited catalog is read again
        if key not in self._catalogs:
            self._catalogs[key] = read_catalog(path)
        return self._catalogs[key]

    def unreadable(self, language: str) -> list[Problem]:
        """Return why a language's catalog file cannot be read (as check_languages reports
        it): not UTF-8 (frontmatter.decode names what it looks like, on its line), or not
        the encoding its header's charset names; [] when it can be, or there is none."""
        path = self.file_for(language)
        if path is None or self.catalog(language) is not None:
            return []
        shown = project_path(path)
        found = Problems()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            found.add(shown, 0, f"this catalog cannot be read: {exc.strerror}",
                      "check that the file is there and that you may read it")
            return found.items
        if decode(raw, shown, found) is not None:  # UTF-8, but its header names another
            found.add(shown, 0, "this catalog is not in the encoding its header names "
                      "(Content-Type: ... charset=)", 'save it as UTF-8 and make the header '
                      'say so: "Content-Type: text/plain; charset=UTF-8\\n"')
        return found.items

    def overrides(self, settings: Settings, language: str) -> dict[str, str]:
        """Return the site's `messages:` that apply to a page language: those under its tag
        or its language's code, and the plain ones when it is the site's language."""
        tag = language.lower().replace("_", "-")
        site = settings.language.lower().replace("_", "-")
        chosen: dict[str, str] = {}
        for scope in ("", base_language(tag), tag):  # the most precise wins
            for lang, message, text, _ in settings.messages:
                where = lang.lower().replace("_", "-")
                if where == scope and (where or tag == site):
                    chosen[message] = text
        return chosen

    def messages(self, language: str, overrides: dict[str, str] | None = None) -> Messages:
        """Return a language's strings, its catalog compiled in memory (Babel's write_mo)."""
        catalog = self.catalog(language) if base_language(language) != SOURCE_LANGUAGE else None
        compiled: gettext_module.NullTranslations = gettext_module.NullTranslations()
        if catalog is not None:
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            compiled = gettext_module.GNUTranslations(buffer)
        return Messages(language, compiled, dict(overrides or {}))

    def translated(self, language: str) -> set[str]:
        """Return the message ids a language's catalog translates (every plural form)."""
        catalog = self.catalog(language)
        if catalog is None:
            return set()
        done = set()
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, (tuple, list)) else (
                message.string,)
            if all(strings):
                done.add(message.id[0] if isinstance(message.id, (tuple, list))
                         else message.id)
        return done


def template_entries(env: jinja2.Environment) -> dict[str, str | None]:
    """Return {message id: its plural id, or None} for every string the templates and the
    engine use, in order of first use (templates by name, then ENGINE_MESSAGES).

    Read from the templates as the environment sees them (a coach's override in place of
    the theme's) with jinja2.ext.i18n's extractor (Environment.extract_translations).
    Raises jinja2.TemplateSyntaxError for a template that does not parse.
    """
    found: dict[str, str | None] = {}
    for name in sorted(env.list_templates()):
        if not name.endswith(TEMPLATE_SUFFIXES):
            continue
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        for _line, _function, message in env.extract_translations(source):
            ids = message if isinstance(message, tuple) else (message,)
            if ids and isinstance(ids[0], str):
                plural = ids[1] if len(ids) > 1 and isinstance(ids[1], str) else None
                if found.get(ids[0]) is None:
                    found[ids[0]] = plural
    for message in ENGINE_MESSAGES:
        found.setdefault(message, None)
    return found


# How many strings without a translation a warning names (the rest are counted).
MISSING_NAMED = 12


def read_catalog(path: Path) -> Catalog | None:
    """Read a .po file with Babel (read_po, in the charset its header names), without the
    byte order marks an editor may have put at its start (Babel takes one for part of the
    first line, and the header for a message: a page showed "Language: fr"). A translation
    of spaces only is taken for none (the English shows, and the warning of missing strings
    names it) rather than a button without a name. Returns None when the bytes are not in
    that charset or the file cannot be read (Catalogs.unreadable says why)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    while raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        catalog = read_po(io.BytesIO(raw), locale=path.stem.replace("-", "_"),
                          abort_invalid=False)
    except (UnicodeDecodeError, LookupError):  # LookupError: a charset Python does not know
        return None
    for message in catalog:  # a translation of spaces only is no translation (a blank button)
        if isinstance(message.string, (tuple, list)):
            message.string = tuple(text if text.strip() else "" for text in message.string)
        elif message.string and not message.string.strip():
            message.string = ""
    return catalog


def check_languages(site: Site, catalogs: Catalogs, used: Mapping[str, str | None],
                    problems: Problems, templates_shown: str = "templates") -> None:
    """Report unknown language codes (errors), missing translations (one warning each) and
    translations a page cannot be made with (errors, check_formats).

    `used` is every message id of the templates and the engine with its plural id
    (template_entries). A code Babel does not know is an error on its line with the list
    of languages that have a catalog. A known language without a catalog, or whose catalog
    lacks strings, is shown with those strings in English, and a warning names them.
    """
    settings = site.settings
    places = [("site.yaml", settings.language_line, settings.language)]
    places += [(guide.source, guide.language_line, guide.language) for guide in site.guides
               if guide.language_line]
    choices = ", ".join(catalogs.languages())
    warned: set[str] = set()
    checked: set[Path] = set()
    for source, line, language in places:
        if not is_language(language):
            problems.add(source, line, f'unknown language "{language}"',
                         f"write a language code such as de, pt-BR or ar; the languages with "
                         f"a catalog are: {choices}")
            continue
        key = language.lower().replace("_", "-")
        if key in warned or base_language(key) == SOURCE_LANGUAGE:
            continue
        warned.add(key)
        overridden = {message for lang, message, _, _ in settings.messages
                      if (lang or settings.language).lower().replace("_", "-") == key}
        path = catalogs.file_for(language)
        if path is None:
            problems.warn(source, line, f'there is no catalog for the language "{language}": '
                          "the theme's words on its pages stay in English",
                          f"add {path_text(f'{templates_shown}/{LOCALE}/{base_language(key)}.po')}"
                          f" (a copy of {path_text(f'{LOCALE}/messages.pot')}, translated); the "
                          "languages with a catalog "
                          f"are: {choices}")
            continue
        if unreadable := catalogs.unreadable(language):
            if path not in checked:
                checked.add(path)
                problems.extend(unreadable)
            continue
        if path not in checked:
            checked.add(path)
            check_formats(path, catalogs.catalog(language), used, problems)
            check_plural_forms(path, catalogs.catalog(language), used, problems)
            check_quotes(path, problems)
        done = catalogs.translated(language)
        missing = [message for message in used if message not in done
                   and message not in overridden]
        if missing:
            # Named up to a screenful: a catalog begun from messages.pot lacks hundreds.
            names = ", ".join(f'"{message}"' for message in missing[:MISSING_NAMED]) + (
                f", and {len(missing) - MISSING_NAMED} more (each msgstr left empty)"
                if len(missing) > MISSING_NAMED else "")
            problems.warn(source, line, f'the catalog for "{language}" has no translation for '
                          f"{len(missing)} string{'s' if len(missing) != 1 else ''}, shown in "
                          f"English: {names}", f"translate them in {path.name}, or give them "
                          "in site.yaml under messages:")
    for language, message, text, line in settings.messages:
        if message not in used:
            problems.warn("site.yaml", line, f'messages: "{message}" is not a string of the '
                          f"theme, so it changes nothing.{did_you_mean(message, list(used))}",
                          "copy the English text of the string exactly as the page shows it")
        elif message not in UNFORMATTED:
            wrong = format_problem(message, used[message], text)
            if wrong is not None:
                col = problems.source_line("site.yaml", line).find(wrong[2]) + 1
                problems.add("site.yaml", line, f'messages: "{message}" {wrong[0]}', wrong[1],
                             col=col)
        if language and not is_language(language):
            problems.add("site.yaml", line, f'unknown language "{language}" in messages',
                         f"write a language code such as de; the languages with a catalog "
                         f"are: {choices}")


# Messages shown as they are, never filled in with values (render.body_words): the titles of
# admonitions. Every other message is filled in as Python's %-formatting with a dict, as
# Jinja's newstyle gettext does: its placeholders are %(name)s, and a percent sign is %%.
UNFORMATTED = frozenset(ADMONITION_TITLES.values())
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# One conversion of %-formatting (printf-style String Formatting in Python's library
# reference): %, an optional (name), flags, width, precision, and the conversion character.
CONVERSION = re.compile(r"%(\(\w*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(.?)")


def format_problem(message: str, plural: str | None, text: str
                   ) -> tuple[str, str, str] | None:
    """Return (what is wrong, how to fix it, the wrong part of the text) when a translation
    (or a site's override) of a message cannot be filled in as pages fill it in, else None.

    Pages fill a message with Python's %-formatting and the values its English names
    (`%(name)s`; `num` too for a message with a plural, as ngettext gives it), as strings in
    the scripts' words (script_texts): so a translation may use only those placeholders, as
    `%(name)s`, and writes a percent sign as `%%`. Leaving a placeholder out is allowed (a
    singular form may say "one" instead of the number).
    """
    names = set(PLACEHOLDER.findall(message + (plural or "")))
    if plural is not None:
        names.add("num")
    given = ", ".join(f"%({name})s" for name in sorted(names))
    hint = (f"use the placeholders of the English as they are ({given}), and write a percent "
            "sign as %%" if names else "the English has no placeholders: write a percent sign "
            "as %%")
    for found in CONVERSION.finditer(text):
        piece, name, kind = found.group(0), found.group(1), found.group(2)
        if piece == "%%" or (name and name[1:-1] in names and piece == f"%{name}s"):
            continue
        if name and kind == "s" and piece == f"%{name}s":
            return f"uses {piece}, which is not one of its placeholders", hint, piece
        if name:
            return f"writes a placeholder as {piece}, not as the English does", hint, piece
        return "has a % sign that is not a placeholder", hint, piece
    return None


def check_formats(path: Path, catalog: Catalog | None, used: Mapping[str, str | None],
                  problems: Problems) -> None:
    """Report each translation of a catalog file (`path`, read as `catalog`) that pages could
    not be made with (format_problem), as an error on its msgstr line: every one at once,
    instead of the first page that uses one failing in the theme's template."""
    if catalog is None:
        return
    lines: list[str] | None = None  # the file's lines, read for the first problem only
    shown = project_path(path)
    for entry in catalog:
        ids = entry.id if isinstance(entry.id, (tuple, list)) else (entry.id,)
        if not ids[0] or entry.fuzzy or ids[0] in UNFORMATTED or ids[0] not in used:
            continue
        plural = ids[1] if len(ids) > 1 else used.get(ids[0])
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        for index, text in enumerate(strings):
            wrong = format_problem(ids[0], plural, text) if text else None
            if wrong is None:
                continue
            if lines is None:
                lines = catalog_lines(path)
            line = msgstr_line(lines, entry.lineno, index if len(strings) > 1 else None)
            source = lines[line - 1] if 0 < line <= len(lines) else ""
            col = source.find(wrong[2]) + 1 if wrong[2] in source else (
                len(source) - len(source.lstrip()) + 1 if source.strip() else 0)
            problems.extend([Problem(shown, line, col, f'the translation of "{ids[0]}" '
                                     f"{wrong[0]}", wrong[1], source_line=source)])


def check_plural_forms(path: Path, catalog: Catalog | None, used: Mapping[str, str | None],
                       problems: Problems) -> None:
    """Warn, once for a catalog file, when its translations of counted strings ("About
    %(num)s minutes") give fewer forms than its plural rule picks from: a number that takes a
    missing form is shown in English. The rule is the file's `Plural-Forms:` header, or
    without one its language's in Unicode CLDR (Babel), which for Italian, Spanish, Catalan
    or Polish has 3 forms: a catalog made from messages.pot, whose English has 2, gets the
    usual plural ("15 minutes") in English until it has a third form or its own rule."""
    if catalog is None:
        return
    wanted = catalog.num_plurals
    short: list[tuple[str, int, int]] = []  # (message id, forms given, its msgid's line)
    for entry in catalog:
        if not isinstance(entry.id, (tuple, list)) or entry.fuzzy or not used.get(entry.id[0]):
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        given = len([text for text in strings if text])
        if 0 < given < wanted:
            short.append((entry.id[0], given, entry.lineno))
    if not short:
        return
    lines = catalog_lines(path)
    header = next((number for number, text in enumerate(lines, 1)
                   if text.startswith('"Plural-Forms:')), 0)
    line = header or short[0][2]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    given = min(forms for _, forms, _ in short)
    rule = (f"the catalog's Plural-Forms: line asks for {wanted}" if header else
            f'"{path.stem}" has {wanted} in Unicode CLDR '
            f"({catalog.plural_forms.rstrip(';')})")
    names = ", ".join(f'"{message}"' for message, _, _ in short)
    some = (f"the translations of {len(short)} strings with a number have" if len(short) > 1
            else "the translation of 1 string with a number has")
    last = f"msgstr[{given}]" + (f" to msgstr[{wanted - 1}]" if wanted - 1 > given else "")
    problems.extend([Problem(
        project_path(path), line, 1 if source.strip() else 0,
        f"{some} {given} form{'s' if given != 1 else ''}, but {rule}: a number that takes a "
        f"missing form is shown in English: {names}",
        f"add {last} to each, or, if the language needs only the forms you wrote, give their "
        "rule in the catalog's header, e.g. \"Plural-Forms: nplurals=2; plural=(n != 1);\\n\" "
        "for one and more than one, as in English", WARNING, source)])


# A line of a .po file that holds text: a keyword (msgid, msgstr[1]...) or nothing, then one
# string in double quotes, a quote inside it written \" (GNU gettext manual, "The Format of
# PO Files"). Babel takes the first and last characters for the quotes whatever they are, so
# `msgstr "Imprimer vide` became "Imprimer vid".
PO_TEXT_LINE = re.compile(r'^\s*(?:msg[a-z_]+(?:\[\d+\])?\s*)?"(?:[^"\\]|\\.)*"\s*$')
PO_TEXT_START = re.compile(r'^\s*(?:msg[a-z_]+(?:\[\d+\])?(?:\s|"|$)|")')


def check_quotes(path: Path, problems: Problems) -> None:
    """Report each line of a catalog file whose text is not one string in double quotes (an
    end quote missing, a quote inside not written \\"): Babel would drop or keep letters
    without a word. Comment (#) and blank lines are not text."""
    lines = catalog_lines(path)
    shown = project_path(path)
    for number, text in enumerate(lines, 1):
        if PO_TEXT_START.match(text) and not PO_TEXT_LINE.match(text):
            col = text.find('"') + 1 or len(text) - len(text.lstrip()) + 1
            problems.extend([Problem(shown, number, col, "this line's text is not one string "
                                     'between double quotes: Babel would read it without its '
                                     "last letter, or a part of it",
                                     'begin and end it with ", and write a " inside it as \\"',
                                     source_line=text)])


def catalog_lines(path: Path) -> list[str]:
    """Return a catalog file's lines, to quote one in a message ([] if it cannot be read:
    Babel read it a moment ago, so only a file removed since loses its quotes)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []


def msgstr_line(lines: list[str], msgid_line: int, index: int | None) -> int:
    """Return the line number of a message's `msgstr` (`msgstr[index]` for a plural form) in
    a .po file's lines, searching from its msgid's line; the msgid's line when not found."""
    start = f"msgstr[{index}]" if index is not None else "msgstr"
    for number in range(max(msgid_line, 1), len(lines) + 1):
        if lines[number - 1].startswith(start):
            return number
    return msgid_line


def write_template(templates: Path) -> Path:
    """Write `locale/messages.pot` of a theme: every message id, for translators.

    Deterministic (no dates, no line numbers), so it changes only when the strings do.
    """
    from babel.messages.pofile import write_po

    from .render import environment

    catalog = Catalog(project="Guidebook", header_comment="# The theme's strings. Copy this "
                      "file to <language>.po and translate each msgstr.\n",
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    for message, plural in template_entries(environment(templates)).items():
        catalog.add((message, plural) if plural else message)
    path = templates / LOCALE / "messages.pot"
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, include_lineno=False, width=0)
    path.write_bytes(buffer.getvalue())
    return path


if __name__ == "__main__":  # python -m guidebook.catalogs [templates]: refresh messages.pot
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m guidebook.catalogs",
        description="Write locale/messages.pot: every string the theme's templates show.")
    parser.add_argument("templates", nargs="?", type=Path, default=Path("templates"),
                        help="the theme's folder (default: templates)")
    print(f"Wrote {write_template(parser.parse_args().templates)}")
