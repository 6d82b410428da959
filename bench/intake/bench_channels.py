"""Benchmark of the messaging channels' inbound webhook: signature check, store, enqueue.

Starts PostgreSQL (bin/start-postgres), a fresh database ``safeguard_bench_channels``, gunicorn
on 127.0.0.1 and one ``manage.py run_worker``. A generic JSON channel (HMAC-signed webhook,
decision 125) is created; its outbound address is a fake gateway on loopback inside this
process, so the worker's answers go nowhere outside. Fictional senders then post signed
messages for ``--seconds``; half-way through, the worker is killed (SIGKILL, as a crash would)
and a new one started. Afterwards the benchmark waits for the queue to drain and checks that
every accepted message was stored once and processed, and that every answer was sent.

Prints accepted messages/s and p50/p99 latency of the webhook (the worker's share of the CPU
included), then the loss check. Target on 2 cores: ≥ 100 messages/s, p99 < 250 ms, nothing lost.

    .venv/bin/python bench/intake/bench_channels.py               # 30 s, 2 gthread workers × 4 threads
    .venv/bin/python bench/intake/bench_channels.py --seconds 10 --clients 8
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "safeguard_bench_channels"
TARGET_RATE, TARGET_P99_MS = 100.0, 250.0
SECRET = "bench-hmac-secret-fictional"  # noqa: S105 - a fictional secret of a throwaway database
KEY = "bench-channel-webhook-key-0123456789abcdefghijklmnopq"
TEXTS = [
    "Hello",
    "1",
    "A fictional child sells flowers at night at Demo Market.",
    "Spain",
    "Demo Town",
    "2",
    "0",
]


class Gateway:
    """The generic channel's outbound side: counts what the worker sends."""

    def __init__(self) -> None:
        self.received = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                gateway.received += 1
                data = json.dumps({"id": f"gw-{gateway.received}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/out"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def signed(message_id: str, sender: str, text: str) -> tuple[bytes, str, str]:
    body = json.dumps({"id": message_id, "from": sender, "text": text}).encode()
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, timestamp, f"sha256={digest}"


async def post(port: int, message_id: str, sender: str, text: str) -> int:
    body, timestamp, signature = signed(message_id, sender, text)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST /channels/in/{KEY}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Safeguard-Timestamp: {timestamp}\r\nX-Safeguard-Signature: {signature}\r\n"
        f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    return int(response.split(b" ", 2)[1])


async def load(
    port: int, seconds: float, clients: int, tag: str
) -> tuple[list[float], dict[int, int], float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds

    async def client(seed: int) -> None:
        rng = random.Random(seed)
        n = 0
        while time.perf_counter() < deadline:
            sender = f"+3460{rng.randrange(10**7):07d}"
            for text in TEXTS:  # one conversation, message after message
                n += 1
                started = time.perf_counter()
                try:
                    status = await post(port, f"{tag}-{seed}-{n}", sender, text)
                except OSError:
                    status = 0
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                if time.perf_counter() >= deadline:
                    break

    started = time.perf_counter()
    await asyncio.gather(*(client(seed) for seed in range(clients)))
    return latencies, statuses, time.perf_counter() - started


def wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    """Until a worker answers a real request (booting under load can take a minute or more)."""

    async def ask() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        await writer.drain()
        answer = await reader.read()
        writer.close()
        return answer

    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if asyncio.run(asyncio.wait_for(ask(), 30)).startswith(b"HTTP/1.1"):
                return
        except (OSError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn never answered")


def prepare_database() -> str:
    base = subprocess.run([str(ROOT / "bin" / "start-postgres")], check=True, capture_output=True, text=True)
    url = base.stdout.strip().splitlines()[-1]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return url.rsplit("/", 1)[0] + "/" + DATABASE


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "run_worker",
            "--interval",
            "0.1",
            "--reap-interval",
            "1",
            "-v",
            "0",
        ],
        env=env,
        cwd=ROOT,
    )


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT direction, status, count(*) FROM intake_channelmessage GROUP BY direction, status"
        ).fetchall()
        waiting = connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        ).fetchone()[0]
    found = {f"{direction}:{status}": number for direction, status, number in rows}
    found["tasks waiting"] = waiting
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warm-up", type=float, default=10.0)
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = Gateway()
    url = prepare_database()
    env = {
        **os.environ,
        "SAFEGUARD_DATABASE_URL": url,
        "SAFEGUARD_DEBUG": "0",
        "SAFEGUARD_SECURE_COOKIES": "0",
        "SAFEGUARD_CHANNEL_SENDER_RATE": "1000000/m",
        "SAFEGUARD_LOG_LEVEL": "WARNING",
        "SAFEGUARD_TASKS_RUNNING_TIMEOUT": "5",  # a killed worker's task is queued again after 5 s
    }
    env.setdefault("SAFEGUARD_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    env.setdefault("SAFEGUARD_FIELD_KEYS", "b1:" + base64.b64encode(os.urandom(32)).decode())
    env.setdefault("SAFEGUARD_BLIND_INDEX_KEY", base64.b64encode(os.urandom(32)).decode())
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from safeguard.accounts.models import Organisation as O; "
            "from safeguard.intake.channels.models import MessagingChannel as C; "
            "o, _ = O.objects.get_or_create(slug='bench-hotline', defaults={'name': 'Bench Hotline (fictional)', "
            "'kind': 'hotline', 'country': 'ES'}); "
            f"C.objects.create(organisation=o, name='Bench gateway', provider='generic', address='+34900000000', "
            f"webhook_key='{KEY}', languages=['en', 'es', 'fr'], outbound_url='{gateway.url}', "
            f"credentials={{'hmac_secret': '{SECRET}'}})",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "safeguard.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - shared memory, as bin/serve does
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    worker = start_worker(env)
    restarted: list[subprocess.Popen[bytes]] = []
    try:
        wait_until_serving(port, server)
        asyncio.run(load(port, args.warm_up, args.clients, "warm"))

        def crash_and_restart() -> None:
            time.sleep(args.seconds / 2)
            worker.send_signal(signal.SIGKILL)  # a crash mid-task, not a clean stop
            worker.wait()
            restarted.append(start_worker(env))

        killer = threading.Thread(target=crash_and_restart)
        killer.start()
        latencies, statuses, elapsed = asyncio.run(load(port, args.seconds, args.clients, "run"))
        killer.join()
        drained_at = time.perf_counter()
        for _ in range(600):
            found = counts(url)
            if (
                found.get("in:received", 0) == 0
                and found.get("out:queued", 0) == 0
                and found["tasks waiting"] == 0
            ):
                break
            time.sleep(0.5)
        drain_seconds = time.perf_counter() - drained_at
    finally:
        server.terminate()
        server.wait(timeout=30)
        for process in [worker, *restarted]:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    accepted = statuses.get(200, 0)
    cuts = statistics.quantiles(latencies, n=100)
    found = counts(url)
    stored = sum(number for name, number in found.items() if name.startswith("in:"))
    warm_and_run = stored  # every accepted message of the warm-up and the run
    print(
        f"cores: {os.cpu_count()}, gunicorn workers: {args.workers} × {args.threads} threads, one task worker "
        f"(killed and restarted at {args.seconds / 2:.0f} s), clients: {args.clients}, "
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        f"duration: {elapsed:.1f} s, requests: {len(latencies)}, statuses: {dict(sorted(statuses.items()))}"
    )
    print(f"accepted: {accepted} messages, {accepted / elapsed:.1f} messages/s")
    print(f"latency: p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms, max {max(latencies):.1f} ms")
    print(f"queue drained {drain_seconds:.1f} s after the load; messages by direction:status: {found}")
    lost = found.get("in:received", 0) + found.get("out:queued", 0) + found.get("out:failed", 0)
    print(
        f"stored inbound (warm-up and run): {warm_and_run}, processed: {found.get('in:processed', 0)}, "
        f"answers sent: {found.get('out:sent', 0)}, received by the gateway: {gateway.received}, not done: {lost}"
    )
    ok = accepted / elapsed >= TARGET_RATE and cuts[98] < TARGET_P99_MS and lost == 0
    ok = ok and found.get("in:processed", 0) == warm_and_run
    print(
        ("PASS" if ok else "FAIL")
        + f" (target ≥ {TARGET_RATE:.0f} messages/s, p99 < {TARGET_P99_MS:.0f} ms, nothing lost)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
