"""P1: portal and kiosk pages stay inside the phone budget."""
import pytest

from tests.sites.page_weight import measure

KB = 1024


@pytest.mark.parametrize("url", ["/portal/login", "/kiosk/login", "/links/"])
def test_first_load_within_budget(client, url):
    w = measure(client, url)
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.css <= 10 * KB, f"CSS {w.css} B"
    assert w.own_js <= 5 * KB, f"own JS {w.own_js} B"
    assert w.total <= 60 * KB, f"total {w.total} B"
    assert w.requests <= 6, w.assets


@pytest.mark.parametrize("url", ["/portal/login", "/kiosk/login"])
def test_no_web_fonts_and_works_without_javascript(client, url):
    html = client.get(url).get_data(as_text=True)
    assert "@font-face" not in html and ".woff" not in html
    # The sign-in/language forms are real forms: nothing depends on JavaScript.
    assert "<form" in html and 'method="post"' in html
