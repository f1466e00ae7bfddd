"""The demo's later domains, loaded after the people, clients, shares, portal accounts and forms exist.

Each domain keeps its own demo module (`<domain>/demo.py`); this list says in which order they load, so the
network a newcomer sees after `make run` has documents before the releases that rely on them, programs before
the referrals to them, and so on. Flushes, never commits.
"""
from __future__ import annotations

from typing import Any


def load_domains(agencies: list[Any], staff: dict[str, Any], clients: list[Any]) -> None:
    """Documents, releases of information, programs, goals, referrals ... of the demo agency (Riverside, the
    first of `agencies`, whose `staff` and `clients` these are); appointments ... of every demo agency."""
    from .appointments.demo import load_appointments
    from .documents.demo_documents import load_documents
    from .goals.demo import load_goals
    from .kiosk.demo import load_demo_kiosks
    from .programs.demo import load_programs
    from .referrals.demo import load_referrals
    from .requests.demo import load_requests
    from .roi.demo import load_rois

    load_documents(staff["casey"], clients[0])  # María: a completed consent and a draft intake
    load_rois(staff["casey"], clients[0])  # María: an expired and an active release (her Hope share relies on it)
    load_programs(staff["admin"])
    load_goals(staff["casey"], clients)  # María, James and Sam: open goals, one met
    load_requests(staff["casey"], clients[0], clients[10])  # requests in every status for María and Sam
    load_referrals(staff, clients)  # a few referrals in several statuses
    load_demo_kiosks(*agencies)  # two locations and an unpaired kiosk per agency
    load_appointments(agencies)  # every staff member's hours; appointments today and this week, forms due
