"""Requests seeded for the accessibility walk: a packet (assessment, document, location) for each portal
actor's child, one document returned with a reason, and the location of the first fulfilled."""
from __future__ import annotations

from datetime import timedelta


def seed_requests(user: dict, children: dict) -> dict:
    """ids "request_<kind>:<actor>" for the portal request pages (flushed; the caller commits)."""
    from portal_app.portal_access.queries import readable_accesses
    from portal_app.requests import portal_services, services
    from tests.requests.helpers import category, gad7, png_bytes

    cm = user["case_manager"]
    template = gad7(user["admin"])
    ids = {}
    for actor, child in children.items():
        ident = category(child.organization, "Identification")
        due = services.today() + timedelta(days=5)
        bundle = services.send_bundle(cm, child, "Intake packet", [
            {"kind": "assessment", "template_id": template.id, "due_date": due},
            {"kind": "document", "category_id": ident.id, "name_id": str(ident.names[0].id), "private": True},
            {"kind": "location"}])
        assessment, document, location = bundle.requests
        returned = services.send_request(cm, child, {"kind": "document", "category_id": ident.id, "name_id": "other",
                                                     "other_name": "Passport"})
        access = readable_accesses(child)[0]
        portal_services.fulfil_document(access.account, access, returned, [png_bytes()])
        services.return_result(cm, returned, "The photo is blurry: please take it again in daylight.")
        ids.update({f"request_assessment:{actor}": assessment.id, f"request_document:{actor}": returned.id,
                    f"request_location:{actor}": location.id, f"request_cant:{actor}": document.id})
        if actor == "portal_self":
            portal_services.fulfil_location(access.account, access, location, "12 Oak Street, Riverside")
            ids[f"request_location:{actor}"] = services.send_request(cm, child, {"kind": "location"}).id
    return ids
