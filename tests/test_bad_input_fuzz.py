"""R4: no route answers 5xx to out-of-range ids, junk query values or junk form values, whoever asks.

Two walks per signed-in actor (staff administrator, partner user, portal guardian of the demo network):

* every rule of `app.url_map` the actor's site serves (plus the public, kiosk and link pages), its ids
  replaced by numbers the database cannot hold, GET with junk query values and POST with junk fields;
* every page reachable by links from the site's home (one URL per shape), each of its forms posted
  back with its id fields set beyond 2**63 (hidden values kept) and then with every field junk.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from portal_app.demo import DEMO_PASSWORD, load_demo
from portal_app.extensions import db
from portal_app.sites import site_for_path
from tests.conftest import csrf_token

BIG = "99999999999999999999999"
CRLF_NEXT = "/portal/\r\nSet-Cookie: stolen=1"
JUNK_QUERY = {"page": BIG, "q": BIG, "next": CRLF_NEXT, "client_id": BIG, "unread": BIG}
JUNK_FORM = {name: BIG for name in ("client_id", "client_ids", "account_ids", "staff_id", "user_id", "item_id",
                                    "organization_id", "version_id", "partner_id", "page", "enabled", "lang")}
OUT_OF_RANGE_IDS = (BIG, str(2**63), "0")
ACTORS = {
    "staff": ("/staff/login", {"email": "admin@riverside.example"}),
    "partner": ("/partner/login", {"email": "partner@hope.example"}),
    "portal": ("/portal/login", {"username": "guardian"}),
}
SKIPPED_ACTIONS = ("/logout",)  # signing out would end the walk
MAX_PAGES = 250
PER_SHAPE = 15  # pages of one shape (e.g. /staff/clients/N/portal) differ by what the record holds


@pytest.fixture
def demo():
    assert load_demo() is True
    db.session.flush()


def sign_in(client, site: str) -> None:
    url, who = ACTORS[site]
    resp = client.post(url, data={**who, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, url)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def fill(rule: str, value: str) -> str:
    """The rule's path with every int argument set to `value` and every other argument to something valid."""
    path = re.sub(r"<int:[^>]+>", value, rule)
    path = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), path)
    return re.sub(r"<[^>]+>", "x", path)


def rules_for(app, site: str) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules()
         if r.endpoint != "static" and site_for_path(r.rule) in (site, None, "kiosk", "links")
         and not r.rule.endswith(SKIPPED_ACTIONS)),
        key=lambda r: r.rule,
    )


def check(resp, what: str) -> None:
    assert resp.status_code < 500, (what, resp.status_code)
    assert "\n" not in resp.headers.get("Location", ""), what


@pytest.mark.parametrize("site", list(ACTORS))
def test_out_of_range_ids_and_junk_values_in_every_route(app, client, demo, site):
    sign_in(client, site)
    token = csrf_token(client, f"/{site}/")
    for rule in rules_for(app, site):
        for value in OUT_OF_RANGE_IDS if "<int:" in rule.rule else (BIG,):
            path = fill(rule.rule, value)
            if "GET" in rule.methods:
                check(client.get(path, query_string=JUNK_QUERY), f"GET {path}")
            if "POST" in rule.methods:
                check(client.post(path, query_string=JUNK_QUERY, data={**JUNK_FORM, "next": CRLF_NEXT,
                                                                        "csrf_token": token}), f"POST {path}")


class _Page(HTMLParser):
    """Links and POST forms (action, fields with their values) of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append((a.get("action") or "", self._form))
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            self._form.setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", url)


@pytest.mark.parametrize("site", list(ACTORS))
def test_every_form_reached_by_links_refuses_out_of_range_ids(client, demo, site):
    sign_in(client, site)
    queue, seen, shapes, posted = [f"/{site}/"], set(), Counter(), set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or shapes[shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[shape(url)] += 1
        resp = client.get(url)
        check(resp, f"GET {url}")
        if not resp.mimetype == "text/html":
            continue
        page = _Page()
        page.feed(resp.get_data(as_text=True))
        queue += [link.split("#")[0] for link in page.links
                  if urlsplit(link).path.startswith(f"/{site}/") and not urlsplit(link).netloc]
        for action, fields in page.forms:
            target = action.split("#")[0] or url
            kind = (shape(target), tuple(sorted(fields)))
            if target.endswith(SKIPPED_ACTIONS) or kind in posted:
                continue
            posted.add(kind)
            ids_only = {k: (BIG if re.search(r"_ids?$", k) else v) for k, v in fields.items()}
            everything = {k: (v if k == "csrf_token" else BIG) for k, v in fields.items()}
            for data in (ids_only, everything):
                check(client.post(target, data={**data, "next": CRLF_NEXT}), f"POST {target} {data}")
    assert len(seen) > 3


@pytest.mark.parametrize("site", list(ACTORS))
def test_a_line_break_in_next_after_sign_in_goes_home(client, demo, site):
    url, who = ACTORS[site]
    token = csrf_token(client, url)
    resp = client.post(url, query_string={"next": f"/{site}/\r\nSet-Cookie: stolen=1"},
                       data={**who, "password": DEMO_PASSWORD, "csrf_token": token})
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == f"/{site}/"


@pytest.mark.parametrize("site", ["portal", "kiosk"])
def test_a_line_break_in_next_of_the_language_switch_goes_home(client, site):
    token = csrf_token(client, f"/{site}/login")
    resp = client.post(f"/{site}/language", data={"lang": "es", "next": f"/{site}/\nX: y", "csrf_token": token})
    assert resp.status_code == 302 and "\n" not in resp.headers["Location"]
