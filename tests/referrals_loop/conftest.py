"""The referral world of tests/referrals (a case manager's referral of Maria to a partner program)."""
from tests.referrals.conftest import ref  # noqa: F401  (the fixture, shared)
