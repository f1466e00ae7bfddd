"""The README's production section, followed as written: two instances behind one address.

The blocks are read from README.md (so the README cannot drift from what works): the settings file,
`flask db upgrade`, `flask create-admin --operator`, the self-signed certificate, two gunicorn
instances and the outbox worker, and nginx's configuration. Only what a test machine cannot use is
replaced, each replacement checked to be present: paths under /etc and /var (a temporary folder),
the ports (free ones), the database (a temporary PostgreSQL database, dropped afterwards) and the
Redis database number. The install block is checked, not run (it would reinstall the shared
environment that `make setup` and CI install from the same lock file).

Through nginx's one address: the operator creates an agency, its administrator's session works on
both instances; a person failing sign-ins from 127.0.0.2 is throttled at the configured limit
although nginx spread the attempts over both instances (Redis shares the counts), while a person at
127.0.0.3 signs in meanwhile (counts per person, not per proxy); the audit trail records 127.0.0.2,
never the proxy's address. Client sockets bind their source address (Linux routes 127/8 to lo).
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.deploy.walkthrough import (
    PASSWORD,
    ROOT,
    Browser,
    Processes,
    commands,
    free_port,
    readme_block,
    replaced,
    run,
    wait_until_up,
)

VENV_BIN = Path(sys.executable).parent
PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}
REDIS_DB = 14  # the suite's own throttles use 0 (memory) or 15 (CI's PostgreSQL pass)
OPERATOR = "operator@caseport.example.org"
ADMIN = "admin@harbor.example.org"
SIGN_IN_LIMIT = 6  # per address and minute; unshared counters would let 2 x 6 through two instances


def _unavailable(reason: str) -> None:
    """CI must run this test: missing pieces fail there, and skip on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


# --- the deployment ----------------------------------------------------------------------------

@dataclass
class Deployment:
    https_port: int
    http_port: int
    instance_ports: tuple[int, int]
    database_url: str
    access_log: Path
    procs: Processes

    def browser(self, source: str) -> Browser:
        return Browser(self.https_port, source)

    def access_lines(self, source: str, containing: str, at_least: int) -> list[str]:
        """nginx's access log lines of requests from `source` containing `containing`.

        nginx writes a line once the response is sent, so the newest may lag the client by a moment.
        """
        deadline = time.monotonic() + 10
        while True:
            lines = [line for line in self.access_log.read_text().splitlines()
                     if line.startswith(f"{source} ") and containing in line]
            if len(lines) >= at_least or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)

    def sql(self, query: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url.replace("postgresql+psycopg", "postgresql")) as conn:
            return conn.execute(query).fetchall()


def _prerequisites() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        _unavailable("nginx is not installed (apt-get install -y nginx)")
    if shutil.which("openssl") is None:
        _unavailable("openssl is not installed")
    import psycopg
    import redis

    try:
        psycopg.connect(**PG_ADMIN, connect_timeout=3).close()
    except psycopg.Error as err:
        _unavailable(f"PostgreSQL is not reachable as postgres@127.0.0.1:5432 ({err})")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=3).ping()
    except redis.RedisError as err:
        _unavailable(f"Redis is not reachable on 127.0.0.1:6379 ({err})")
    return nginx


def _settings(tmp: Path, https_port: int, database_url: str) -> dict[str, str]:
    """Step 3's settings block, run by bash as written; the environment it leaves behind."""
    block = replaced(readme_block("sh", "CASEPORT_ENV=production"), {
        "/etc/caseport": f"{tmp}/etc/caseport",
        "/var/lib/caseport": f"{tmp}/var/lib/caseport",
        "postgresql+psycopg://caseport:change-this-db-password@127.0.0.1:5432/caseport": database_url,
        "redis://127.0.0.1:6379/0": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "https://caseport.example.org": f"https://127.0.0.1:{https_port}",
    })
    shell = {"PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(tmp),
             "LANG": "C.UTF-8", "VIRTUAL_ENV": str(VENV_BIN.parent)}  # step 2's `. .venv/bin/activate`
    out = subprocess.run(["bash", "-euo", "pipefail", "-c", block + "\nenv -0"], cwd=ROOT, env=shell,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"the settings block failed:\n{out.stderr}"
    env = dict(item.split("=", 1) for item in out.stdout.split("\0") if "=" in item)
    # An operator's setting (README, Configuration): a low limit keeps the number of argon2 checks small.
    env["LOGIN_RATE_LIMIT"] = f"{SIGN_IN_LIMIT} per minute"
    for name in ("SECRET_KEY", "AUDIT_HMAC_KEY", "DATABASE_URL", "AUDIT_CHECKPOINT_DIR", "PUBLIC_BASE_URL", "SEAL_KEY_FILE",
                 "SEAL_CERT_FILE"):
        assert env.get(name), f"the README's settings set no {name}"
    assert env["CASEPORT_ENV"] == "production" and env["TRUSTED_PROXIES"] == "1"
    assert env["RATELIMIT_STORAGE_URI"].startswith("redis://") and env["SECRET_KEY"] != env["AUDIT_HMAC_KEY"]
    return env


def _nginx_conf(tmp: Path, https_port: int, http_port: int, ports: tuple[int, int], ssl_dir: Path) -> Path:
    site = replaced(readme_block("nginx", "upstream caseport"), {
        "server 127.0.0.1:8001;": f"server 127.0.0.1:{ports[0]};",
        "server 127.0.0.1:8002;": f"server 127.0.0.1:{ports[1]};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "/etc/ssl/caseport": str(ssl_dir),
        "/var/log/nginx/caseport.access.log": str(tmp / "nginx" / "access.log"),
    })
    (tmp / "nginx").mkdir()
    (tmp / "nginx" / "caseport.conf").write_text(site)
    # What Debian's /etc/nginx/nginx.conf provides around conf.d/, in one foreground process.
    main = tmp / "nginx" / "nginx.conf"
    temp = {name: tmp / "nginx" / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    main.write_text(textwrap.dedent(f"""\
        daemon off;
        master_process off;
        pid {tmp}/nginx/nginx.pid;
        events {{ worker_connections 128; }}
        http {{
            client_body_temp_path {temp['body']};
            proxy_temp_path {temp['proxy']};
            fastcgi_temp_path {temp['fastcgi']};
            uwsgi_temp_path {temp['uwsgi']};
            scgi_temp_path {temp['scgi']};
            include {tmp}/nginx/caseport.conf;
        }}
    """))
    return main


def _healthy(browser: Browser) -> None:
    status = browser.request("GET", "/healthz")[0]
    if status != 200:
        raise ConnectionError(f"/healthz answered {status}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    nginx = _prerequisites()
    import psycopg
    import redis

    tmp = tmp_path_factory.mktemp("deploy")
    procs = Processes(tmp / "logs")
    procs.logs.mkdir()
    database = f"caseport_deploy_{os.getpid()}_{int(time.time())}"
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
    throttles = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    throttles.flushdb()
    with psycopg.connect(**PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        https_port, http_port, ports = free_port(), free_port(), (free_port(), free_port())
        env = _settings(tmp, https_port, database_url)

        install = readme_block("sh", "pybabel compile")
        assert "--require-hashes -r requirements/lock.txt" in install and ". .venv/bin/activate" in install

        for argv in commands(readme_block("sh", "flask db upgrade")):
            operator = argv[:2] == ["flask", "create-admin"]
            run(argv, env, stdin=f"{OPERATOR}\nOpal\nOperator\n{PASSWORD}\n{PASSWORD}\n" if operator else None)

        ssl_dir = tmp / "ssl"
        cert = replaced(readme_block("sh", "install -d -m 700 /etc/ssl/caseport"), {"/etc/ssl/caseport": str(ssl_dir)})
        run(["bash", "-euo", "pipefail", "-c", cert], env)

        started = replaced(readme_block("sh", "gunicorn -c gunicorn.conf.py"), {
            "127.0.0.1:8001": f"127.0.0.1:{ports[0]}", "127.0.0.1:8002": f"127.0.0.1:{ports[1]}"})
        gunicorns = [argv for argv in commands(started) if argv[0] == "gunicorn"]
        workers = [argv for argv in commands(started) if argv[:2] == ["flask", "outbox-worker"]]
        assert len(gunicorns) == 2 and len(workers) == 1, "two instances and one worker"
        for n, argv in enumerate(gunicorns):
            procs.start(f"instance-{n + 1}", argv, env)
        procs.start("outbox-worker", workers[0], env)
        for port in ports:
            wait_until_up(lambda port=port: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close(),
                          f"the instance on port {port}", procs)

        conf = _nginx_conf(tmp, https_port, http_port, ports, ssl_dir)
        prefix = ["-p", str(tmp / "nginx"), "-e", str(tmp / "logs" / "nginx-error.log"), "-c", str(conf)]
        run([nginx, "-t", *prefix], env)
        procs.start("nginx", [nginx, *prefix], env)
        deployment = Deployment(https_port, http_port, ports, database_url, tmp / "nginx" / "access.log", procs)
        wait_until_up(lambda: _healthy(deployment.browser("127.0.0.1")), "nginx", procs)

        # Step 7's end: the operator signs in and creates the first agency with its administrator.
        operator = deployment.browser("127.0.0.5")
        assert operator.sign_in(OPERATOR) == 302, procs.tails()
        token = operator.csrf("/staff/operator/agencies/new")
        status, headers, page = operator.request("POST", "/staff/operator/agencies/new", {
            "name": "Harbor Services", "licence_seats": "10", "admin_email": ADMIN, "admin_first_name": "Ada",
            "admin_last_name": "Admin", "admin_password": PASSWORD, "csrf_token": token})
        assert status == 302 and headers["Location"].endswith("/staff/operator/agencies"), (
            re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', page), procs.tails())
        yield deployment
    finally:
        procs.stop_all()
        with psycopg.connect(**PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        throttles.flushdb()
        throttles.close()


def _instances(lines: list[str]) -> set[str]:
    return {m.group(1) for line in lines if (m := re.search(r"upstream=127\.0\.0\.1:(\d+)", line))}


def test_a_staff_session_works_on_both_instances(deployment):
    staff = deployment.browser("127.0.0.4")
    assert staff.sign_in(ADMIN) == 302
    pages = [staff.request("GET", "/staff/account") for _ in range(6)]
    assert [status for status, _h, _p in pages] == [200] * 6
    assert all(ADMIN in page for _s, _h, page in pages)
    lines = deployment.access_lines("127.0.0.4", '"GET /staff/account" 200', at_least=6)
    assert _instances(lines) == {str(p) for p in deployment.instance_ports}, lines


def test_failed_sign_ins_are_throttled_per_person_across_both_instances(deployment):
    limit = SIGN_IN_LIMIT
    attacker = deployment.browser("127.0.0.2")
    token = attacker.csrf("/staff/login")
    statuses = []
    for n in range(limit + 1):
        # A forged X-Forwarded-For changes nothing: nginx replaces it with the address it saw.
        statuses.append(attacker.request("POST", "/staff/login", {
            "email": f"nobody{n}@deploy.test", "password": "not the password", "csrf_token": token},
            **{"X-Forwarded-For": f"203.0.113.{n}"})[0])
    assert statuses == [401] * limit + [429], statuses
    posts = deployment.access_lines("127.0.0.2", '"POST /staff/login"', at_least=limit + 1)
    assert _instances(posts) == {str(p) for p in deployment.instance_ports}, posts

    colleague = deployment.browser("127.0.0.3")  # someone else, same proxy, at the same moment
    assert colleague.sign_in(ADMIN) == 302
    assert colleague.request("GET", "/staff/account")[0] == 200

    failed = deployment.sql("SELECT ip FROM audit_event WHERE action = 'auth.login_failed'")
    assert [ip for (ip,) in failed] == ["127.0.0.2"] * limit
    signed_in = {ip for (ip,) in deployment.sql("SELECT ip FROM audit_event WHERE action = 'auth.login'")}
    assert "127.0.0.3" in signed_in
    proxies = deployment.sql("SELECT count(*) FROM audit_event WHERE ip = '127.0.0.1' OR ip LIKE '203.0.113.%'")
    assert proxies == [(0,)], "the audit trail recorded the proxy's address or a forged one"


def test_nginx_redirects_plain_http_and_logs_no_signed_link_token(deployment):
    conn = http.client.HTTPConnection("127.0.0.1", deployment.http_port, source_address=("127.0.0.6", 0), timeout=10)
    conn.request("GET", "/staff/login?next=/staff/")
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 301 and resp.headers["Location"].startswith("https://")
    deployment.browser("127.0.0.6").request("GET", "/links/reset/SeCrEtToKeN.abc.def?x=1")
    log = "\n".join(deployment.access_lines("127.0.0.6", "", at_least=2))  # the redirect and the link
    assert "/links/reset/[cut]" in log and "SeCrEtToKeN" not in log and "next=" not in log, log
