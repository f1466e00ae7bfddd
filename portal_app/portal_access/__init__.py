"""Client portal accounts: invitations, who may act for which client, per-representative visibility."""
