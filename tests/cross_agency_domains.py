"""The cross-agency matrix cases each later domain keeps beside its own tests, gathered in one place."""
from __future__ import annotations

from tests.cross_agency_appointments import (
    APPOINTMENT_FORM_CASES,
    APPOINTMENT_PATH_CASES,
)
from tests.cross_agency_requests import REQUEST_FORM_CASES, REQUEST_PATH_CASES
from tests.goals.cross_agency import GOAL_PATH_CASES
from tests.kiosk import cross_agency_cases as kiosk_cases
from tests.referrals.cross_agency import REFERRAL_FORM_CASES, REFERRAL_PATH_CASES
from tests.roi.cross_agency import ROI_PATH_CASES

DOMAIN_PATH_CASES = {**GOAL_PATH_CASES, **ROI_PATH_CASES, **REFERRAL_PATH_CASES, **APPOINTMENT_PATH_CASES,
                     **REQUEST_PATH_CASES, **kiosk_cases.PATH_CASES}
DOMAIN_FORM_CASES = {**APPOINTMENT_FORM_CASES, **REQUEST_FORM_CASES, **kiosk_cases.FORM_CASES, **REFERRAL_FORM_CASES}
