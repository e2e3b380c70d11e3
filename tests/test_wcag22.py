"""WCAG 2.2 AA checks that axe does not make, on every page of the every-kind site, in
Chromium: text spacing (1.4.12), focus not obscured (2.4.11), target size (2.5.8) and motion
only when the reader's system allows it (2.3.3's advice, and prefers-reduced-motion)."""

from __future__ import annotations

import pytest

from .tools import site_pages

pytestmark = pytest.mark.browser

# WCAG 1.4.12's overrides: line height 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em.
TEXT_SPACING = """() => {
  const style = document.createElement('style');
  style.textContent = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;
  document.head.append(style);
}"""

# Text is cut off where a box that hides its overflow holds more than it shows.
CUT_OFF = """() => {
  const cut = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.getClientRects().length || !el.textContent.trim()) continue;
    if (el.closest('.visually-hidden, .skip-link, [aria-hidden=true]')) continue;
    const s = getComputedStyle(el);
    const hides = (o) => o === 'hidden' || o === 'clip';
    const wide = hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const tall = hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const dots = s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1;
    if (wide || tall || dots) cut.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
                                       el.textContent.trim().slice(0, 40));
  }
  return cut;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_no_text_is_cut_off_with_the_text_spacing_overrides(browser, every_kind_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    cut = {}
    for rel in site_pages(every_kind_site):
        page.goto(f"{every_kind_site.as_uri()}/{rel}")
        by_design = page.evaluate(CUT_OFF)  # a long breadcrumb ends in "…" at any spacing
        page.evaluate(TEXT_SPACING)
        if found := [c for c in page.evaluate(CUT_OFF) if c not in by_design]:
            cut[rel] = found
    context.close()
    assert cut == {}


# The focused control is hidden when every probe point of it lies under an element that is
# fixed or sticky and is not the control's own (WCAG 2.4.11: not entirely hidden).
OBSCURED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const target = el.closest('label') || el;
  const r = target.getBoundingClientRect();
  const pinned = (n) => { for (; n && n !== document.body; n = n.parentElement) {
    const p = getComputedStyle(n).position; if (p === 'fixed' || p === 'sticky') return n; }
    return null; };
  const points = [[0.5, 0.5], [0.15, 0.15], [0.85, 0.15], [0.15, 0.85], [0.85, 0.85]];
  const inside = (x, y) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
  let hidden = 0, seen = 0;
  for (const [fx, fy] of points) {
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    if (!inside(x, y)) continue;
    seen++;
    const hit = document.elementFromPoint(x, y);
    const cover = pinned(hit);
    if (hit && !target.contains(hit) && !hit.contains(target) && cover && !cover.contains(el))
      hidden++;
  }
  const name = el.id || el.tagName + ': ' + el.textContent.trim();
  return seen === 0 || hidden === seen ? name : null;
}"""


def obscured_on_tab(page, stops: int = 80) -> list[str]:
    """Tab through the page from its top; return each control that focus left hidden."""
    hidden, first = [], None
    for _ in range(stops):
        page.keyboard.press("Tab")
        here = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
        if here == first or here.startswith("<body"):
            break
        first = first or here
        if name := page.evaluate(OBSCURED):
            hidden.append(name)
    return hidden


def test_no_focused_control_is_hidden_by_a_pinned_element(phone, every_kind_site):
    hidden = {}
    for rel in site_pages(every_kind_site):
        phone.goto(f"{every_kind_site.as_uri()}/{rel}")
        if found := obscured_on_tab(phone):
            hidden[rel] = found
    assert hidden == {}


def test_the_focus_check_sees_a_control_under_a_pinned_bar(phone, every_kind_site):
    """The check above can fail: a bar pinned over the whole screen hides every control."""
    phone.goto(f"{every_kind_site.as_uri()}/index.html")
    phone.evaluate("""() => { const bar = document.createElement('div');
      bar.style.cssText = 'position:fixed;inset:0;background:#fff;z-index:99';
      document.body.append(bar); }""")
    assert obscured_on_tab(phone, stops=3) != []


# WCAG 2.5.8: a target is at least 24 by 24 px, or a 24 px circle on its centre touches no
# other target nor another small target's circle; links inside a sentence are exempt. A box
# inside its label counts with the label (a click on either ticks it).
TARGETS = """() => {
  const all = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
    if (!el.getClientRects().length || el.type === 'hidden') continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.visually-hidden') && !el.closest('label')) continue;
    const label = el.closest('label');
    let r = (label || el).getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const block = el.parentElement.closest('p, li, dd, td, figcaption, blockquote');
      if (block && block.textContent.trim().length > el.textContent.trim().length + 1) continue;
    }
    all.push({name: el.id || `${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 30)}`,
              x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,
              el: label || el});
  }
  const small = (t) => t.w < 24 - 0.01 || t.h < 24 - 0.01;
  const centre = (t) => [t.x + t.w / 2, t.y + t.h / 2];
  const touches = (c, t) => {  // does a 24 px circle at c touch the box t?
    const dx = Math.max(t.x - c[0], 0, c[0] - (t.x + t.w));
    const dy = Math.max(t.y - c[1], 0, c[1] - (t.y + t.h));
    return Math.hypot(dx, dy) < 12;
  };
  const failing = [];
  for (const t of all) {
    if (!small(t)) continue;
    const c = centre(t);
    const near = all.filter((o) => o !== t && o.el !== t.el && !o.el.contains(t.el)
      && !t.el.contains(o.el) && (touches(c, o) || (small(o) &&
        Math.hypot(...centre(o).map((v, i) => v - c[i])) < 24)));
    if (near.length) failing.push(`${t.name} (${Math.round(t.w)}x${Math.round(t.h)}) ` +
                                  `near ${near.map((o) => o.name).join(', ')}`);
  }
  return failing;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_target_is_big_enough_or_spaced(browser, every_kind_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    small = {}
    for rel in site_pages(every_kind_site):
        page.goto(f"{every_kind_site.as_uri()}/{rel}")
        if found := page.evaluate(TARGETS):
            small[rel] = found
    context.close()
    assert small == {}


# Anything that moves: running animations, transitions of position or size, smooth scrolling.
MOTION = """() => {
  const moving = document.getAnimations().map((a) => 'animation ' + (a.animationName || a.id));
  for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
    const s = getComputedStyle(el);
    if (s.animationName !== 'none') moving.push(`${el.tagName} animation ${s.animationName}`);
    if (s.scrollBehavior === 'smooth') moving.push(`${el.tagName} smooth scrolling`);
    const durations = s.transitionDuration.split(',').map(parseFloat);
    const props = s.transitionProperty.split(',').map((p) => p.trim());
    const moves = new RegExp('^(all|transform|translate|scale|rotate|top|left|right|bottom'
                             + '|inset.*|margin.*|width|height)$');
    props.forEach((p, i) => {
      if ((durations[i] ?? durations[0]) > 0 && moves.test(p))
        moving.push(`${el.tagName}.${el.className} transition ${p}`);
    });
  }
  return moving;
}"""


def test_nothing_moves_when_the_reader_asks_for_reduced_motion(browser, every_kind_site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    moving = {}
    for rel in site_pages(every_kind_site):
        page.goto(f"{every_kind_site.as_uri()}/{rel}")
        page.keyboard.press("Tab")  # the skip link slides in where motion is allowed
        if found := page.evaluate(MOTION):
            moving[rel] = found
    context.close()
    assert moving == {}


FAULTY = """<!doctype html><html lang="en"><title>Faults</title>
<p style="height: 1.2em; overflow: hidden; width: 12em">Two lines of text do not fit in this
box once the spacing grows.</p>
<button style="width: 16px; height: 16px; padding: 0">a</button><button
  style="width: 16px; height: 16px; padding: 0">b</button>
<a href="#x" style="display: inline-block; transition: transform 1s">moves</a>
"""


def test_the_checks_find_the_faults_they_look_for(page, tmp_path):
    """Each check above can fail: a page with one fault of each kind is caught."""
    (tmp_path / "faults.html").write_text(FAULTY, encoding="utf-8")
    page.goto((tmp_path / "faults.html").as_uri())
    page.evaluate(TEXT_SPACING)
    assert [c for c in page.evaluate(CUT_OFF) if c.startswith("p.")]
    assert len(page.evaluate(TARGETS)) == 2  # each small button is too near the other
    assert page.evaluate(MOTION) == ["A. transition transform"]
