#!/usr/bin/env python3
"""Issue #15's bar for notifications, end to end on loopback.

  notify_bar.py CLEARCUT [--trials N]

Runs `clearcut serve --demo` with e-mail going to a real SMTP server (aiosmtpd) and a webhook
registered on the demo production, both served by sinks.py, which checks each webhook's
HMAC-SHA256 signature on its own. Then:
 1. a partner submits a use case: the production's contact must get an e-mail within 5 s, and
    the webhook a delivery whose signature verifies;
 2. N trials (default 20): a use case is submitted, the server is killed with SIGKILL at a
    random moment while deliveries are in flight (the sinks answer slowly), and started again.
When the outbox has drained, every notification the outbox holds is compared with what the
sinks received: lost (never received) and duplicated (received more than once: by delivery id,
and raw receipts beyond the first) are printed. Exits 1 when anything is lost, the e-mail came
late or a signature did not verify; duplicates are reported (delivery is at least once and the
delivery id lets receivers drop them).
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from api_client import Api  # noqa: E402

CLEARCUT = sys.argv[1]
TRIALS = int(sys.argv[sys.argv.index("--trials") + 1]) if "--trials" in sys.argv else 20
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SECRET = "bar-webhook-secret-0123456789abcdef"


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    tmp = tempfile.mkdtemp(prefix="clearcut_notify_bar_")
    out = os.path.join(tmp, "received.jsonl")
    sinks = subprocess.Popen([sys.executable, os.path.join(HERE, "sinks.py"), out, SECRET,
                              "--delay", "0.15"], stdout=subprocess.PIPE, text=True)
    words = sinks.stdout.readline().split()
    smtp_port, http_port = int(words[1]), int(words[3])
    with open(os.path.join(SOURCE, "examples/mood-board.yaml")) as f:
        declaration = f.read()
    server = {"process": None, "port": 0}

    def start():
        process = subprocess.Popen(
            [CLEARCUT, "serve", "--db", "sqlite:" + os.path.join(tmp, "cc.db"), "--port", "0",
             "--demo", "--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
             "--mail-from", "clearcut@studio.example", "--public-url", "http://clearcut.test",
             "--notify-lease", "2", "--checkpoint-interval", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in process.stdout:
            if line.startswith("clearcut serving on http://"):
                server["port"] = int(line.split(":")[2].split("/")[0])
                break
        server["process"] = process

    failures = []
    try:
        start()
        admin = Api(server["port"]).login("admin@studio.example")
        production = next(p for p in admin.call("GET", "/productions")["items"]
                          if p["code"] == "squid-game-s3")
        admin.call("POST", f"/productions/{production['id']}/webhooks",
                   {"url": f"http://127.0.0.1:{http_port}/hook", "secret": SECRET})
        partner = Api(server["port"]).login("partner@vendor.example")

        # 1. One submission: the contact's e-mail within 5 s, a webhook that verifies.
        # The demo's own notifications go first: wait for them, so that the clock measures
        # this submission alone.
        deadline = time.time() + 60
        while time.time() < deadline and any(
                admin.call("GET", f"/outbox?state={s}&limit=1000")["items"]
                for s in ("pending", "sending")):
            time.sleep(0.1)
        t0 = time.time()
        use_case = partner.call("POST", f"/productions/{production['id']}/use-cases",
                                {"declaration": declaration, "submit": True})["id"]
        mail = hook = None
        while time.time() - t0 < 10 and not (mail and hook):
            for r in read_lines(out):
                if (r["channel"] == "email" and "contact@studio.example" in r["to"]
                        and f"use case #{use_case} " in r["subject"]):
                    mail = mail or r
                if r["channel"] == "webhook" and r["link"].endswith(f"/u/{use_case}"):
                    hook = hook or r
            time.sleep(0.02)
        mail_s = mail["at"] - t0 if mail else float("inf")
        print(f"e-mail to the contact after {mail_s:.2f} s "
              f"(parts {mail and mail['parts']}, Message-ID {mail and mail['message_id']})")
        print(f"webhook after {(hook['at'] - t0) if hook else float('inf'):.2f} s, "
              f"signature verified independently: {bool(hook and hook['verified'])}")
        if mail_s > 5:
            failures.append("the e-mail took longer than 5 s")
        if not (hook and hook["verified"]):
            failures.append("no webhook delivery with a valid signature")

        # 2. Kill -9 while deliveries are in flight.
        rng = random.Random(15)
        for trial in range(TRIALS):
            partner.call("POST", f"/productions/{production['id']}/use-cases",
                         {"declaration": declaration, "submit": True})
            time.sleep(rng.uniform(0.0, 0.4))
            server["process"].send_signal(signal.SIGKILL)
            server["process"].wait()
            start()
            partner.port = admin.port = server["port"]

        # Drain: nothing pending or sending (a killed lease ends after 2 s).
        deadline = time.time() + 120
        while time.time() < deadline:
            busy = sum(len(admin.call("GET", f"/outbox?state={s}&limit=1000")["items"])
                       for s in ("pending", "sending"))
            if busy == 0:
                break
            time.sleep(0.2)
        rows = admin.call("GET", "/outbox?limit=1000")["items"]
        received = read_lines(out)
        counts = {}
        for r in received:
            counts[r["key"]] = counts.get(r["key"], 0) + 1
        keys = {row["idempotency_key"] for row in rows}
        lost = sorted(k for k in keys if k not in counts)
        not_sent = [row["idempotency_key"] for row in rows if row["state"] != "sent"]
        dup_keys = sorted(k for k, n in counts.items() if n > 1)
        raw_dups = sum(n - 1 for n in counts.values())
        unknown = sorted(k for k in counts if k not in keys)
        unverified = sum(1 for r in received if r["channel"] == "webhook" and not r["verified"])
        print(f"{TRIALS} kill -9 trials: {len(rows)} notifications in the outbox "
              f"({sum(1 for r in rows if r['channel'] == 'email')} e-mails, "
              f"{sum(1 for r in rows if r['channel'] == 'webhook')} webhook deliveries), "
              f"{len(received)} receipts")
        print(f"lost: {len(lost)}  not marked sent: {len(not_sent)}  "
              f"duplicated by delivery id: {len(dup_keys)}  raw duplicate receipts: {raw_dups}  "
              f"unknown ids: {len(unknown)}  unverified signatures: {unverified}")
        if dup_keys:
            print("duplicated ids (receivers drop these by X-Clearcut-Delivery / Message-ID): " +
                  ", ".join(dup_keys))
        if lost or not_sent or unknown or unverified:
            failures.append(f"lost {lost}, not sent {not_sent}, unknown {unknown}, "
                            f"unverified {unverified}")
    finally:
        if server["process"]:
            server["process"].kill()
        sinks.kill()
    for failure in failures:
        print("FAIL: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
