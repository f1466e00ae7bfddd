"""gunicorn settings shared by `make run` and the production command (`gunicorn -c gunicorn.conf.py ...`).

Bind address, workers and threads stay on the command line.
"""
# Access log: the path without its query string (the client search puts names in it) and with
# signed-link tokens cut (S5, S14).
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
logger_class = "portal_app.gunicorn_logging.TokenCuttingLogger"
# gunicorn 27 opens a control socket in the home folder, shared by every gunicorn of that user:
# none here (older versions ignore the setting; pyproject.toml keeps gunicorn below 27 anyway).
control_socket_disable = True
