"""Portal messages: the acted-for client's conversations, reading, replying, writing to the care team."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal_app.authz import Permission, requires
from portal_app.clients.roles import care_team_role
from portal_app.messaging import core, portal_queries, portal_services
from portal_app.messaging.paging import before_arg
from portal_app.portal_access.models import ClientAccess

from .._common import place_refusal, savepoint
from . import bp

# The services' refusals in the visitor's language (their own sentences are English, for logs and staff).
REFUSALS = {
    core.EmptyMessage: _l("Write a message before sending."),
    core.MessageTooLong: _l("This message is too long. Make it shorter."),
    portal_services.SubjectTooLong: _l("Use at most %(max)d characters.", max=portal_services.MAX_SUBJECT),
    portal_services.ClientContactOff: _l("This person does not take messages through the portal. Choose someone else."),
}


@bp.context_processor
def portal_messages_nav():
    """`messages_nav()` for the portal header: None when messaging is off, else the unread count (one query)."""

    def messages_nav() -> int | None:
        access = g.get("acting")
        if access is None or not portal_queries.messaging_on(access):
            return None
        return portal_queries.unread_count(access)

    return {"messages_nav": messages_nav}


def acting() -> ClientAccess:
    """The access being acted for, when its agency uses messaging; otherwise the pages do not exist (404)."""
    access = g.get("acting")
    if access is None or not portal_queries.messaging_on(access):
        abort(404)
    return access


def refused(err: core.MessagingError, form) -> str | None:
    """Put a refusal beside its field, in the visitor's language."""
    translated = REFUSALS.get(type(err))
    return place_refusal(type(err)(str(translated)) if translated else err, form)


@bp.get("/messages")
@requires(Permission.PORTAL_MESSAGES)
def messages():
    """Conversations about the acted-for client, newest first, unread ones marked, 25 a page."""
    access = acting()
    return render_template("portal/messages/list.html", rows=portal_queries.conversations_for(access, request.args.get("page")))


@bp.route("/messages/<int:conversation_id>", methods=["GET", "POST"])
@requires(Permission.PORTAL_MESSAGES)
def messages_conversation(conversation_id: int):
    """Read a conversation, newest messages first in pages (marks it read), and reply to it."""
    from forms.portal.messages import MessageReplyForm

    access = acting()
    conversation = portal_queries.conversation_for(access, conversation_id) or abort(404)
    before = before_arg(request.args.get("before"))
    if request.method == "GET" and request.htmx and before is not None:  # "Earlier messages": that page only
        return render_template("portal/_partials/message_page.html", conversation=conversation,
                               messages=portal_queries.messages_of(conversation, before),
                               senders=portal_queries.portal_sender_labels(access, conversation))
    form, status, error = MessageReplyForm(), 200, None
    if form.validate_on_submit():
        try:
            with savepoint():
                portal_services.reply_as_portal(access, conversation, form.body.data)
        except core.MessagingError as err:
            error, status = refused(err, form), err.status
        else:
            flash(_("Your reply was sent."), "success")
            return redirect(url_for("portal.messages_conversation", conversation_id=conversation.id))
    elif form.is_submitted():
        status = 422
    if status == 200:
        portal_services.mark_read_by_portal(access, conversation)
    return render_template(
        "portal/messages/conversation.html", conversation=conversation, form=form, error=error,
        messages=portal_queries.messages_of(conversation, before), senders=portal_queries.portal_sender_labels(access, conversation),
    ), status


@bp.route("/messages/new", methods=["GET", "POST"])
@requires(Permission.PORTAL_MESSAGES)
def messages_new():
    """Write to a care-team member who takes messages from clients; if nobody does, how else to reach the agency."""
    from forms.portal.messages import MessageStartForm

    access = acting()
    staff = portal_queries.contactable_staff(access)
    form, status, error = MessageStartForm(), 200, None
    form.staff_id.choices = [(m.user_id, f"{m.user.display_name} ({care_team_role(m.role)})") for m in staff]
    if form.validate_on_submit():
        try:
            with savepoint():
                conversation = portal_services.start_conversation_from_portal(
                    access, form.staff_id.data, form.subject.data, form.body.data)
        except core.MessagingError as err:
            error, status = refused(err, form), err.status
        else:
            flash(_("Your message was sent."), "success")
            return redirect(url_for("portal.messages_conversation", conversation_id=conversation.id))
    elif form.is_submitted():
        status = 422
    return render_template("portal/messages/new.html", form=form, staff=staff, error=error,
                           agency=access.client.organization), status
