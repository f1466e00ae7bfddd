"""Organizations and the staff and partner people who sign in."""
