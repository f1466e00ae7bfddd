"""Client Portal Requests: send one request or a packet, return a result with a reason; Document Categories."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forms.fields import PlainText, db_id, optional_int, strip_text
from forms.staff.messages import CheckboxListField
from portal_app.requests.kinds import kind_choices

KIND_CHOICES = [SelectChoice("", "Choose a type"), SelectChoice("assessment", "Assessment"),
                SelectChoice("document", "Document"), SelectChoice("location", "Location")]


def name_choices(categories, category_id: int | None = None) -> list[SelectChoice]:
    """Predefined names: of the chosen category, or (no JavaScript) every category's in groups; then "Other"."""
    if category_id is not None:
        chosen = [c for c in categories if c.id == category_id]
        names = [SelectChoice(str(n.id), n.name) for c in chosen for n in c.names if n.archived_at is None]
        return [SelectChoice("", "Choose a name"), *names, SelectChoice("other", "Other")]
    grouped = [SelectChoice(str(n.id), n.name, optgroup=c.name) for c in categories for n in c.names
               if n.archived_at is None]
    return [SelectChoice("", "Choose a name"), *grouped, SelectChoice("other", "Other")]


class _DocumentFields:
    @staticmethod
    def setup(form, prefix: str, categories, category_id) -> None:
        getattr(form, f"{prefix}category_id").choices = [SelectChoice("", "Choose a category")] + [
            SelectChoice(str(c.id), c.name) for c in categories]
        getattr(form, f"{prefix}name_id").choices = name_choices(categories, category_id)


class RequestForm(FlaskForm):
    """Send New Request: the type, then what the type needs; Private; an optional due date."""

    kind = SelectField("Type of request", choices=KIND_CHOICES, validators=[DataRequired("Choose the type of request.")])
    template_id = SelectField("Assessment", coerce=optional_int, validate_choice=False)
    category_id = SelectField("Category", coerce=optional_int, validate_choice=False)
    name_id = SelectField("Predefined Name", validate_choice=False)
    other_name = StringField("Other Name", filters=[strip_text], validators=[Length(max=100), PlainText()])
    private = BooleanField("Private (the result is not shared with partners or other organizations)")
    due_date = DateField("Due date (optional)", validators=[Optional()])

    def __init__(self, assessments, categories, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", "Choose a type")] + [SelectChoice(k, label) for k, label in kind_choices()]
        self.template_id.choices = [SelectChoice("", "Choose an assessment")] + [
            SelectChoice(str(v.template_id), v.template.name) for v in assessments]
        _DocumentFields.setup(self, "", categories, self.category_id.data)

    def data_for_service(self) -> dict:
        return {"kind": self.kind.data, "template_id": self.template_id.data, "category_id": self.category_id.data,
                "name_id": self.name_id.data, "other_name": self.other_name.data or "",
                "private": self.private.data, "due_date": self.due_date.data}


class PacketForm(FlaskForm):
    """A packet ("Intake packet"): an assessment, up to two documents, the location and an ROI, one email."""

    title = StringField("Packet name", filters=[strip_text], default="Intake packet",
                        validators=[DataRequired("Give the packet a name."), Length(max=120), PlainText()])
    template_id = SelectField("Assessment", coerce=optional_int, validate_choice=False)
    doc1_category_id = SelectField("First document: category", coerce=optional_int, validate_choice=False)
    doc1_name_id = SelectField("First document: predefined name", validate_choice=False)
    doc1_other_name = StringField("First document: Other Name", filters=[strip_text], validators=[Length(max=100), PlainText()])
    doc2_category_id = SelectField("Second document: category", coerce=optional_int, validate_choice=False)
    doc2_name_id = SelectField("Second document: predefined name", validate_choice=False)
    doc2_other_name = StringField("Second document: Other Name", filters=[strip_text], validators=[Length(max=100), PlainText()])
    location = BooleanField("Ask for the client's location")
    roi = BooleanField("Ask for a Release of Information (the agency's form, signed on the portal)")
    private = BooleanField("Private (results are not shared with partners or other organizations)")
    due_date = DateField("Due date (optional)", validators=[Optional()])

    def __init__(self, assessments, categories, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.template_id.choices = [SelectChoice("", "No assessment")] + [
            SelectChoice(str(v.template_id), v.template.name) for v in assessments]
        for prefix in ("doc1_", "doc2_"):
            _DocumentFields.setup(self, prefix, categories, getattr(self, f"{prefix}category_id").data)
            getattr(self, f"{prefix}category_id").choices[0] = SelectChoice("", "No document")

    def items(self) -> list[tuple[str, dict]]:
        """(field prefix, service data) of each request the packet holds."""
        common = {"private": self.private.data, "due_date": self.due_date.data}
        found = []
        if self.template_id.data:
            found.append(("template_id", {**common, "kind": "assessment", "template_id": self.template_id.data}))
        for prefix in ("doc1_", "doc2_"):
            if getattr(self, f"{prefix}category_id").data or getattr(self, f"{prefix}name_id").data:
                found.append((prefix, {**common, "kind": "document",
                                       "category_id": getattr(self, f"{prefix}category_id").data,
                                       "name_id": getattr(self, f"{prefix}name_id").data,
                                       "other_name": getattr(self, f"{prefix}other_name").data or ""}))
        if self.location.data:
            found.append(("location", {**common, "kind": "location"}))
        if self.roi.data:
            found.append(("roi", {**common, "kind": "roi"}))
        return found


class ReturnForm(FlaskForm):
    reason = TextAreaField("Why is it returned? (the client reads this)", filters=[strip_text],
                           validators=[DataRequired("Say why you return it."),
                                       Length(min=3, max=1000, message="Use 3 to 1,000 characters."),
                                       PlainText(multiline=True)])


class CategoryForm(FlaskForm):
    name = StringField("Name", filters=[strip_text], validators=[DataRequired("Type a name."), Length(max=100),
                                                                  PlainText()])
    name_es = StringField("Name in Spanish (optional)", filters=[strip_text], validators=[Length(max=100), PlainText()])


class RequestMassForm(RequestForm):
    """One request to many clients: the ticked clients (or every one listed) and the request's fields."""

    client_ids = CheckboxListField("Clients", coerce=db_id, validate_choice=False)
    select_all = BooleanField("Select all shown")

    def __init__(self, assessments, categories, *args, clients=None, **kwargs) -> None:
        super().__init__(assessments, categories, *args, **kwargs)
        self.client_ids.choices = [
            SelectChoice(str(c.id), c.display_name, render_kw={}) if has_access else
            SelectChoice(str(c.id), f"{c.display_name} (no portal access)", render_kw={"disabled": True})
            for c, has_access in clients or []]

    def chosen_clients(self) -> list[int]:
        if self.select_all.data:
            return [int(choice.value) for choice in self.client_ids.choices if not choice.render_kw]
        return list(self.client_ids.data or [])
