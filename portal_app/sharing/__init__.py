"""Sharing a client with partner organizations: service providers, shares, contacts, Needs Review."""
