"""The demo directory: programs of both demo partners and more organizations around 97401-97404."""
from __future__ import annotations

from portal_app.demo import load_demo
from portal_app.programs.search import DirectoryQuery, search_directory


def test_demo_finds_programs_with_mixed_capacity_near_the_clients():
    assert load_demo()
    for zip_code in ("97401", "97402", "97403", "97404"):
        result = search_directory(DirectoryQuery(zip_code, miles=10))
        assert result.total >= 6
    hits = search_directory(DirectoryQuery("97401", miles=10)).hits
    organizations = {h.program.organization.name for h in hits}
    assert {"Hope Counseling Center", "Bridgeway Recovery Program"} <= organizations
    capacities = [h.program.capacity for h in hits]
    assert {"accepting", "waitlist", "not_accepting", "assessment_required"} <= set(capacities)
    assert capacities.index("accepting") < capacities.index("not_accepting")
    bridgeway = next(h.program for h in hits if h.program.organization.name == "Bridgeway Recovery Program")
    assert [m.user.email for m in bridgeway.members]  # the partner's user is a claimer
