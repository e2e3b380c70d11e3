"""The coach's look without Python: an accent colour, custom.css, and theme files replaced.

A coach changes the theme from `content/`:

- `accent_color` in site.yaml colours links, buttons, the focus ring and progress bars. It is
  checked against WCAG 2.2 success criterion 1.4.3 (contrast of at least 4.5:1 for text) on
  the page and panel backgrounds of both themes; the dark theme's colour is derived from it
  (or given with `accent_color: {light: ..., dark: ...}`). Colours are read, compared and
  adjusted with ColorAide (any CSS colour: `#1d5e8c`, `teal`, `rgb(...)`, `oklch(...)`).
- `content/_templates/assets/css/custom.css` is loaded after the theme's styles on every page.
- Any other file in `content/_templates/` replaces the theme's file of the same path
  (`base.html`, `assets/css/site.css`, ...); one that replaces nothing is a warning naming the
  nearest theme file, since it would otherwise be silently ignored. A catalog
  (`locale/<language>.po`) of a language the theme has none for adds that language.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .catalogs import LOCALE, is_language
from .errors import Problems, path_text

# The backgrounds an accent colour is read on (site.css: --bg, --surface), per theme.
BACKGROUNDS = {"light": ("#fdfcf9", "#f3f0e8"), "dark": ("#16181b", "#22262b")}
MINIMUM = 4.5  # WCAG 2.2, 1.4.3 Contrast (Minimum), level AA, for normal-size text
CUSTOM_CSS = "assets/css/custom.css"
ACCENT_CSS = "assets/css/accent.css"


@dataclass(frozen=True)
class Accent:
    """The accent colours of both themes, as #rrggbb: the colour and its hover shade."""

    light: str
    light_strong: str
    dark: str
    dark_strong: str


def contrast(colour: str, background: str) -> float:
    """Return the WCAG 2.x contrast ratio (1 to 21) of two CSS colours."""
    from coloraide import Color  # only a site with an accent colour needs it

    return Color(colour).contrast(background, method="wcag21")


def worst_contrast(colour: str, theme: str) -> float:
    """Return the lowest contrast of a colour on the backgrounds of a theme ("light"/"dark")."""
    return min(contrast(colour, bg) for bg in BACKGROUNDS[theme])


def to_hex(colour) -> str:  # noqa: ANN001 - a coloraide Color
    """Return a colour as #rrggbb, fitted into sRGB."""
    return colour.convert("srgb").fit("srgb").to_string(hex=True, compress=False)


def shift(colour: str, theme: str, target: float = MINIMUM) -> str:
    """Return the colour nearest to `colour` that reaches `target` on the theme's backgrounds.

    Only OKLCH lightness changes (darker for the light theme, lighter for the dark one), so
    the hue the coach chose stays; steps of 0.5 % lightness, in sRGB.
    """
    from coloraide import Color

    lch = Color(colour).convert("oklch")
    step = -0.005 if theme == "light" else 0.005
    candidate = to_hex(lch)
    for _ in range(200):
        if worst_contrast(candidate, theme) >= target:
            return candidate
        lch["lightness"] = min(1.0, max(0.0, lch["lightness"] + step))
        candidate = to_hex(lch)
    return "#000000" if theme == "light" else "#ffffff"


def parse_colour(text: str) -> str | None:
    """Return a CSS colour as #rrggbb, or None if it is not a colour (ColorAide's parser)."""
    from coloraide import Color

    try:
        return to_hex(Color(text.strip()))
    except ValueError:
        return None


def check_accent(value: object, line: int, lines: dict[str, int], problems: Problems
                 ) -> Accent | None:
    """Check site.yaml's `accent_color` and return both themes' colours, or None.

    `value` is a colour (text) or a mapping {light, dark}; `lines` gives the mapping's lines.
    Every problem is reported on the line of the colour, with its contrast ratio and the
    nearest colour of the same hue that passes.
    """
    given = {"light": value} if isinstance(value, str) else dict(value)  # type: ignore[arg-type]
    colours: dict[str, str] = {}
    ok = True
    for theme in ("light", "dark"):
        text = given.get(theme)
        if text is None:
            continue
        where = lines.get(theme, line)
        name = "accent_color" if isinstance(value, str) else f"accent_color {theme}"
        written = problems.source_line("site.yaml", where)
        col = written.find(str(text), written.find(":") + 1) + 1 if ":" in written else 0
        colour = parse_colour(str(text))
        if colour is None:
            # Hex digits without their # (left out so that YAML would not read a comment).
            bare = re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", str(text).strip())
            problems.add("site.yaml", where, f'"{name}" is not a colour: "{text}"' + (
                         ": a colour in hex digits starts with #" if bare else ""),
                         f'write it as  {name.split()[-1]}: "#{str(text).strip()}"  (in '
                         "quotes: YAML reads # as the start of a comment)" if bare else
                         "write a CSS colour, e.g. accent_color: \"#1d5e8c\" (in quotes: YAML "
                         "reads # as the start of a comment)", col=col)
            ok = False
            continue
        ratio = worst_contrast(colour, theme)
        if ratio < MINIMUM:
            better = shift(colour, theme)
            problems.add("site.yaml", where, f'the accent colour {text} has a contrast of only '
                         f"{ratio:.2f}:1 on the {theme} theme's background; links and buttons "
                         f"need at least {MINIMUM}:1 (WCAG AA)",
                         f'use a {"darker" if theme == "light" else "lighter"} shade, e.g. '
                         f'"{better}" ({worst_contrast(better, theme):.2f}:1)', col=col)
            ok = False
            continue
        colours[theme] = colour
    if not ok or "light" not in colours and "dark" not in colours:
        return None
    light = colours.get("light") or shift(colours["dark"], "light")
    dark = colours.get("dark") or shift(light, "dark")
    return Accent(light, shift(light, "light", worst_contrast(light, "light") + 1.5),
                  dark, shift(dark, "dark", worst_contrast(dark, "dark") + 1.5))


def accent_css(accent: Accent) -> str:
    """Return the stylesheet that puts the accent colours in place of the theme's ones."""
    def rules(colour: str, strong: str) -> str:
        return f"--accent:{colour};--accent-strong:{strong};--focus:{colour}"

    dark = rules(accent.dark, accent.dark_strong)
    # The same three selectors as site.css's, so the reader's theme choice still wins.
    return (f":root{{{rules(accent.light, accent.light_strong)}}}\n"
            "@media screen and (prefers-color-scheme:dark){"
            f':root:not([data-theme="light"]){{{dark}}}}}\n'
            f'@media screen{{:root[data-theme="dark"]{{{dark}}}}}\n'
            "@media print{:root{--accent:#000;--accent-strong:#000;--focus:#000}}\n")


def theme_files(templates: Path, overrides: Path) -> dict[str, Path]:
    """Return the theme's assets, with the coach's replacements: {site path: file}.

    The coach's `custom.css` is included; files in `overrides` that replace nothing are not
    (check_overrides warns about them).
    """
    files: dict[str, Path] = {}
    assets = templates / "assets"
    for path in walk(assets):
        files[f"assets/{path.relative_to(assets).as_posix()}"] = path
    mine = overrides / "assets"
    for path in walk(mine):
        rel = f"assets/{path.relative_to(mine).as_posix()}"
        if rel in files or rel == CUSTOM_CSS:
            files[rel] = path
    return files


def walk(folder: Path) -> Iterator[Path]:
    """Yield the files under a folder, sorted, leaving out hidden ones and editor leftovers."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(p.startswith(".") for p in parts) and not (
                path.name.endswith(("~", ".swp", ".tmp"))):
            yield path


def check_overrides(templates: Path, overrides: Path, problems: Problems) -> None:
    """Warn about each file in content/_templates/ that replaces no theme file.

    Such a file would be ignored without a word (a misspelt `bse.html`, a `site.css` in the
    wrong folder); the warning asks "Did you mean" the nearest theme file of the same kind
    (nearest_theme_file), and only for a stylesheet also offers custom.css.
    """
    theme = sorted(p.relative_to(templates).as_posix() for p in walk(templates))
    # A template of the coach's own that one of their templates includes, extends or
    # imports ({% include "_mine.html" %}) is used, though it replaces nothing.
    used = {name for path in walk(overrides) if path.suffix.lower() == ".html"
            for name in TEMPLATE_NAMES.findall(read_text(path))}
    known = set(theme) | used
    by_case = {name.casefold(): name for name in theme}
    for path in walk(overrides):
        rel = path.relative_to(overrides).as_posix()
        if rel in known or rel == CUSTOM_CSS:
            continue
        if is_catalog_path(rel):
            # A catalog of a language the theme has none for: the pages in it use it.
            if not is_language(PurePosixPath(rel).stem.replace("_", "-")):
                problems.warn(f"_templates/{rel}", 0, f'"{PurePosixPath(rel).stem}" is not a '
                              "language code, so no page uses this catalog",
                              "name it after the code of its language, as the guides' "
                              "`language:` gives it (fr.po, pt-BR.po)")
            continue
        meant = by_case.get(rel.casefold())
        if meant is not None:
            # Windows and macOS see one name, Linux two: the same content, two sites.
            problems.add(f"_templates/{rel}", 0, f'this file is named like the theme\'s '
                         f'"{path_text(meant)}" but for its letter case: it replaces that '
                         "file on Windows and macOS and not on Linux", f"rename it to "
                         f"{path_text(meant)} to replace that file, or give it a name of its "
                         "own")
            continue
        near = nearest_theme_file(rel, theme)
        ways = [f"rename it to {problems.named('_templates/' + near)} to replace the "
                f"theme's {path_text(near)}"] if near else []
        if PurePosixPath(rel).suffix.lower() == ".css":
            # Only a stylesheet has a place of its own: custom.css, loaded after the theme's.
            ways.append(f"put your own styles in {problems.named('_templates/' + CUSTOM_CSS)}, "
                        "which every page loads after the theme's styles")
        elif not near:
            ways.append("give it the name of the theme file it should replace (the theme's "
                        f"files are in {path_text('templates/')}), or remove it")
        problems.warn(f"_templates/{rel}", 0, "this file replaces no theme file, so it is "
                      "not used." + (f' Did you mean "{path_text(near)}"?' if near else ""),
                      ", or ".join(ways))


# What in a coach's stylesheet loads a file: @import "..." or @import url(...), and url(...),
# with the address (CSS Syntax Level 3; comments are blanked first). An address on another
# host starts with a scheme's "//" or with "//" alone.
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_LOADS = re.compile(r"""@import\s+(?:url\(\s*)?["']?\s*([^"'()\s;]+)"""
                       r"""|\burl\(\s*["']?\s*([^"'()\s]+)""", re.IGNORECASE)
# ...and in a coach's template: a tag that loads what its src, href (of a <link>), poster,
# data or srcset names.
HTML_LOADS = re.compile(r"""<(link)\b[^<>]*?\shref\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
                        r"""|<([a-z][a-z0-9]*)\b[^<>]*?\s(?:src|poster|data|srcset)\s*=\s*"""
                        r"""["']?[^"'<>]*?((?:https?:)?//[^"'\s>,]+)""", re.IGNORECASE)
REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
REMOTE_HINT = ("remove it: pages load nothing from other hosts, for the readers' privacy (a "
               "font: name one that readers' systems have, such as font-family: Georgia, "
               "serif; an image: put it in a guide's folder)")


def check_other_hosts(overrides: Path, problems: Problems) -> None:
    """Report each place where a coach's stylesheet (custom.css, a replaced theme
    stylesheet) or template in content/_templates/ loads a file from another host: a web
    font's @import, a url(https://...), a <link href> or <script src> to another host.

    The pages' Content Security Policy (default-src 'self', base.html) blocks such a file,
    so it would silently do nothing (the font never shows); and pages promise readers that
    nothing is fetched from elsewhere. Each is an error on its line and column."""
    for path in walk(overrides):
        suffix = path.suffix.lower()
        if suffix not in (".css", ".html"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # reported by check_encodings
        rel = f"_templates/{path.relative_to(overrides).as_posix()}"
        if suffix == ".css":
            scanned = CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
            found = [(m.start(1) if m.group(1) else m.start(2), m.group(1) or m.group(2))
                     for m in CSS_LOADS.finditer(scanned)]
            what = "this stylesheet loads"
        else:
            found = [(m.start(2) if m.group(2) else m.start(4), m.group(2) or m.group(4))
                     for m in HTML_LOADS.finditer(text)]
            what = "this template loads"
        for start, address in found:
            if not REMOTE.match(address):
                continue
            problems.remember_text(rel, text)  # to quote the offending line
            line = text.count("\n", 0, start) + 1
            col = start - (text.rfind("\n", 0, start) + 1) + 1
            problems.add(rel, line, f'{what} "{address}" from another host: the pages\' '
                         "security policy blocks it, so it would silently do nothing",
                         REMOTE_HINT, col=col)


# The templates a template names: {% include "x.html" %}, extends, import, from ... import.
TEMPLATE_NAMES = re.compile(r"""\{%-?\s*(?:include|extends|import|from)\s+["']([^"']+)["']""")


def read_text(path: Path) -> str:
    """Return a file's text as UTF-8, or "" when it cannot be read (check_encodings says
    why)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def is_catalog_path(rel: str) -> bool:
    """Return whether a path in a theme (posix, relative) is a message catalog:
    locale/<language>.po (catalogs.Catalogs reads those)."""
    path = PurePosixPath(rel)
    return path.parent.as_posix() == LOCALE and path.suffix == ".po"


def nearest_theme_file(rel: str, theme: list[str]) -> str:
    """Return the theme file most like `rel`: same name elsewhere first, then a similar
    name of the same kind (a template for a template, a stylesheet for a stylesheet, by
    difflib's ratio), then a similar path; "" when the theme has no file at all."""
    name = PurePosixPath(rel).name
    same = [t for t in theme if PurePosixPath(t).name == name]
    if same:
        return same[0]
    suffix = PurePosixPath(rel).suffix.lower()
    names = {PurePosixPath(t).name: t for t in theme
             if PurePosixPath(t).suffix.lower() == suffix}
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    if close:
        return names[close[0]]
    close = difflib.get_close_matches(rel, list(names.values()), n=1, cutoff=0.5)
    return close[0] if close else ""
