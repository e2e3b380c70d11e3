"""Take the README's pictures of the guides in German, Russian and Arabic (docs/languages-*.png).

    python tests/languages/pictures.py

builds tests/languages/content into a temporary folder and photographs one page of each guide
in headless Chromium, 820 x 640 CSS pixels, the colours reduced to a palette (small files).
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PICTURES = {  # file in docs/ -> page of the built site
    "languages-de.png": "umgang-mit-kritik/trennen.html",
    "languages-ru.png": "ob-otkaze/index.html",
    "languages-ar.png": "al-rafd/worksheets/al-mashaer.html",
}


def main() -> None:
    """Build the guides and write each picture into docs/."""
    sys.path.insert(0, str(ROOT))
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from guidebook.build import build
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, make_config

    with tempfile.TemporaryDirectory() as tmp:
        build(make_config(Path(tmp), HERE / "content"))
        site = Path(tmp) / "site"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 820, "height": 640})
            for name, rel in PICTURES.items():
                page.goto((site / rel).as_uri())
                page.wait_for_load_state("load")
                shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                shot.quantize(colors=64).save(ROOT / "docs" / name, optimize=True)
                print(f"docs/{name}: {rel}")
            browser.close()


if __name__ == "__main__":
    main()
