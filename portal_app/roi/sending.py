"""Send the agency's release-of-information form to the client's portal: a new document on the ROI template,
sent through the documents workflow's "send to portal" path (the client fills it in and signs it there)."""
from __future__ import annotations

from ..accounts.models import User
from ..clients.models import Client
from ..documents import workflow
from ..documents.records import Document
from .queries import roi_template
from .services import RoiError


class NoRoiTemplate(RoiError):
    status = 409
    default_message = ("This agency has no Release of Information form. An administrator adds one under Forms "
                       "(category \u201cRelease of information\u201d).")


def send_roi_to_portal(actor: User, client: Client, *, notify: bool = True) -> Document:
    """Start a document on the ROI template and send it to the client's portal (link-only email, unless
    `notify=False`: a request carrying it sends the one email of its own, or of its packet)."""
    found = roi_template(actor.organization_id)
    if found is None:
        raise NoRoiTemplate
    document = workflow.start_document(actor, client, found[0].id)
    workflow.send_to_portal(actor, document, notify=notify)
    return document
