"""Clients of an agency: who they are, their photo and their care team."""
