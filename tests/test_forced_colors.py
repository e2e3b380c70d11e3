"""High-contrast mode (CSS forced-colors: active, as Windows' contrast themes): every state a
reader sets or needs stays visible. Chromium emulates the mode; each control is photographed
chosen and not chosen, and the two pictures must differ clearly (Microsoft's forced-colors
guidance; WCAG 2.2 1.4.11)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from .conftest import GUIDE

pytestmark = pytest.mark.browser

MARGIN = 8  # px around a control, so that an outline outside its box is in the picture
CLEARLY = 96  # a pixel counts as changed when a colour channel moves this far (of 255)
# A state shows when this share of the pixels around its control changes clearly. Before the
# fixes a chosen scale point changed 0 % and a pressed toggle 3.5 % (anti-aliasing as the
# page's colour scheme flips); a tick changes about 28 %, a focus ring 14 % or more.
ENOUGH = 0.06


@pytest.fixture(params=["light", "dark"])
def contrast_page(request, browser):
    """A page in forced colours, over a light or a dark system theme."""
    context = browser.new_context(color_scheme=request.param, forced_colors="active",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def picture(page, selector: str) -> Image.Image:
    """Photograph the element and MARGIN px around it."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    clip = {"x": box["x"] - MARGIN, "y": box["y"] - MARGIN,
            "width": box["width"] + 2 * MARGIN, "height": box["height"] + 2 * MARGIN}
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


def rest(page) -> None:
    """Take the mouse and the focus away, so that only the state itself is photographed."""
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")


def changed(before: Image.Image, after: Image.Image) -> float:
    """Return the share of pixels (0-1) that changed clearly between two pictures."""
    red, green, blue = ImageChops.difference(before, after).split()
    most = ImageChops.lighter(ImageChops.lighter(red, green), blue).histogram()
    return sum(most[CLEARLY:]) / sum(most)


def assert_visible(before: Image.Image, after: Image.Image, what: str) -> None:
    share = changed(before, after)
    print(f"{what}: {share:.1%} of pixels changed")
    assert share >= ENOUGH, f"{what}: only {share:.1%} of the pixels change in forced colours"


def test_the_page_really_is_in_forced_colours(contrast_page, every_kind_site):
    contrast_page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/worksheets/every-kind.html")
    assert contrast_page.evaluate("matchMedia('(forced-colors: active)').matches")


def test_the_chosen_point_of_a_scale_shows(contrast_page, every_kind_site):
    page = contrast_page
    page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/worksheets/every-kind.html")
    point = 'label:has(> [name="rate"][value="4"])'
    before = picture(page, point)
    page.click('[name="rate"][value="4"]')
    rest(page)
    assert_visible(before, picture(page, point), "scale point chosen")
    other = picture(page, 'label:has(> [name="rate"][value="3"])')
    assert_visible(other, picture(page, point), "chosen point beside an unchosen one")


def test_a_ticked_item_shows(contrast_page, every_kind_site):
    page = contrast_page
    page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/worksheets/every-kind.html")
    box = '[name="pick-sadness"]'
    before = picture(page, box)
    page.click(box)
    rest(page)
    assert_visible(before, picture(page, box), "ticked box")


def test_the_pressed_theme_toggle_shows(contrast_page, every_kind_site):
    page = contrast_page
    page.goto(f"{every_kind_site.as_uri()}/index.html")
    page.evaluate("localStorage.setItem('guidebook:theme', 'light')")
    page.reload()
    toggle = ".theme-toggle"
    assert page.get_attribute(toggle, "aria-pressed") == "false"
    before = picture(page, toggle)
    page.click(toggle)
    rest(page)
    assert page.get_attribute(toggle, "aria-pressed") == "true"
    assert_visible(before, picture(page, toggle), "pressed toggle")


def test_the_current_step_shows(contrast_page, every_kind_site):
    page = contrast_page
    item = ".guide-nav li:nth-child(3)"  # the introduction, then steps 1, 2, 3
    page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/rethink-the-rejection.html")
    assert page.locator(f"{item} a").count() == 1
    elsewhere = picture(page, item)
    page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/decide-what-is-true-for-you.html")
    assert page.locator(f"{item} [aria-current=step]").count() == 1
    assert_visible(elsewhere, picture(page, item), "current step")


# A worksheet page links to the search page (no search box: it must stay light), and has Exit
# this page and the answers' controls.
RATE_0 = '[name="rate"][value="0"]'
FOCUSABLE = ("#f-one-word", RATE_0, '[name="pick-anger"]', "[data-export]", ".theme-toggle",
             ".site-tools .tool-link", "[data-exit]", "[data-nosave]")


def test_focus_shows(contrast_page, every_kind_site):
    page = contrast_page
    page.goto(f"{every_kind_site.as_uri()}/{GUIDE}/worksheets/every-kind.html")
    for control in FOCUSABLE:
        target = f"label:has(> {control})" if control == RATE_0 else control
        rest(page)
        before = picture(page, target)
        # Focus by keyboard, as :focus-visible needs: from the control before it, Tab.
        page.evaluate("""(sel) => {
          const all = [...document.querySelectorAll('a[href], button, input, select, textarea')]
            .filter(e => e.getClientRects().length && !e.disabled);
          all[all.indexOf(document.querySelector(sel)) - 1].focus();
        }""", control)
        page.keyboard.press("Tab")
        assert page.evaluate("(s) => document.activeElement === document.querySelector(s)",
                             control)
        assert_visible(before, picture(page, target), f"focus on {control}")
