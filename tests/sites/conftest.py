"""A small world shared by the cross-site tests (query counts, paging)."""
from __future__ import annotations

import pytest

from portal_app.extensions import db
from portal_app.messaging import services as messaging
from portal_app.sharing.models import ClientShare
from tests.messaging.helpers import allow_messaging, family


@pytest.fixture
def world(people):
    """An agency with a supervisor and a case manager who message, a partner, and a client with their own
    portal account and a mother acting for them, shared with the partner, with one conversation (committed)."""
    cm, sup, partner = people["case_manager"], people["supervisor"], people["partner"]
    allow_messaging(cm, sup)
    client, own, mother = family(cm.organization, care_team_member=cm, first_name="Subject")
    db.session.add(ClientShare(client=client, organization=partner.organization, shared_by_id=sup.id, note="Note"))
    conversation = messaging.start_conversation(sup, client, subject="Hello", body_html="<p>Hi</p>",
                                                account_ids=None)
    db.session.commit()
    return {"cm": cm, "sup": sup, "partner": partner, "client": client, "own": own, "mother": mother,
            "conversation": conversation}
