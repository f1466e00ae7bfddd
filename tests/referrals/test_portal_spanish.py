"""My referrals and the one-tap link pages in Spanish, and My referrals within the portal's page budget (P1)."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal_app.extensions import db
from portal_app.outbox import OutboxEmail
from tests.sites.page_weight import measure
from tests.sites.portal.helpers import portal_login, portal_post

from .conftest import send

KB = 1024
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def _spanish(client) -> None:
    assert portal_post(client, "/portal/language", {"lang": "es", "next": "/portal/login"},
                       token_from="/portal/login").status_code == 302


def test_my_referrals_in_spanish(client, ref):
    ref.referral.status = "completed"
    db.session.flush()
    _spanish(client)
    portal_login(client, ref.seeker.username)
    page = client.get("/portal/referrals", headers=ENGLISH).get_data(as_text=True)
    assert "Mis referencias" in page and "Completada" in page and "Recibí ayuda" in page
    assert "I got help" not in page and ">Completed<" not in page


def test_one_tap_confirm_page_in_spanish(client, ref):
    _spanish(client)
    body = db.session.scalar(select(OutboxEmail.body_text).where(OutboxEmail.to_address == ref.claimer.email))
    link = re.search(r"/links/referral/\S+", body).group(0)
    page = client.get(link, headers=ENGLISH).get_data(as_text=True)
    assert "Actualizar una referencia" in page and "Solicitada" in page and "Aceptar" in page
    assert "Nothing has changed yet" not in page


def test_my_referrals_within_the_page_budget(client, ref):
    for _ in range(9):
        send(ref.helper, ref.client, ref.program)
    assert portal_login(client, ref.seeker.username).status_code == 302
    w = measure(client, "/portal/referrals")
    assert w.html <= 15 * KB, f"HTML {w.html} B"
    assert w.requests <= 6, w.assets
