"""Releases of information: what a client authorized the agency to share, with whom, until when."""
