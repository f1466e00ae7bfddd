"""Messaging on the staff site: Send Message from a client's profile, the Inbox, a conversation with
Send Response, mass sending with its progress, and My Info's "Allow Client Initiated Contact".

Every messaging endpoint needs the agency's Messaging module and the staff member's "Messaging"
permission (STAFF_MESSAGING); another agency's client or a conversation outside the staff member's
scope answers 404. Flash messages never name the client (they travel in the session cookie).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forms.staff.messages import (
    ClientContactForm,
    MassSendForm,
    MessageComposeForm,
    MessageReplyForm,
)
from portal_app.authz import Permission, can, requires
from portal_app.clients.models import Client
from portal_app.clients.queries import get_client_for_staff
from portal_app.clients.services import record_client_view
from portal_app.messaging import items, queries
from portal_app.messaging import services as messaging
from portal_app.messaging.models import Conversation
from portal_app.messaging.paging import before_arg
from portal_app.portal_access import queries as portal_access

from .._common import current_actor as _actor
from .._common import audited_page, place_refusal, savepoint
from . import bp


def _client(client_id: int) -> Client:
    """A client of the actor's agency (404 otherwise) whom the actor may message (403 otherwise)."""
    return get_client_for_staff(_actor(), client_id, Permission.STAFF_MESSAGING)


def _conversation(conversation_id: int, permission: Permission = Permission.STAFF_MESSAGING) -> Conversation:
    conversation = queries.staff_conversation(_actor(), conversation_id)
    if not can(_actor(), permission, conversation if permission == Permission.STAFF_INBOX else conversation.client):
        abort(403)
    return conversation


def _refused(err: messaging.MessagingError, form) -> int:
    """Place the service's sentence beside its field (or above the form); the savepoint undid its changes."""
    unplaced = place_refusal(err, form)
    if unplaced:
        form.form_errors.append(unplaced)
    return err.status


def _keep_body(form) -> None:
    """A re-shown composer gets back what was typed, sanitized, so the toolbar script may load it safely."""
    if form.rich.data == "1":
        form.body_html.data = form.message_html()


# -- Send Message from the client's profile -----------------------------------------------------


@bp.route("/clients/<int:client_id>/messages/new", methods=["GET", "POST"])
@requires(Permission.STAFF_MESSAGING)
def message_new(client_id: int):
    """Create a Message to the client's portal accounts (all of them, or chosen representatives)."""
    client = _client(client_id)
    accesses = portal_access.readable_accesses(client)
    form = MessageComposeForm(accesses=accesses)
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            with savepoint():
                conversation = messaging.start_conversation(_actor(), client, subject=form.subject.data,
                                                            body_html=form.message_html(),
                                                            account_ids=form.chosen_accounts())
        except messaging.MessagingError as err:
            status = _refused(err, form)
        else:
            flash("Your message was sent.", "success")
            return redirect(url_for("staff.message_detail", conversation_id=conversation.id))
    _keep_body(form)
    return audited_page("staff/messages/new.html", lambda: record_client_view(_actor(), client, page=request.endpoint),
                        status, client=client, form=form, accesses=accesses)


# -- Inbox and conversations --------------------------------------------------------------------


@bp.get("/messages")
@requires(Permission.STAFF_INBOX)
def messages():
    """Inbox: portal conversations of the caseload (supervisors: the agency), latest activity first, paged;
    without the Messaging permission, the PORTAL items addressed to the staff member (requests they sent ...)."""
    inbox = queries.staff_inbox(_actor(), page=request.args.get("page"))
    return render_template("staff/messages/inbox.html", inbox=inbox,
                           messaging=can(_actor(), Permission.STAFF_MESSAGING))


def _conversation_page(conversation: Conversation, form: MessageReplyForm, status: int = 200):
    """The conversation, read: marking it read is an audited view (S13), committed when the request ends.

    ?before=<id> shows the messages before that one; htmx ("Earlier messages") gets only that page's block.
    """
    messaging.mark_read_by_staff(_actor(), conversation)
    before = before_arg(request.args.get("before"))
    context = {"conversation": conversation, "senders": queries.portal_senders(conversation.client),
               "messages": queries.conversation_messages(conversation, before)}
    if request.htmx and before is not None:
        html = render_template("staff/_partials/message_page.html", page=context["messages"], **context)
    else:
        html = render_template("staff/messages/conversation.html", form=form, item_link=_item_link(conversation),
                               may_reply=can(_actor(), Permission.STAFF_MESSAGING, conversation.client), **context)
    return html, status


def _item_link(conversation: Conversation) -> tuple[str, str] | None:
    """(text, URL) of the page a PORTAL Inbox item is about, for the staff member to act there."""
    kind, client_id = conversation.item_kind, conversation.client_id
    if kind == items.REQUEST:
        return "Open the client's portal requests", url_for("staff.client_requests_page", client_id=client_id)
    if kind == items.ROI:
        return "Open the Release of Information history", url_for("staff.client_roi_history", client_id=client_id)
    if kind == items.DOCUMENT and conversation.item_id:
        return "Open the document", url_for("staff.document_detail", document_id=conversation.item_id)
    return None


@bp.get("/messages/<int:conversation_id>")
@requires(Permission.STAFF_INBOX)
def message_detail(conversation_id: int):
    """One conversation: its newest messages (oldest of them first), "Earlier messages", Send Response (with
    Messaging); a PORTAL item links to the page it is about."""
    return _conversation_page(_conversation(conversation_id, Permission.STAFF_INBOX), MessageReplyForm(formdata=None))


@bp.post("/messages/<int:conversation_id>/reply")
@requires(Permission.STAFF_MESSAGING)
def message_reply(conversation_id: int):
    """Send Response. htmx: only the new message, appended to the list; otherwise back to the conversation."""
    conversation = _conversation(conversation_id)
    form = MessageReplyForm()
    status = 422
    if form.validate_on_submit():
        try:
            with savepoint():
                message = messaging.reply_as_staff(_actor(), conversation, form.message_html())
        except messaging.MessagingError as err:
            status = _refused(err, form)
        else:
            if request.htmx:
                return render_template("staff/_partials/messages.html", shown=[message], senders={})
            flash("Your response was sent.", "success")
            return redirect(url_for("staff.message_detail", conversation_id=conversation.id,
                                    _anchor=f"message-{message.id}"))
    if request.htmx:
        return render_template("staff/_partials/form_refusal.html", form=form), status
    _keep_body(form)
    return _conversation_page(conversation, form, status)


# -- Mass sending -------------------------------------------------------------------------------


@bp.route("/messages/mass", methods=["GET", "POST"])
@requires(Permission.STAFF_MESSAGING)
def mass_send_new():
    """Mass sending: pick clients (name filter, only with portal access), one message; the worker delivers it."""
    source = request.form if request.method == "POST" else request.args
    q, portal_only = source.get("q", "")[:200], source.get("portal_only") in ("1", "y", "on")
    candidates = queries.mass_send_candidates(_actor(), q, portal_only)
    form = MassSendForm(clients=candidates, data={"q": q, "portal_only": "1" if portal_only else ""})
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            with savepoint():
                job = messaging.create_mass_send(_actor(), form.chosen_clients(), form.subject.data,
                                                 form.message_html())
        except messaging.MessagingError as err:
            status = _refused(err, form)
        else:
            return redirect(url_for("staff.mass_send_detail", job_id=job.id))
    _keep_body(form)
    return render_template("staff/messages/mass_new.html", form=form, q=q, portal_only=portal_only,
                           candidates=candidates, limit=queries.MASS_PICK_LIMIT), status


@bp.get("/messages/mass/<int:job_id>")
@requires(Permission.STAFF_MESSAGING)
def mass_send_detail(job_id: int):
    """Progress of a mass send; htmx polls the fragment every second until it is done."""
    job = queries.staff_mass_send(_actor(), job_id)
    if request.htmx and not request.htmx.history_restore_request:
        return render_template("staff/_partials/mass_progress.html", job=job)
    return render_template("staff/messages/mass_progress.html", job=job)


# -- My Info ------------------------------------------------------------------------------------


@bp.post("/account/client-contact")
@requires(Permission.STAFF_ACCOUNT)
def account_client_contact():
    """Allow Client Initiated Contact: on, clients of one's care teams may start conversations."""
    form = ClientContactForm()
    if not form.validate_on_submit():
        abort(400)
    messaging.set_allow_client_contact(_actor(), bool(form.allow.data))
    flash("Clients can start conversations with you." if form.allow.data
          else "Clients can no longer start conversations with you.", "success")
    return redirect(url_for("staff.account"))


@bp.context_processor
def inbox_badge():
    """The nav's Inbox badge reads through this; only called where the link is shown."""
    return {"inbox_unread": lambda: queries.unread_count(_actor())}
