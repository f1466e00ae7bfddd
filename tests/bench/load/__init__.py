"""`make bench-load`: Caseport under gunicorn at demo size and 10k, against hello-world (issue 8, P4/P6)."""
