"""Goal test data (flushed, not committed), written directly: no audit event comes with it."""
from __future__ import annotations

from portal_app.accounts.models import User
from portal_app.clients.models import Client
from portal_app.clock import utcnow
from portal_app.extensions import db
from portal_app.goals.models import Goal, GoalStatus


def goal(client: Client, created_by: User, title: str = "Find stable housing", *, domain: str = "housing",
         status: str = GoalStatus.OPEN, **kw) -> Goal:
    """A goal of the client; a closed one says who closed it (created_by) and when."""
    row = Goal(client=client, created_by_id=created_by.id, title=title, domain=domain, status=status, **kw)
    if status != GoalStatus.OPEN:
        row.status_changed_by_id, row.status_changed_at = created_by.id, kw.get("status_changed_at") or utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def goals(client: Client, created_by: User, count: int, closed_every: int = 3) -> None:
    """`count` goals of the client in one insert, every `closed_every`-th one met (query-count tests)."""
    now = utcnow()
    db.session.execute(Goal.__table__.insert(), [
        {"client_id": client.id, "created_by_id": created_by.id, "title": f"Goal {i}", "description": "",
         "domain": "other", "status": GoalStatus.MET if i % closed_every == 0 else GoalStatus.OPEN,
         "status_changed_by_id": created_by.id if i % closed_every == 0 else None,
         "status_changed_at": now if i % closed_every == 0 else None,
         "created_at": now, "updated_at": now, "version_id": 1}
        for i in range(count)])
