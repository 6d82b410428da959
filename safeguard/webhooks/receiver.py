"""A tiny receiver that verifies Safeguard webhooks, for trying them out and for tests.

    python -m safeguard.webhooks.receiver --port 9000 --secret whsec_…

It answers 204 to a delivery whose ``Safeguard-Signature`` is valid and recent and prints one
line per delivery; anything else gets a 400 and a line saying why. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from safeguard.webhooks.signing import HEADER, TOLERANCE_SECONDS, verify

MAX_BODY = 1_000_000


class Receiver(ThreadingHTTPServer):
    def __init__(self, address: tuple[str, int], *, secret: str, tolerance: int, out: TextIO) -> None:
        super().__init__(address, Handler)
        self.secret = secret
        self.tolerance = tolerance
        self.out = out
        self.received: list[dict[str, object]] = []


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(413, "body too large")
            return
        body = self.rfile.read(length)
        header = self.headers.get(HEADER, "")
        if not verify(self.server.secret, header, body, tolerance=self.server.tolerance):
            self._answer(400, "signature not valid (or too old)")
            return
        event = json.loads(body)
        self.server.received.append(event)
        print(
            f"verified {event['type']} {json.dumps(event, sort_keys=True)}", file=self.server.out, flush=True
        )
        self.send_response(204)
        self.end_headers()

    def _answer(self, status: int, reason: str) -> None:
        print(f"refused ({status}): {reason}", file=self.server.out, flush=True)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(reason.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per delivery is printed above


def make_server(
    *,
    port: int,
    secret: str,
    host: str = "127.0.0.1",
    tolerance: int = TOLERANCE_SECONDS,
    out: TextIO = sys.stdout,
) -> Receiver:
    return Receiver((host, port), secret=secret, tolerance=tolerance, out=out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Receive and verify Safeguard webhooks.")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--secret", required=True, help="the endpoint's secret (whsec_…)")
    parser.add_argument(
        "--tolerance", type=int, default=TOLERANCE_SECONDS, help="seconds a signature stays valid"
    )
    options = parser.parse_args(argv)
    server = make_server(
        port=options.port, secret=options.secret, host=options.host, tolerance=options.tolerance
    )
    print(f"listening on http://{options.host}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
