"""A sample signed document for the PDF, seal and verify tests: a client's intake form signed by her mother."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal_app.documents.pdf import PdfAuditRow, PdfDocument, PdfItem, PdfSignature, content_sha256

SIGNED_AT = datetime(2026, 11, 20, 17, 5, tzinfo=UTC)  # 9:05 AM in America/Los_Angeles
ANSWERS = [(f"Question {n}: what support would help you this month?", f"Answer number {n}: help with rent and "
            f"a ride to the clinic on Tuesdays ({n}).") for n in range(1, 25)]


def sample_document(answers=ANSWERS, language: str = "en", **overrides) -> PdfDocument:
    """An intake form of about three pages (two of answers, the signature certificate)."""
    items = [PdfItem("About you", kind="heading"), PdfItem("Answer what you can; skip what you prefer not to.",
                                                           kind="text")]
    items += [PdfItem(question, answer) for question, answer in answers]
    signatures = [PdfSignature("Ana Delgado", "mother", SIGNED_AT, "typed name on the client portal",
                               on_behalf_of="Sam Delgado", mark="Ana Delgado")]
    payload = {"template": "intake", "version": 3, "answers": answers,
               "signatures": [["Ana Delgado", "mother", SIGNED_AT.isoformat()]]}
    audit = [PdfAuditRow(SIGNED_AT - timedelta(days=1), "created", "Casey Case (case manager)", "10.0.0.7"),
             PdfAuditRow(SIGNED_AT - timedelta(days=1), "sent to the client portal", "Casey Case (case manager)",
                         "10.0.0.7"),
             PdfAuditRow(SIGNED_AT - timedelta(minutes=9), "viewed", "Ana Delgado (mother)", "203.0.113.9"),
             PdfAuditRow(SIGNED_AT, "signed", "Ana Delgado (mother)", "203.0.113.9")]
    fields = dict(agency_name="Northside Family Services", agency_lines=["12 Main St, Eugene, OR", "541-555-0100"],
                  client_name="Sam Delgado", client_details=["Date of birth: Apr 17, 2014"], title="Intake form",
                  version="3", verification_code="ABCDE-FGHJK", content_sha256=content_sha256(payload),
                  items=items, signatures=signatures, audit=audit, document_ref="D-1042", language=language)
    return PdfDocument(**{**fields, **overrides})
