"""Named refusals of the appointments domain; each names its form field and HTTP status."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..errors import DomainError, NotFound


class AppointmentError(DomainError):
    """A change to an appointment or to staff hours refused by a rule; nothing was saved."""


class AppointmentNotFound(NotFound):
    """No appointment with this id in the actor's agency (or visible to this portal access)."""


class StaffNotFound(NotFound):
    """No staff member with this id in the actor's agency."""


class SlotTaken(AppointmentError):
    """The staff member already has an appointment that overlaps: double-booking is refused."""

    status = 409
    field = "starts_at"


class OutsideHours(AppointmentError):
    """The appointment does not fit in the staff member's hours that day."""

    status = 409
    field = "starts_at"


class WrongAppointmentStatus(AppointmentError):
    status = 409


class StaleAppointment(AppointmentError):
    status = 409
    default_message = ("Someone else changed this appointment after you opened it, so nothing was saved. "
                       "The page now shows it as it is: check it and try again.")


class HoursInvalid(AppointmentError):
    """Typed hours that cannot be read, or that overlap (the message says which)."""


class AppointmentInvalid(AppointmentError):
    """A value the form could not catch (length, mode, place, reason)."""


# -- Portal refusals: clients read them in English or Spanish ------------------------------------------


class NoMessaging(AppointmentError):
    status = 409
    field = "message"
    default_message = _l("Your agency does not take messages through the portal. Call the agency to ask for "
                         "another time.")


class AppointmentClosed(AppointmentError):
    """Confirm or reschedule an appointment that is cancelled, done, or has begun."""

    status = 409
    default_message = _l("This appointment cannot be changed any more. Call the agency if you need help.")


class RescheduleTextInvalid(AppointmentError):
    field = "message"
    default_message = _l("Write which days and times suit you (at most 2,000 characters).")
