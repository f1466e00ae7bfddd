"""P1 report: gzip weight and request count of every portal and kiosk page (`make bench`)."""
import time

from tests.sites.page_weight import measure

PAGES = ["/portal/login", "/kiosk/login", "/links/", "/partner/login", "/staff/login"]


def test_report_page_weights(client, capsys):
    rows = []
    for url in PAGES:
        w = measure(client, url)
        started = time.perf_counter()
        for _ in range(50):
            client.get(url)
        per_request_ms = (time.perf_counter() - started) / 50 * 1000
        rows.append((url, w, per_request_ms))
    assert all(w.html > 0 and w.requests >= 1 for _, w, _ in rows), "every page answered with a page"
    with capsys.disabled():
        print("\npage                 html   css  ownjs  htmx  total  requests  ms/request (test client)")
        for url, w, ms in rows:
            print(
                f"{url:<18} {w.html:>6} {w.css:>5} {w.own_js:>6} {w.vendor_js:>5} {w.total:>6} "
                f"{w.requests:>9} {ms:>10.2f}"
            )
