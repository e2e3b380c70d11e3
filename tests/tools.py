"""Locate the quality tools (vnu.jar, axe-core, Lighthouse); fail with how to install them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TOOLS_DIR = Path(
    os.environ.get("TOOLS_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-verify-tools"
)
NODE_MODULES = TOOLS_DIR / "node_modules"
INSTALL_HINT = (
    "install the quality tools with `.ci/run` (it runs `npm install` of "
    "axe-core@4.14.1 vnu-jar@26.9.27 lighthouse@12.2.3 pdfjs-dist@5.6.205 "
    f"puppeteer-core@25.16.0 into {TOOLS_DIR}), or set "
    "TOOLS_DIR to where they are"
)


def require_file(path: Path, what: str) -> Path:
    """Return path if it exists; otherwise fail the test, saying how to install the tool."""
    if not path.exists():
        pytest.fail(f"{what} is missing at {path}: {INSTALL_HINT}", pytrace=False)
    return path


def require_command(name: str, package: str) -> str:
    """Return the full path of a command; otherwise fail the test, naming the apt package."""
    found = shutil.which(name)
    if not found:
        pytest.fail(
            f"`{name}` is not installed: `apt-get install -y {package}` (.ci/run does this)",
            pytrace=False,
        )
    return found


def vnu_jar() -> Path:
    """Return the Nu HTML Checker jar."""
    require_command("java", "default-jre-headless")
    return require_file(
        NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar", "The Nu HTML Checker (vnu.jar)"
    )


def axe_script() -> Path:
    """Return axe-core's browser script."""
    return require_file(NODE_MODULES / "axe-core" / "axe.min.js", "axe-core")


def lighthouse() -> Path:
    """Return the Lighthouse command."""
    require_command("node", "nodejs")
    return require_file(NODE_MODULES / ".bin" / "lighthouse", "Lighthouse")


def pdfjs() -> Path:
    """Return the pdfjs-dist package (pdf.js, the PDF viewer of Firefox and many phones)."""
    require_command("node", "nodejs")
    return require_file(NODE_MODULES / "pdfjs-dist" / "legacy" / "build" / "pdf.mjs",
                        "pdf.js (pdfjs-dist)")


def site_pages(site: Path) -> list[str]:
    """Return every HTML page of a built site, relative to its root, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def build_shared_site(tmp: Path, base_url: str = "https://example.org/guides/") -> Path:
    """Build the real content with base_url set (sharing on) into tmp; return the site."""
    import shutil as _shutil

    from guidebook.build import build

    from .conftest import CONTENT, make_config

    content = tmp / "content"
    _shutil.copytree(CONTENT, content)
    settings = content / "site.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + f"base_url: {base_url}\n", encoding="utf-8"
    )
    build(make_config(tmp, content))
    return tmp / "site"
