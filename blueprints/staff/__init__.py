"""The staff intranet (/staff): case managers, supervisors, agency admins."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import account, admin, auth, clients, home, messages, operator, portal_manager, sharing  # noqa: E402,F401  (routes register on bp)
from . import documents, forms_admin, forms_editor  # noqa: E402,F401  (Documents tab; Account Administration › Forms)
from . import programs  # noqa: E402,F401  (Account Administration › Programs, the directory)
from . import goals  # noqa: E402,F401  (client profile › Goals)
from . import roi  # noqa: E402,F401  (client record › Release of Information history)
from . import referrals  # noqa: E402,F401  (a client's Referrals, Start a Referral, a referral's page)
from . import appointments, availability  # noqa: E402,F401  (calendars, appointments; staff availability)
from . import document_categories, requests  # noqa: E402,F401  (Client Portal Requests; Account Administration › Document Categories)
from . import kiosk, kiosks_admin  # noqa: F401  (hand-offs to kiosks; Account Administration › Locations, Kiosks)
from . import referral_goals  # noqa: E402,F401  (Add to a Goal, goal met after "Got help")
from . import people  # noqa: F401  (People I'm Helping)
