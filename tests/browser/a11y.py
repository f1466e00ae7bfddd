"""Accessibility checks run inside a Playwright page: axe-core (vendored), target sizes and focus-ring contrast.

Each check returns a list of findings (empty when the page passes), so one test can gather them for many
pages and report them together.
"""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# WCAG 2.1 A and AA; label-content-name-mismatch (2.5.3) is tagged experimental, so it is named.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}

FOCUSABLE = ('a[href], button, input:not([type=hidden]), select, textarea, summary, [contenteditable=true], '
             '[tabindex]:not([tabindex="-1"])')


def axe_violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now (rule, impact, first targets)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [" ".join(map(str, node["target"])) for node in v["nodes"]][:5],
             "count": len(v["nodes"])} for v in found]


# Targets smaller than 44 x 44 CSS px. Exempt (WCAG 2.5.5): a link inside a sentence, i.e. with words
# right beside it. A checkbox or radio counts with its label, which takes the same taps. The skip link
# is measured while focused (it is off-screen until then).
_SMALL_TARGETS_JS = """([selector, minimum]) => {
  const letters = /\\p{L}/u;
  const words = n => n && n.nodeType === Node.TEXT_NODE && letters.test(n.textContent);
  const inSentence = el => el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && (words(el.previousSibling) || words(el.nextSibling));
  const skip = document.querySelector('.skip');
  if (skip) skip.focus();
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (getComputedStyle(el).visibility === 'hidden' || inSentence(el)) continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (hidden, display:none)
    if (box.right <= 0 || box.bottom <= 0) continue;     // parked off-screen
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      box = el.labels[0].getBoundingClientRect();
    }
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      small.push({target: el.outerHTML.slice(0, 100), width: Math.round(box.width), height: Math.round(box.height)});
    }
  }
  if (skip) skip.blur();
  return small;
}"""


def small_targets(page: Page, minimum: int = 44) -> list[dict]:
    """Links, buttons and fields smaller than `minimum` CSS px either way (the inline-text exception aside)."""
    return page.evaluate(_SMALL_TARGETS_JS, [FOCUSABLE, minimum])


# For each focusable element: focus it (after a real Tab key press, so :focus-visible applies as for a
# keyboard user), read the computed outline, and compare its colour with the background painted just
# outside the element, where the outline is drawn (at offset + width / 2 from each side; the element's
# own background when the outline is drawn inside it).
_FOCUS_RING_JS = """([selector, minimum]) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = el => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  const poor = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || getComputedStyle(el).visibility === 'hidden') continue;
    el.focus();
    if (document.activeElement !== el) continue;  // not focusable as rendered (e.g. inside [hidden])
    el.scrollIntoView({block: 'center', inline: 'center'});
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const label = el.outerHTML.slice(0, 100), width = parseFloat(style.outlineWidth) || 0;
    if (!el.matches(':focus-visible') || style.outlineStyle === 'none' || width < 2) {
      poor.push({target: label, problem: `no focus ring (outline ${style.outlineStyle} ${style.outlineWidth})`});
      continue;
    }
    const colour = rgb(style.outlineColor), d = (parseFloat(style.outlineOffset) || 0) + width / 2;
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    let worst = Infinity, behind = null;
    for (const [x, y] of [[cx, box.top - d], [cx, box.bottom + d], [box.left - d, cy], [box.right + d, cy]]) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const under = document.elementsFromPoint(x, y).find(n => n === el || !el.contains(n));
      if (!under) continue;
      const painted = background(under), value = ratio(colour, painted);
      if (value < worst) { worst = value; behind = `rgb(${painted.slice(0, 3)}) under ${under.tagName}`; }
    }
    if (worst < minimum) {
      poor.push({target: label, problem: `outline ${style.outlineColor} on ${behind}: ${worst.toFixed(2)}:1`});
    }
  }
  document.activeElement && document.activeElement.blur();
  return poor;
}"""


def poor_focus_rings(page: Page, minimum: float = 3.0) -> list[dict]:
    """Focusable elements whose focus ring is missing, thinner than 2 px, or under `minimum`:1 against
    what is behind it (WCAG 1.4.11)."""
    page.keyboard.press("Tab")  # keyboard modality: programmatic focus then shows :focus-visible
    return page.evaluate(_FOCUS_RING_JS, [FOCUSABLE, minimum])
