"""English and Spanish: a complete catalogue (QUALITY A2), Spanish where the visitor asks, staff in English."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from portal_app.extensions import babel
from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parent.parent
ES_PO = ROOT / "portal_app/translations/es/LC_MESSAGES/messages.po"
ES_MO = ES_PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _catalog():
    with ES_PO.open("rb") as fh:
        return read_po(fh)


def _key(msgid: str | tuple) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


@pytest.fixture(scope="module")
def spanish(app):
    """The compiled Spanish catalogue; built here when missing or stale (`make` compiles it too)."""
    if not ES_MO.exists() or ES_MO.stat().st_mtime < ES_PO.stat().st_mtime:
        fd, tmp = tempfile.mkstemp(dir=ES_MO.parent, suffix=".mo")
        with os.fdopen(fd, "wb") as fh:
            write_mo(fh, _catalog())
        os.chmod(tmp, 0o644)
        os.replace(tmp, ES_MO)
    with app.app_context():
        babel.domain_instance.cache.clear()  # forget a catalogue loaded before this one existed
    yield


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = [m for m in _catalog() if m.id]
    assert len(messages) > 30
    untranslated = [m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"untranslated Spanish messages: {untranslated}"
    assert not fuzzy, f"fuzzy Spanish messages (check and clear the flag): {fuzzy}"


def test_catalogue_holds_every_string_in_the_source():
    """A string wrapped in _() but never extracted would show in English on a Spanish page."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        _key(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS,
            directory_filter=lambda path: not os.path.basename(path).startswith("."),
        )
    }
    missing = sorted(found - {_key(m.id) for m in _catalog() if m.id})
    assert not missing, f"not in the Spanish catalogue (extract, update and translate; see babel.cfg): {missing}"


@pytest.mark.parametrize(
    ("url", "english", "spanish_text"),
    [
        ("/portal/login", "Sign in to your portal", "Entre a su portal"),
        ("/kiosk/login", "This tablet is not set up yet", "Esta tableta todavía no está lista"),
        ("/links/", "Open the link from your email", "Abra el enlace de su correo electrónico"),
        ("/portal/no-such-page", "Go to the start page", "Ir a la página de inicio"),
    ],
)
def test_pages_follow_the_browser_language(client, spanish, url, english, spanish_text):
    html = client.get(url, headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert spanish_text in html and english not in html
    assert "Ir al contenido" in html


def test_portal_sign_in_form_in_spanish(client, spanish):
    html = client.get("/portal/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Nombre de usuario" in html and "Contraseña" in html and ">Entrar</button>" in html
    token = csrf_token(client, "/portal/login")
    resp = client.post("/portal/login", data={"csrf_token": token}, headers={"Accept-Language": "es"})
    assert resp.status_code == 422
    assert "Escriba su nombre de usuario." in resp.get_data(as_text=True)


def test_language_switch_makes_the_next_pages_spanish(client, spanish):
    html = client.get("/portal/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Sign in to your portal" in html
    token = csrf_token(client, "/portal/login")
    resp = client.post("/portal/language", data={"lang": "es", "next": "/portal/login", "csrf_token": token})
    assert resp.status_code == 302
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<html lang="es">' in html and "Entre a su portal" in html
    assert 'value="en" lang="en">English</button>' in html  # the switch now offers the way back


@pytest.mark.parametrize("url", ["/staff/login", "/partner/login"])
def test_staff_and_partner_sites_stay_english(client, spanish, url):
    html = client.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert ">Sign in</button>" in html and "Entrar" not in html
    assert "Skip to content" in html


def test_portal_language_choice_does_not_reach_the_staff_site(client, spanish):
    token = csrf_token(client, "/portal/login")
    client.post("/portal/language", data={"lang": "es", "next": "/portal/login", "csrf_token": token})
    html = client.get("/staff/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Staff sign-in" in html
