#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) and a webhook receiver on loopback, for the notification tests.

Every message and delivery is appended as one JSON line to OUT (flushed and fsynced before the
server answers, so that what a receiver acknowledged is on disk):
  {"channel": "email", "key": <X-Clearcut-Delivery>, "message_id": ..., "to": [...],
   "subject": ..., "parts": [...], "text": <the text/plain part>, "at": t}
  {"channel": "webhook", "key": ..., "verified": true/false, "event": ..., "at": t}
The webhook's signature is checked here, independently of clearcut: HMAC-SHA256 under SECRET
over "<t>.<body>", t within 300 s of now. --delay makes each answer wait, so that a test can
kill the sender while a delivery is in flight.

usage: sinks.py OUT SECRET [--delay SECONDS]; prints "smtp PORT http PORT" when ready.
"""
import asyncio
import email
import hashlib
import hmac
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

OUT, SECRET = sys.argv[1], sys.argv[2].encode()
DELAY = float(sys.argv[sys.argv.index("--delay") + 1]) if "--delay" in sys.argv else 0.0
lock = threading.Lock()


def record(entry):
    entry["at"] = time.time()
    with lock, open(OUT, "a") as out:
        out.write(json.dumps(entry) + "\n")
        out.flush()
        os.fsync(out.fileno())


def verify(header, body):
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    t, v1 = fields.get("t", ""), fields.get("v1", "")
    if not t.isdigit() or abs(time.time() - int(t)) > 300:
        return False
    expected = hmac.new(SECRET, t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, v1)


class Mail:
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(DELAY)
        message = email.message_from_bytes(envelope.content)
        parts = [p.get_content_type() for p in message.walk()]
        plain = [p.get_payload(decode=True).decode("utf-8", "replace") for p in message.walk()
                 if p.get_content_type() == "text/plain"]
        record({"channel": "email", "key": message.get("X-Clearcut-Delivery", ""),
                "message_id": message.get("Message-ID", ""), "to": envelope.rcpt_tos,
                "subject": message.get("Subject", ""), "parts": parts,
                "text": plain[0] if plain else ""})
        return "250 OK"


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(DELAY)
        payload = json.loads(body)
        record({"channel": "webhook", "key": self.headers.get("X-Clearcut-Delivery", ""),
                "verified": verify(self.headers.get("X-Clearcut-Signature", ""), body),
                "event": payload.get("event"), "link": payload.get("link")})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


smtp_port = free_port()
controller = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
controller.start()
http = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
print(f"smtp {smtp_port} http {http.server_address[1]}", flush=True)
try:
    http.serve_forever()
finally:
    controller.stop()
