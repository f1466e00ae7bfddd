"""Open Referral HSDS 3.0: the official schemas (schema/), validation, import, export and API shapes."""
