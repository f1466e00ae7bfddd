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


# A worker serves `threads` requests at once; connections beyond that only wait in it. Left at gunicorn's
# default (1000 per worker), whichever worker is idle when a burst of keep-alive connections arrives takes
# nearly all of them, and keeps them: under 16 connections one worker held 14 and the other 2, so a page's
# p95 doubled while the idle worker's threads waited (issue 8). At most twice its threads per worker (8 for
# `--threads 4`), a worker that is full leaves new connections to the others; beyond that in total, a
# connection waits in the listen queue for a few milliseconds, since a worker closes the keep-alive
# connections it cannot hold idle (more than `worker_connections - threads`) once their answer is sent.
CONNECTIONS_PER_THREAD = 2


def _connections_follow_threads(server):
    """`worker_connections` = 2 x `threads`, unless the command line or this file set another value."""
    setting = server.cfg.settings["worker_connections"]
    if server.cfg.threads > 1 and setting.value == setting.default:
        server.cfg.set("worker_connections", CONNECTIONS_PER_THREAD * server.cfg.threads)


def on_starting(server):
    _connections_follow_threads(server)


def on_reload(server):
    _connections_follow_threads(server)


def post_worker_init(worker):
    """One line when a worker has loaded the app and starts accepting: an operator sees each worker come up,
    and the load benchmark waits for all of them (a keep-alive connection stays with the worker that
    accepted it, so a run started while one worker was still loading would be served by the others alone)."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)
