"""Forms of the public links site (/links)."""
