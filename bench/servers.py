"""Start the recommended stack on this machine for benchmarks and the two-server test:
gunicorn with ``gunicorn.conf.py`` and nginx with ``deploy/nginx-fazhi.conf`` (only the lines
marked ``# bench:`` are rewritten: upstream servers, listen port, server name, media).

Everything listens on 127.0.0.1 only; ``stop()`` ends exactly the processes started here.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def wait_for_port(port: int, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not port_free(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


class Gunicorn:
    """``port`` for everything; ``priority_port`` (default ``port`` + 1000) is the priority
    lane's address (gunicorn.conf.py), where nginx sends the exam submits."""

    def __init__(self, port: int, workers: int, env: dict, priority_port: int | None = None):
        self.priority_port = priority_port or port + 1000
        for p in (port, self.priority_port):
            if not port_free(p):
                raise SystemExit(f"port {p} is in use")
        self.port = port
        env = dict(
            env,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_PRIORITY_BIND=f"127.0.0.1:{self.priority_port}",
            GUNICORN_WORKERS=str(workers),
        )
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
        )
        wait_for_port(port)
        wait_for_port(self.priority_port)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def nginx_available() -> bool:
    return os.path.exists(NGINX)


class Nginx:
    def __init__(
        self,
        port: int,
        upstream_ports: list[int],
        media_root: Path | None = None,
        save_limit: int | None = None,
        priority_ports: list[int] | None = None,
    ):
        """``priority_ports``: the application servers' priority-lane addresses (the submits);
        by default ``upstream_ports`` + 1000, as ``Gunicorn`` binds them."""
        if priority_ports is None:
            priority_ports = [p + 1000 for p in upstream_ports]
        if not port_free(port):
            raise SystemExit(f"port {port} is in use")
        self.prefix = Path(tempfile.mkdtemp(prefix="fazhi-nginx-"))
        self.prefix.chmod(0o777)  # nginx workers run as nobody and write proxy temp files here
        site = (ROOT / "deploy/nginx-fazhi.conf").read_text()
        lines, upstream_done, priority_done = [], False, False
        self.save_limit = "none"
        for line in site.splitlines():
            if "# bench: upstream" in line:
                if not upstream_done:
                    lines += [
                        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"
                        for p in upstream_ports
                    ]
                    upstream_done = True
                continue
            if "# bench: priority-upstream" in line:
                if not priority_done:
                    lines += [
                        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"
                        for p in priority_ports
                    ]
                    priority_done = True
                continue
            if "# bench: listen" in line:
                line = f"    listen 127.0.0.1:{port} backlog=4096;"
            elif "# bench: save-limit" in line:
                if save_limit is not None:
                    line = re.sub(r"fazhi_saves \d+;", f"fazhi_saves {save_limit};", line)
                    if save_limit <= 0:
                        continue  # no door
                self.save_limit = re.search(r"fazhi_saves (\d+);", line).group(1)
            elif "# bench: server_name" in line:
                line = "    server_name 127.0.0.1 localhost;"
            elif "# bench: media" in line:
                if media_root is None:
                    continue
                line = re.sub(r"/srv/fazhi/media/", f"{media_root}/", line)
            lines.append(line)
        (self.prefix / "site.conf").write_text("\n".join(lines) + "\n")
        (self.prefix / "nginx.conf").write_text(
            f"""worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    client_body_temp_path {self.prefix}/body;
    proxy_temp_path {self.prefix}/proxy;
    fastcgi_temp_path {self.prefix}/fastcgi;
    uwsgi_temp_path {self.prefix}/uwsgi;
    scgi_temp_path {self.prefix}/scgi;
    include {self.prefix}/site.conf;
}}
"""
        )
        self.port = port
        self.process = subprocess.Popen(
            [
                NGINX,
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(port, timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)
