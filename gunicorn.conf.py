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


def post_worker_init(worker):
    """One line when a worker has loaded the app and starts accepting: an operator sees each worker come up,
    and the load benchmark waits for all of them (a keep-alive connection stays with the worker that
    accepted it, so a run started while one worker was still loading would be served by the others alone)."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)
