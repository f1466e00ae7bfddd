"""Releases of information: what a client authorized the agency to share, with whom, until when.

Public API (for the requests domain's "roi" request kind and others; "today" is `queries.agency_today()`):

* `queries.roi_request_refusal(client, today) -> str | None` — the exact refusal sentence while an ROI in
  force does not expire within 7 days; None when a new ROI may be requested (`queries.REFUSAL_MESSAGE`).
* `queries.active_rois(client, today)`, `queries.covers(client, partner_org, today) -> ROI | None`,
  `queries.history(client)`, `queries.roi_template(agency_id) -> (template, version) | None`,
  `queries.roi_for_document(document_id) -> ROI | None` (a sent ROI form, once signed).
* `sending.send_roi_to_portal(actor, client, *, notify=True) -> Document` — a document on the agency's ROI
  template, sent to the client's portal through the documents workflow (raises NoRoiTemplate / documents
  errors); `notify=False` when a request carrying it sends the one email.
* `services.record_from_document(actor, document)` — called by the documents workflow on completion: a
  completed document of a "release" template becomes an ROI (returns it; None for other documents).
* `services.revoke_roi(actor, roi, reason, access=None)`, `services.end_dependent_shares(actor, roi, why)`.
* `lifecycle.end_lapsed(today)`, `lifecycle.send_expiry_warnings(today)` — the worker's idempotent passes.
"""
