"""Appointments and staff availability: weekly hours and exceptions, appointments of clients, forms due."""
