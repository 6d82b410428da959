"""Benchmark of public reporting: POST /api/v1/public/reports against gunicorn and PostgreSQL.

Starts PostgreSQL (bin/start-postgres), creates a fresh database ``safeguard_bench``, migrates
it, starts gunicorn on 127.0.0.1 and posts synthetic, fictional reports from an asyncio load
generator (plain sockets, a new connection per report as a phone would open) for ``--seconds``
after ``--warm-up`` seconds of unmeasured load.
Prints accepted reports/s, p50/p99 latency, and then checks that every 201's reference is in the
database. Target on 2 cores: ≥ 200 reports/s, p99 < 250 ms, nothing lost.

    .venv/bin/python bench/intake/bench_reports.py        # 60 s, 2 gthread workers × 4 threads, 16 clients
    .venv/bin/python bench/intake/bench_reports.py --seconds 10 --workers 4 --threads 1 --clients 16

It also prints how busy the machine was and how much of it the load generator itself used.
Settings compared on 2 cores: docs/decisions/011-intake-throughput.md.

The public-report rate limit stays on (raised for the benchmark's single client address), so
every request pays for its cache-based throttle as it would in production.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "safeguard_bench"
TARGET_RATE, TARGET_P99_MS = 200.0, 250.0

NARRATIVES = [
    "A girl of about {age} sells sweets late at night near the fictional {place}; a man collects the money.",
    "Teenagers work at the fictional {place} instead of school; a van brings them at dawn.",
    "An advert promises study abroad and asks for passports; the fictional recruiter met them at {place}.",
    "A boy of about {age} begs at {place} every day and an adult who is not family answers for him.",
]
PLACES = ["Plaza Inventada", "Example Farm", "Nowhere Station", "Café Imaginario", "Demo Market"]
INDICATORS = ["out_of_school", "withholding_of_wages", "isolation", "deception", "excessive_overtime"]


def report_body(rng: random.Random, n: int) -> bytes:
    age = rng.randint(6, 17)
    body = {
        "narrative": rng.choice(NARRATIVES).format(age=age, place=rng.choice(PLACES)) + f" (bench {n})",
        "country": "ES",
        "subdivision": rng.choice(["ES-MD", "ES-B", "ES-SE", ""]),
        "children": [{"age": age, "gender": rng.choice(["Feminine", "Masculine", "NonSpecifiedUnknown"])}],
        "identifiers": [
            {"kind": "phone", "value": f"+44 7700 900{rng.randint(0, 999):03d}"},
            {"kind": "handle", "value": f"@demo_{rng.randint(0, 5000)}"},
        ],
        "indicators": rng.sample(INDICATORS, rng.randint(0, 3)),
        "exploitation_types": [rng.choice(["ForcedLabour", "ChildLabour", "ForcedBegging", "DontKnow"])],
        "child_in_danger": rng.random() < 0.05,
    }
    return json.dumps(body).encode()


async def post(port: int, body: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /api/v1/public/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    status = int(response.split(b" ", 2)[1])
    return status, response.split(b"\r\n\r\n", 1)[1]


async def load(
    port: int, seconds: float, clients: int
) -> tuple[list[float], dict[int, int], list[str], float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    references: list[str] = []
    deadline = time.perf_counter() + seconds
    counter = 0

    async def client(seed: int) -> None:
        nonlocal counter
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            counter += 1
            body = report_body(rng, counter)
            started = time.perf_counter()
            try:
                status, payload = await post(port, body)
            except OSError:
                status, payload = 0, b""
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                references.append(json.loads(payload)["reference"])

    started = time.perf_counter()
    await asyncio.gather(*(client(seed) for seed in range(clients)))
    return latencies, statuses, references, time.perf_counter() - started


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [float(value) for value in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def prepare_database() -> str:
    base = subprocess.run([str(ROOT / "bin" / "start-postgres")], check=True, capture_output=True, text=True)
    url = base.stdout.strip().splitlines()[-1]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return url.rsplit("/", 1)[0] + "/" + DATABASE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="> 1: gthread workers with this many threads")
    parser.add_argument("--warm-up", type=float, default=10.0, help="seconds of load before measuring")
    parser.add_argument("--port", type=int, default=0, help="0: pick a free port")
    args = parser.parse_args()

    if not args.port:
        with socket.socket() as probe:  # a free port, so we never load someone else's server
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    url = prepare_database()
    env = {
        **os.environ,
        "SAFEGUARD_DATABASE_URL": url,
        "SAFEGUARD_DEBUG": "0",
        "SAFEGUARD_SECURE_COOKIES": "0",
        "SAFEGUARD_PUBLIC_REPORT_RATE": "1000000/m",
        "SAFEGUARD_LOG_LEVEL": "WARNING",
    }
    env.setdefault("SAFEGUARD_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    env.setdefault("SAFEGUARD_FIELD_KEYS", "b1:" + base64.b64encode(os.urandom(32)).decode())
    env.setdefault("SAFEGUARD_BLIND_INDEX_KEY", base64.b64encode(os.urandom(32)).decode())
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "createcachetable"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from safeguard.accounts.models import Organisation as O; "
            "O.objects.get_or_create(slug='bench-hotline', defaults={'name': 'Bench Hotline (fictional)', 'kind': 'hotline', 'country': 'ES'})",
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
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - shared memory, as bin/serve does
            "--log-level",
            "warning",
            "--backlog",
            "512",
            *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {server.returncode}")
            try:
                asyncio.run(asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 1))
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up: every worker imports the URLconf and the views on its first request (several
        # seconds of CPU each when bytecode is not cached) and opens its database connection.
        asyncio.run(load(args.port, args.warm_up, args.clients))
        with psycopg.connect(url) as connection:
            before = connection.execute("SELECT count(*) FROM intake_report").fetchone()[0]
        cpu_before, busy_before = time.process_time(), machine_cpu()
        latencies, statuses, references, elapsed = asyncio.run(load(args.port, args.seconds, args.clients))
        client_cpu = (time.process_time() - cpu_before) / elapsed
        machine_busy, machine_total = (
            now - then for now, then in zip(machine_cpu(), busy_before, strict=True)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    accepted = statuses.get(201, 0)
    rate = accepted / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    p50, p99 = cuts[49], cuts[98]
    with psycopg.connect(url) as connection:
        stored = {row[0] for row in connection.execute("SELECT reference FROM intake_report")}
        after = len(stored)
    missing = [reference for reference in references if reference not in stored]
    print(
        f"cores: {os.cpu_count()}, gunicorn workers: {args.workers} × {args.threads} threads, "
        f"clients: {args.clients}, load average: "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        f"duration: {elapsed:.1f} s, requests: {len(latencies)}, statuses: {dict(sorted(statuses.items()))}"
    )
    print(f"accepted: {accepted} reports, {rate:.1f} reports/s")
    cores = os.cpu_count() or 1
    print(
        f"CPU: machine {machine_busy / machine_total * 100:.0f}% busy of {cores} cores; "
        f"this load generator used {client_cpu:.2f} core ({client_cpu / cores * 100:.0f}% of the machine)"
    )
    print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms")
    print(f"in database: {after - before} new rows; every 201 stored: {not missing} ({len(missing)} missing)")
    ok = rate >= TARGET_RATE and p99 < TARGET_P99_MS and not missing and accepted == len(latencies)
    print(
        ("PASS" if ok else "FAIL")
        + f" (target ≥ {TARGET_RATE:.0f} reports/s, p99 < {TARGET_P99_MS:.0f} ms, nothing lost)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
