"""The demo agencies' forms: intake, consent for services, release of information, PHQ-9, GAD-7, and a
notice that must be signed on paper. Installed through the same services as the editor (flushed, not committed)."""
from __future__ import annotations

from typing import Any

from ..accounts.models import User
from .models import FormTemplate
from .screening import SCREENING_TEMPLATES, bi
from .services import install_template


def q(key: str, kind: str, en: str, es: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "label": bi(en, es), **extra}


def options(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"value": str(n), "label": bi(en, es)} for n, (en, es) in enumerate(pairs, 1)]


def signatures(*signers: str) -> list[dict[str, Any]]:
    labels = {"client": ("Signature of the client", "Firma del cliente"),
              "representative": ("Signature of the client's representative (parent, guardian, authorized "
                                 "representative)", "Firma del representante del cliente (padre o madre, tutor, "
                                 "representante autorizado)"),
              "staff": ("Staff countersignature", "Firma del personal")}
    return [q(f"sign_{s}", "signature", *labels[s], signer=s) for s in signers]


INTAKE = [
    q("about", "heading", "About you", "Sobre usted"),
    q("full_name", "short_text", "Full legal name", "Nombre legal completo", required=True, max_length=200),
    q("preferred_name", "short_text", "Name you would like us to use", "Nombre que prefiere que usemos"),
    q("date_of_birth", "date", "Date of birth", "Fecha de nacimiento", required=True, date_rule="past"),
    q("phone", "short_text", "Phone number", "Número de teléfono", max_length=40,
      help=bi("We call or text only about your services.", "Solo llamamos o enviamos mensajes sobre sus servicios.")),
    q("household_size", "number", "How many people live in your home, including you?",
      "¿Cuántas personas viven en su hogar, incluyéndolo(a) a usted?", required=True, min_value=1, max_value=30),
    q("language", "single_choice", "Preferred language", "Idioma preferido", required=True,
      choices=options(("English", "Inglés"), ("Spanish", "Español"), ("Other", "Otro"))),
    q("needs_heading", "heading", "What brings you here", "Por qué nos visita"),
    q("needs", "multiple_choice", "What can we help with? Choose all that apply.",
      "¿En qué le podemos ayudar? Elija todas las que correspondan.", required=True,
      choices=options(("Housing", "Vivienda"), ("Food", "Comida"), ("Counseling", "Consejería"),
                      ("Employment", "Empleo"), ("Health care", "Atención médica"), ("Something else", "Otra cosa"))),
    q("reason", "long_text", "In your own words, what would you like help with?",
      "Con sus propias palabras, ¿con qué le gustaría recibir ayuda?", max_length=2000),
    q("safe_at_home", "yes_no", "Do you feel safe where you live?", "¿Se siente seguro(a) donde vive?", required=True),
    q("attest", "static_text", "By signing, I confirm that the information above is true to the best of my knowledge.",
      "Al firmar, confirmo que la información anterior es verdadera según mi leal saber y entender."),
    *signatures("client", "representative"),
]

CONSENT = [
    q("consent_text", "static_text",
      "I agree to receive services from this agency. I understand that:\n\nTaking part is voluntary, and I may stop "
      "at any time.\n\nWhat I share is kept private, except where the law requires it to be reported (for example, "
      "a risk of serious harm to myself or others, or suspected abuse of a child or a vulnerable adult).\n\n"
      "I may ask for a copy of this consent and of my records.",
      "Acepto recibir servicios de esta agencia. Entiendo que:\n\nParticipar es voluntario y puedo dejar de "
      "hacerlo en cualquier momento.\n\nLo que comparto se mantiene privado, excepto cuando la ley exige "
      "reportarlo (por ejemplo, un riesgo de daño grave a mí mismo(a) o a otras personas, o la sospecha de "
      "abuso de un niño o de un adulto vulnerable).\n\nPuedo pedir una copia de este consentimiento y de mis "
      "expedientes."),
    q("understood", "yes_no", "I have read this consent (or had it read to me) and I understand it.",
      "He leído este consentimiento (o me lo han leído) y lo entiendo.", required=True),
    q("questions", "long_text", "Questions or comments (optional)", "Preguntas o comentarios (opcional)",
      max_length=1000),
    *signatures("client", "representative", "staff"),
]

RELEASE = [
    q("roi_intro", "static_text",
      "I authorize this agency to share information about me with the person or organization named below.",
      "Autorizo a esta agencia a compartir información sobre mí con la persona u organización nombrada abajo."),
    q("recipient", "short_text", "Share with (person or organization)", "Compartir con (persona u organización)",
      required=True, min_length=2, max_length=200),
    q("recipient_contact", "short_text", "Their address, phone or email", "Su dirección, teléfono o correo electrónico",
      max_length=300),
    q("purpose", "single_choice", "Purpose of sharing", "Propósito de compartir", required=True,
      choices=options(("Coordinating my care", "Coordinar mi atención"), ("Housing application", "Solicitud de vivienda"),
                      ("Court or probation", "Tribunal o libertad condicional"), ("At my request", "A petición mía"))),
    q("information", "multiple_choice", "Information that may be shared", "Información que se puede compartir",
      required=True, choices=options(("Attendance and dates of service", "Asistencia y fechas de servicio"),
                                     ("Assessments and screening results", "Evaluaciones y resultados de pruebas"),
                                     ("Service plan and progress", "Plan de servicios y progreso"),
                                     ("Discharge summary", "Resumen de alta"))),
    q("expires_on", "date", "This release ends on", "Esta autorización termina el", required=True, date_rule="future",
      help=bi("At most one year from today.", "Como máximo un año a partir de hoy.")),
    q("revoke_note", "static_text",
      "I may withdraw this release at any time by telling the agency in writing; it does not undo information "
      "already shared.",
      "Puedo retirar esta autorización en cualquier momento avisando a la agencia por escrito; esto no deshace la "
      "información ya compartida."),
    *signatures("client", "representative"),
]

PAPER_NOTICE = [
    q("notice", "static_text",
      "This notice tells you that the benefits listed below will end on the date shown, and how to appeal.",
      "Este aviso le informa que los beneficios indicados abajo terminarán en la fecha indicada, y cómo apelar."),
    q("benefit", "short_text", "Benefit", "Beneficio", required=True),
    q("ends_on", "date", "Benefits end on", "Los beneficios terminan el", required=True),
    *signatures("client", "staff"),
]

DEMO_TEMPLATES: list[dict[str, Any]] = [
    {"name": "Intake form", "name_es": "Formulario de admisión", "category": "intake",
     "description": "First-visit information: contact details, household, what the person needs.",
     "description_es": "Información de la primera visita: datos de contacto, hogar, necesidades.",
     "fields": INTAKE, "flags": {"fillable_portal": True, "fillable_kiosk": True, "representative_may_sign": True}},
    {"name": "Consent for services", "name_es": "Consentimiento para recibir servicios", "category": "consent",
     "description": "Consent to receive services, with the limits of confidentiality; countersigned by staff.",
     "description_es": "Consentimiento para recibir servicios y límites de la confidencialidad.",
     "fields": CONSENT, "flags": {"fillable_portal": True, "fillable_kiosk": True, "representative_may_sign": True,
                                  "countersignature_required": True}},
    {"name": "Release of information", "name_es": "Autorización para compartir información", "category": "release",
     "description": "Authorizes sharing named information with one recipient, for a purpose, until a date.",
     "description_es": "Autoriza compartir cierta información con un destinatario, para un propósito, hasta una fecha.",
     "fields": RELEASE, "flags": {"fillable_portal": True, "fillable_kiosk": True, "representative_may_sign": True}},
    *SCREENING_TEMPLATES,
    {"name": "Notice of termination of benefits", "name_es": "Aviso de terminación de beneficios",
     "category": "notice", "description": "Excluded from e-signature by the ESIGN Act: signed on paper, scanned in.",
     "description_es": "Se firma en papel (excluido de la firma electrónica).",
     "fields": PAPER_NOTICE, "flags": {"paper_only": True, "countersignature_required": True}},
]


def load_forms(admin: User) -> list[FormTemplate]:
    """The demo forms of the administrator's agency, each published as version 1."""
    return [install_template(admin, **spec) for spec in DEMO_TEMPLATES]
