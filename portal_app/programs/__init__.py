"""Programs directory: programs of organizations, their locations and claimers; HSDS 3.0 import/export/API."""
