"""Waiting-room kiosks: agency locations, paired tablets, documents handed to a tablet for one client."""
