"""PHQ-9 and GAD-7 (public domain, Pfizer; developed by Drs. Spitzer, Williams, Kroenke and colleagues):
the exact items in English and in their standard US Spanish versions, scored 0-3 per item.

PHQ-9 severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe; item 9
(thoughts of being better off dead or of self-harm) is flagged whenever it scores above 0.
GAD-7 severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
"""
from __future__ import annotations

from typing import Any


def bi(en: str, es: str) -> dict[str, str]:
    return {"en": en, "es": es}


FREQUENCY_EN = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ_FREQUENCY_ES = ("Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días")
GAD_FREQUENCY_ES = ("Nunca", "Varios días", "Más de la mitad de los días", "Casi todos los días")
DIFFICULTY = [
    bi("Not difficult at all", "No ha sido difícil"),
    bi("Somewhat difficult", "Un poco difícil"),
    bi("Very difficult", "Muy difícil"),
    bi("Extremely difficult", "Extremadamente difícil"),
]

PHQ9_ITEMS = [
    bi("Little interest or pleasure in doing things", "Poco interés o placer en hacer cosas"),
    bi("Feeling down, depressed, or hopeless", "Se ha sentido decaído(a), deprimido(a) o sin esperanzas"),
    bi("Trouble falling or staying asleep, or sleeping too much",
       "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado"),
    bi("Feeling tired or having little energy", "Se ha sentido cansado(a) o con poca energía"),
    bi("Poor appetite or overeating", "Sin apetito o ha comido en exceso"),
    bi("Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
       "Se ha sentido mal con usted mismo(a) \u2013 o que es un fracaso o que ha quedado mal con usted mismo(a) "
       "o con su familia"),
    bi("Trouble concentrating on things, such as reading the newspaper or watching television",
       "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la "
       "televisión"),
    bi("Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so "
       "fidgety or restless that you have been moving around a lot more than usual",
       "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario \u2013 muy "
       "inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal"),
    bi("Thoughts that you would be better off dead or of hurting yourself in some way",
       "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"),
]

GAD7_ITEMS = [
    bi("Feeling nervous, anxious, or on edge", "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta"),
    bi("Not being able to stop or control worrying", "No ha sido capaz de parar o controlar su preocupación"),
    bi("Worrying too much about different things", "Se ha preocupado demasiado por motivos diferentes"),
    bi("Trouble relaxing", "Ha tenido dificultad para relajarse"),
    bi("Being so restless that it is hard to sit still",
       "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)"),
    bi("Becoming easily annoyed or irritable", "Se ha molestado o irritado fácilmente"),
    bi("Feeling afraid, as if something awful might happen", "Ha tenido miedo de que algo terrible fuera a pasar"),
]

PHQ9_BANDS = [
    {"min": 0, "max": 4, "label": bi("Minimal depression", "Depresión mínima")},
    {"min": 5, "max": 9, "label": bi("Mild depression", "Depresión leve")},
    {"min": 10, "max": 14, "label": bi("Moderate depression", "Depresión moderada")},
    {"min": 15, "max": 19, "label": bi("Moderately severe depression", "Depresión moderadamente grave")},
    {"min": 20, "max": 27, "label": bi("Severe depression", "Depresión grave")},
]
GAD7_BANDS = [
    {"min": 0, "max": 4, "label": bi("Minimal anxiety", "Ansiedad mínima")},
    {"min": 5, "max": 9, "label": bi("Mild anxiety", "Ansiedad leve")},
    {"min": 10, "max": 14, "label": bi("Moderate anxiety", "Ansiedad moderada")},
    {"min": 15, "max": 21, "label": bi("Severe anxiety", "Ansiedad grave")},
]


def _frequency(spanish: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"value": str(n), "label": bi(en, es), "score": n} for n, (en, es) in enumerate(zip(FREQUENCY_EN, spanish))]


def _difficulty(key: str, en: str, es: str) -> dict[str, Any]:
    return {"key": key, "kind": "single_choice", "label": bi(en, es), "required": False,
            "choices": [{"value": str(n + 1), "label": label} for n, label in enumerate(DIFFICULTY)]}


def _questionnaire(prefix: str, intro: dict[str, str], items: list[dict], spanish: tuple[str, ...],
                   flag_item: int | None, difficulty: dict[str, str]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [{"key": f"{prefix}_intro", "kind": "static_text", "label": intro}]
    for n, item in enumerate(items, 1):
        fields.append({"key": f"{prefix}_{n}", "kind": "single_choice", "label": bi(f"{n}. {item['en']}",
                                                                                    f"{n}. {item['es']}"),
                       "required": True, "choices": _frequency(spanish),
                       "flag_at": 1 if n == flag_item else None})
    fields.append(_difficulty(f"{prefix}_difficulty", difficulty["en"], difficulty["es"]))
    return fields


PHQ9_FIELDS = _questionnaire(
    "phq9",
    bi("Over the last 2 weeks, how often have you been bothered by any of the following problems?",
       "Durante las últimas 2 semanas, ¿qué tan seguido le han afectado cualquiera de los siguientes problemas?"),
    PHQ9_ITEMS, PHQ_FREQUENCY_ES, 9,
    bi("If you checked off any problems, how difficult have these problems made it for you to do your work, "
       "take care of things at home, or get along with other people?",
       "Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su "
       "trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?"),
)
GAD7_FIELDS = _questionnaire(
    "gad7",
    bi("Over the last 2 weeks, how often have you been bothered by the following problems?",
       "Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?"),
    GAD7_ITEMS, GAD_FREQUENCY_ES, None,
    bi("If you checked any problems, how difficult have they made it for you to do your work, take care of "
       "things at home, or get along with other people?",
       "Si ha marcado cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer "
       "su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?"),
)

SCREENING_FLAGS = {"fillable_portal": True, "fillable_kiosk": True, "portal_assessment": True}

SCREENING_TEMPLATES: list[dict[str, Any]] = [
    {"name": "PHQ-9 depression screening", "name_es": "PHQ-9: cuestionario sobre la salud del paciente",
     "description": "Patient Health Questionnaire (PHQ-9), nine items scored 0-3; item 9 is flagged for follow-up.",
     "description_es": "Cuestionario sobre la salud del paciente (PHQ-9), nueve preguntas.",
     "category": "assessment", "fields": PHQ9_FIELDS, "bands": PHQ9_BANDS, "flags": SCREENING_FLAGS},
    {"name": "GAD-7 anxiety screening", "name_es": "GAD-7: cuestionario sobre la ansiedad",
     "description": "Generalized Anxiety Disorder scale (GAD-7), seven items scored 0-3.",
     "description_es": "Escala del trastorno de ansiedad generalizada (GAD-7), siete preguntas.",
     "category": "assessment", "fields": GAD7_FIELDS, "bands": GAD7_BANDS, "flags": SCREENING_FLAGS},
]
