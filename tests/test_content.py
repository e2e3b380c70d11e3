"""The first guide is our own words: no run of the source article's words is copied."""

from __future__ import annotations

import os
import re

import pytest

from .conftest import CONTENT, ROOT

SEED = ROOT.parent / "shared" / "seed" / "000_d0da37d8563cc580.txt"
WINDOW = 6
# Titles must be cited word for word; they are not the article's prose.
TITLES = [
    "3 Ways To Manage Rejection In Your Relationship — So You Don't Push Your Partner Away",
    "Why Being Pushy In A Relationship Is A Good Thing",
    "4 Ways To Respond When Your Partner Puts You Down",
    "7 Tools To Help You Stop Comparing Yourself To Others",
    "3 Ways To Reconnect With Your Partner When You've Become Emotionally Distant",
]
# Short lists of words the article names that a retelling has to name too.
ALLOWED = {"sadness anger irritation embarrassment"}


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9']+", text)


def windows(tokens: list[str], size: int = WINDOW) -> set[str]:
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@pytest.fixture(scope="module")
def article() -> str:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the source article is missing at {SEED}")
        pytest.skip("the source article (../shared/seed) is not beside this checkout")
    return SEED.read_text(encoding="utf-8")


def test_no_run_of_six_words_is_copied_from_the_article(article):
    copied = windows(words(article))
    found = []
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for title in TITLES:
            text = text.replace(title, " ")
        for run in windows(words(text)) & copied:
            if not any(allowed in run for allowed in ALLOWED):
                found.append(f"{path.relative_to(CONTENT)}: {run!r}")
    assert found == []


def test_the_guide_carries_every_idea_of_the_article():
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CONTENT.rglob("*.md")))
    text = text.lower()
    for idea in ("silent", "intimacy", "friend", "help", "not enough", "camera",
                 "priorities", "habit", "pressure", "listen", "sadness", "anger",
                 "irritation", "embarrassment", "touch", "courage", "one love",
                 "susie and otto collins"):
        assert idea in text, idea


def test_unknown_addresses_are_never_invented():
    reading = (CONTENT / "managing-rejection/reading.md").read_text(encoding="utf-8")
    block = reading.split("7 Tools To Help You Stop Comparing Yourself To Others", 1)[1]
    block = block.split("- title:", 1)[0]
    assert "url: unknown" in block
    assert "http" not in block
