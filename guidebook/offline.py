"""Offline and installable when served: the web app manifest and the service worker.

The worker (templates/service-worker.js, hand-written) is written to `sw.js` at the site's
root after every other file, with the list of files to keep offline and a hash of each
file's bytes in front of it. So the worker's bytes change exactly when a file of the site
changes (the browser then installs the new worker, which fetches only the changed files),
and two builds of the same content write the same worker. Pages register it only over
http(s), never from file:// and never under `serve` (site.js).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from .model import Settings

WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
WORKER_SOURCE = "service-worker.js"  # in the templates folder, beside the page templates
# Kept offline: what a page needs to show and work. Left out: the PDFs (large, and a
# download rather than a page), and files for crawlers.
OFFLINE_SUFFIXES = (".html", ".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".gif",
                    ".webp", ".avif", ".ico", ".webmanifest")
LEFT_OUT = {WORKER}
# The light and the dark theme's page colour, as site.css declares them (`--bg: #...;`).
BACKGROUND = re.compile(r"--bg:\s*(#[0-9a-fA-F]{3,8})\b")
DEFAULT_COLOURS = ("#ffffff", "#000000")


def theme_colours(stylesheet: str) -> tuple[str, str]:
    """Return the (light, dark) page background colours declared in a stylesheet.

    The first `--bg:` declaration is the light theme's, the next one that differs is the
    dark theme's (site.css's :root, then its dark-theme block); missing ones fall back to
    white and black.
    """
    found = BACKGROUND.findall(stylesheet)
    light = found[0].lower() if found else DEFAULT_COLOURS[0]
    dark = next((c.lower() for c in found[1:] if c.lower() != light), DEFAULT_COLOURS[1])
    return light, dark


def web_manifest(settings: Settings, colours: tuple[str, str]) -> bytes:
    """Return the web app manifest (W3C Web Application Manifest) as UTF-8 JSON bytes.

    Every address in it is relative to the manifest, which sits at the site's root, so the
    site installs from any sub-path. The icon is the site's favicon (an SVG, `sizes: any`,
    which Chromium, Firefox and Safari accept at every size). The light theme's background
    is the manifest's colour; pages declare both themes' colours with `theme-color` metas.
    """
    light, _dark = colours
    data = {
        "name": settings.title,
        "short_name": settings.title if len(settings.title) <= 12 else settings.title[:12].rstrip(),
        "description": settings.description or settings.title,
        "lang": settings.language,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": light,
        "theme_color": light,
        "icons": [
            {"src": "assets/favicon.svg", "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def offline_files(hashes: Mapping[str, str]) -> dict[str, str]:
    """Return {path: hash} of the files the worker keeps offline, sorted by path."""
    return {rel: hashes[rel] for rel in sorted(hashes)
            if rel not in LEFT_OUT and rel.lower().endswith(OFFLINE_SUFFIXES)}


def service_worker(hashes: Mapping[str, str], source: str) -> bytes:
    """Return the worker: `const FILES = {path: hash, ...};` and then its source.

    `hashes` maps each written file (relative to the site root) to a hash of its bytes
    (hex); `source` is the hand-written worker, already minified or not.
    """
    files = json.dumps(offline_files(hashes), ensure_ascii=False, separators=(",", ":"))
    head = "/* Made by the build: the files kept offline, with a hash of each. */\n"
    return f"{head}const FILES = {files};\n{source}".encode()


def worker_source(templates: Path, overrides: Path | None = None) -> str:
    """Read the hand-written worker, a coach's own copy (in content/_templates) first."""
    for folder in (overrides, templates):
        if folder is not None and (folder / WORKER_SOURCE).is_file():
            return (folder / WORKER_SOURCE).read_text(encoding="utf-8")
    raise FileNotFoundError(templates / WORKER_SOURCE)


def retiring_worker() -> bytes:
    """Return the worker `serve` answers at /sw.js: it removes itself and its caches.

    A browser that visited a built copy of the site on the same address keeps its worker,
    and would go on showing that copy's pages; it checks /sw.js for a new version on each
    visit, finds this one, and from then on every page comes from `serve`.
    """
    return (b"/* Served by `python build.py serve` only: no offline copy while a coach edits. */\n"
            b"self.addEventListener('install', () => self.skipWaiting());\n"
            b"self.addEventListener('activate', (event) => event.waitUntil((async () => {\n"
            b"  for (const name of await caches.keys()) "
            b"if (name.startsWith('guidebook ')) await caches.delete(name);\n"
            b"  await self.registration.unregister();\n"
            b"  for (const client of await self.clients.matchAll()) client.navigate(client.url);\n"
            b"})()));\n")


def hex_digests(entries: Mapping[str, object]) -> Iterator[tuple[str, str]]:
    """Yield (path, hex hash) for manifest entries (cache.Entry: `.digest` bytes)."""
    for rel, entry in entries.items():
        yield rel, entry.digest.hex()[:16]  # type: ignore[attr-defined]
