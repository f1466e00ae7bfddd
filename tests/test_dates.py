"""One date and time style on every site (issue 10, item 9): Babel's medium date and short time, in the
agency's zone and the reader's language, with "Today" and "Yesterday" in lists."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale

from portal_app.timefmt import local_dt, local_iso, local_when

NOV_26_2122_LA = datetime(2026, 11, 27, 5, 22, tzinfo=UTC)  # 9:22 PM on Nov 26 in Los Angeles


@pytest.fixture
def ctx(app, spanish):
    with app.test_request_context("/staff/"):
        yield


@pytest.fixture
def spanish():
    """The compiled Spanish catalogue (test_i18n builds it when missing)."""
    from tests.test_i18n import ES_MO

    assert ES_MO.exists()


@pytest.mark.parametrize(("lang", "expected"), [("en", "Nov 26, 2026, 9:22 PM"), ("es", "26 nov 2026, 21:22")])
def test_date_and_time_in_the_agency_zone_and_the_readers_language(ctx, lang, expected):
    with force_locale(lang):
        assert local_dt(NOV_26_2122_LA) == expected
        assert local_dt(NOV_26_2122_LA, "date") == expected.split(",")[0] + ("" if lang == "es" else ", 2026")
        assert local_dt(NOV_26_2122_LA, "time") == expected.rsplit(", ", 1)[1]


def test_naive_values_are_utc_and_none_is_empty(ctx):
    assert local_dt(NOV_26_2122_LA.replace(tzinfo=None)) == "Nov 26, 2026, 9:22 PM"  # as SQLite gives them back
    assert local_dt(None) == local_when(None) == local_iso(None) == ""
    assert local_iso(NOV_26_2122_LA) == "2026-11-26T21:22-08:00"


def test_a_plain_date_is_written_as_it_is(ctx):
    with force_locale("es"):
        assert local_dt(date(1984, 3, 9)) == "9 mar 1984"
    assert local_dt(date(1984, 3, 9)) == "Mar 9, 1984" and local_iso(date(1984, 3, 9)) == "1984-03-09"


@pytest.mark.parametrize(("lang", "today", "yesterday"), [("en", "Today, 1:00 AM", "Yesterday, 11:30 PM"),
                                                          ("es", "Hoy, 1:00", "Ayer, 23:30")])
def test_lists_say_today_and_yesterday_in_the_agency_zone(ctx, frozen_clock, lang, today, yesterday):
    now = frozen_clock.utcnow()  # Nov 22, 9:00 UTC: 1:00 AM in Los Angeles
    with force_locale(lang):
        assert local_when(now) == today
        # 7:30 UTC on Nov 22 is still 11:30 PM on Nov 21 in Los Angeles: yesterday there, today in UTC.
        assert local_when(now - timedelta(hours=1, minutes=30)) == yesterday
        older = local_when(now - timedelta(days=3))
        assert older == local_dt(now - timedelta(days=3)) and "2026" in older


def test_staff_and_portal_write_a_message_time_alike(app):
    """The same filters serve every site (the portal had its own "Nov 22, 2026 1:05 AM" without the comma)."""
    filters = app.jinja_env.filters
    assert filters["local_when"] is local_when and filters["local_dt"] is local_dt
    assert "portal_when" not in filters
