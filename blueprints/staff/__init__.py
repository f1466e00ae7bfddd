"""The staff intranet (/staff): case managers, supervisors, agency admins."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import account, admin, auth, clients, home, messages, operator, portal_manager, sharing  # noqa: E402,F401  (routes register on bp)
from . import documents, forms_admin, forms_editor  # noqa: E402,F401  (Documents tab; Account Administration › Forms)
from . import programs  # noqa: E402,F401  (Account Administration › Programs, the directory)
from . import kiosk, kiosks_admin  # noqa: F401  (hand-offs to kiosks; Account Administration › Locations, Kiosks)
