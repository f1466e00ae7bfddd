"""Secure messaging between staff and clients or their representatives, and mass sending."""
