"""Referrals (seed 004): a seeker referred by a helper to a program, its FHIR Task status, history, notes."""
