"""A fake messaging provider on loopback: it answers the REST calls of Twilio, Telegram,
Africa's Talking, Vonage and a generic gateway the way their documentation shows, and records them.

No test reaches a real provider: the settings point every provider's base address here.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class FakeProvider:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []  # answered in turn before 200s, e.g. [503, 503]
        ids = itertools.count(1)
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                is_json = self.headers.get("Content-Type", "").startswith("application/json")
                body: Any = (
                    json.loads(raw) if is_json else {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                )
                store.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status = store.statuses.pop(0) if store.statuses else 200
                number = next(ids)
                if status != 200:
                    payload: Any = {"error": "busy"}
                elif "/Messages.json" in self.path:  # Twilio: the Message resource
                    payload = {"sid": f"SM{number:032d}", "status": "queued"}
                elif self.path.endswith("/sendMessage"):  # Telegram: the sent Message
                    payload = {"ok": True, "result": {"message_id": number}}
                elif self.path == "/version1/messaging":  # Africa's Talking
                    payload = {
                        "SMSMessageData": {
                            "Message": "Sent to 1/1",
                            "Recipients": [
                                {
                                    "statusCode": 101,
                                    "number": body.get("to"),
                                    "status": "Success",
                                    "messageId": f"ATXid_{number}",
                                }
                            ],
                        }
                    }
                elif self.path == "/sms/json":  # Vonage's SMS API
                    payload = {
                        "message-count": "1",
                        "messages": [{"status": "0", "message-id": f"V{number:08d}"}],
                    }
                else:  # the generic gateway
                    payload = {"id": f"gw-{number}"}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        """The text of every message sent, in order, whatever the provider."""
        found = []
        for request in self.requests:
            body = request["body"]
            found.append(body.get("Body") or body.get("text") or body.get("message") or "")
        return found

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
