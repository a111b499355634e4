#!/usr/bin/env python3
"""Several clearcut processes on one PostgreSQL database, as a deployment runs them (issue #16).

  cluster.py CLEARCUT [--jobs N] [--hold]

Needs a PostgreSQL server named by CLEARCUT_TEST_PG_URL (scripts/with-postgres starts one;
scripts/cluster runs this under it). Creates a database of its own there and starts, on
loopback: 2 `clearcut serve` processes (the first seeds the demo; both share the audit signing
key and the attachment folder, neither runs scan workers) and 3 `clearcut scan-worker`
processes, all with the same scan root. With --hold it prints the addresses and waits for
Ctrl-C. Otherwise it tests the deployment:
 1. the partner registers a still through server A; N scan jobs (default 30) are submitted,
    alternately through A and B, each a folder holding a short video and the still;
 2. while they run, one worker is killed with SIGKILL in the middle of a job;
 3. every job finishes, exactly once: state finished, one `scan.finished` audit event per job,
    the killed worker's job taken over and finished by another worker;
 4. each job, read through the server that did not accept it, is there with its report, which
    finds the still; a session opened on A is valid on B;
 5. `clearcut audit verify` of the database passes;
 6. 5 wrong passwords through A lock the account on B (the throttle's counts are shared).
Prints what it saw; exits 1 on any failure.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from api_client import DEMO_PASSWORD as PASSWORD, Api  # noqa: E402

CLEARCUT = os.path.abspath(sys.argv[1])
JOBS = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 30
HOLD = "--hold" in sys.argv
TAKE_OVER_AFTER = 15  # seconds, the least scan-worker allows


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def fresh_database(url):
    """A new database on the server `url` names; its URL."""
    parts = urllib.parse.urlsplit(url)
    name = f"clearcut_cluster_{os.getpid()}"
    run("psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"DROP DATABASE IF EXISTS {name}",
        "-c", f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def start_server(db, tmp, scan_root, demo, log):
    args = [CLEARCUT, "serve", "--db", db, "--port", "0", "--scan-root", scan_root,
            "--scan-workers", "0", "--signing-key", os.path.join(tmp, "audit.key"),
            "--checkpoint-file", "none", "--blob-dir", os.path.join(tmp, "blobs"),
            "--checkpoint-interval", "0"]
    if demo:
        args.append("--demo")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    for line in process.stdout:
        if line.startswith("clearcut serving on http://"):
            return process, int(line.split(":")[2].split("/")[0])
    raise RuntimeError(f"serve exited ({process.wait()}) before listening; see {log.name}")


def start_worker(db, scan_root, name, log):
    return subprocess.Popen(
        [CLEARCUT, "scan-worker", "--db", db, "--scan-root", scan_root, "--name", name,
         "--threads", "1", "--take-over-after", str(TAKE_OVER_AFTER)],
        stdout=log, stderr=log)


def make_delivery(scan_root, jobs):
    """jobs folders, each a 4 s 320x240 clip (its own pattern) and the same still; the still."""
    still = os.path.join(scan_root, "still.png")
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "mandelbrot=size=640x480:start_scale=0.05", "-frames:v", "1", still)
    clip = os.path.join(scan_root, "clip.mp4")
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=25:duration=4", "-c:v", "libx264", "-crf", "28",
        "-pix_fmt", "yuv420p", clip)
    for i in range(jobs):
        folder = os.path.join(scan_root, f"reel{i:02}")
        os.makedirs(folder)
        shutil.copy(clip, os.path.join(folder, "cut.mp4"))
        shutil.copy(still, os.path.join(folder, "key-art.png"))
    return still


def main():
    url = os.environ.get("CLEARCUT_TEST_PG_URL")
    if not url:
        print("cluster: CLEARCUT_TEST_PG_URL is not set: run under scripts/with-postgres "
              "(scripts/cluster does)", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="clearcut_cluster_")
    scan_root = os.path.join(tmp, "deliveries")
    os.makedirs(scan_root)
    db = fresh_database(url)
    log = open(os.path.join(tmp, "processes.log"), "w")
    processes = []
    failures = []
    try:
        server_a, port_a = start_server(db, tmp, scan_root, True, log)
        processes.append(server_a)
        server_b, port_b = start_server(db, tmp, scan_root, False, log)
        processes.append(server_b)
        workers = {}
        for n in range(3):
            name = f"worker-{n}"
            workers[name] = start_worker(db, scan_root, name, log)
            processes.append(workers[name])
        print(f"cluster: PostgreSQL {db}\n  serve A http://127.0.0.1:{port_a}/\n"
              f"  serve B http://127.0.0.1:{port_b}/\n  3 scan workers, scan root {scan_root}",
              flush=True)
        if HOLD:
            print("cluster: Ctrl-C stops it (demo users' password: clearcut-demo)", flush=True)
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
            shutil.rmtree(tmp, ignore_errors=True)
            return 0

        # 1. A still registered on A; jobs submitted alternately through A and B.
        still = make_delivery(scan_root, JOBS)
        partner = Api(port_a).login("partner@vendor.example")
        production = next(p for p in partner.call("GET", "/productions")["items"]
                          if p["code"] == "squid-game-s3")["id"]
        use_case = partner.call("GET", f"/productions/{production}/use-cases")["items"][0]["id"]
        inspected = json.loads(run(CLEARCUT, "inspect", "--json", still).stdout)
        asset = partner.call("POST", f"/productions/{production}/assets",
                             {"use_case_id": use_case, "file_name": "key-art.png",
                              "sha256": inspected["sha256"], "pdq": inspected["pdq"],
                              "pdq_quality": inspected["pdq_quality"],
                              "frame_pdq": inspected.get("frame_pdq", [])})["id"]
        contact_a = Api(port_a).login("contact@studio.example")
        contact_b = contact_a.on(port_b)  # 4. the session A opened, used on B
        accepted_by = {}
        t0 = time.time()
        for i in range(JOBS):
            via = contact_a if i % 2 == 0 else contact_b
            job = via.call("POST", f"/productions/{production}/scans", {"paths": [f"reel{i:02}"]})
            accepted_by[job["id"]] = via.port

        # 2. Kill a worker in the middle of a job.
        killed_job = killed_worker = None
        deadline = time.time() + 120
        while killed_job is None and time.time() < deadline:
            for job_id in accepted_by:
                job = contact_a.call("GET", f"/scans/{job_id}")
                if job["state"] == "running" and job["worker"] in workers:
                    killed_job, killed_worker = job_id, job["worker"]
                    workers[killed_worker].send_signal(signal.SIGKILL)
                    workers[killed_worker].wait()
                    break
            time.sleep(0.05)
        if killed_job is None:
            failures.append("no job was seen running to kill its worker")
        else:
            print(f"killed {killed_worker} (SIGKILL) while it ran scan {killed_job}", flush=True)

        # 3. Every job finishes.
        deadline = time.time() + 600
        jobs = {}
        while time.time() < deadline:
            jobs = {j: contact_a.call("GET", f"/scans/{j}") for j in accepted_by}
            if all(j["state"] in ("finished", "error") for j in jobs.values()):
                break
            time.sleep(0.5)
        elapsed = time.time() - t0
        states = {}
        for j in jobs.values():
            states[j["state"]] = states.get(j["state"], 0) + 1
        by_worker = {}
        for j in jobs.values():
            by_worker[j["worker"]] = by_worker.get(j["worker"], 0) + 1
        print(f"{JOBS} scans through 2 servers in {elapsed:.1f} s: {states}; by worker: "
              + ", ".join(f"{w} {n}" for w, n in sorted(by_worker.items(), key=str)), flush=True)
        if states.get("finished", 0) != JOBS:
            failures.append(f"not every job finished: {states}")
        if killed_job is not None:
            taken = jobs[killed_job]
            print(f"scan {killed_job}: {taken['state']} by {taken['worker']} after "
                  f"{taken['attempts']} claims", flush=True)
            if taken["state"] != "finished" or taken["worker"] == killed_worker:
                failures.append(f"scan {killed_job} was not taken over from {killed_worker}: {taken}")

        # Exactly once: one scan.finished event per job.
        admin = Api(port_b).login("admin@studio.example")
        finished_events = {}
        start = 0
        while True:
            events = admin.call("GET", f"/audit/events?from={start}&limit=1000")["items"]
            if not events:
                break
            for e in events:
                if e["action"] == "scan.finished":
                    key = str(e["subject_id"])
                    finished_events[key] = finished_events.get(key, 0) + 1
            start = events[-1]["sequence"] + 1
        twice = {k: n for k, n in finished_events.items() if n != 1}
        missing = [j for j in accepted_by if str(j) not in finished_events]
        print(f"scan.finished audit events: {sum(finished_events.values())} for {JOBS} jobs; "
              f"more than once: {len(twice)}; missing: {len(missing)}", flush=True)
        if twice or missing:
            failures.append(f"scan.finished more than once {twice} or missing {missing}")

        # 4. Each job and its report through the other server.
        unread = []
        for job_id, port in accepted_by.items():
            other = contact_a.on(port_b if port == port_a else port_a)
            report = other.call("GET", f"/scans/{job_id}/report")
            found = [f for file in report["files"] for f in file["findings"]
                     if f.get("asset_id") == asset]
            if not found:
                unread.append(job_id)
        print(f"reports read through the other server: {JOBS - len(unread)} of {JOBS} find "
              f"asset {asset}", flush=True)
        if unread:
            failures.append(f"reports without the still: {unread}")

        # 6. The sign-in throttle is the deployment's: 5 wrong passwords through A lock the
        # account (and this address) on B too. Last: it locks 127.0.0.1 out of both.
        for i in range(5):
            status, _ = Api(port_a).request("POST", "/session", {"email": "legal@studio.example",
                                                                 "password": f"guess-{i}"})
            if status != 401:
                failures.append(f"wrong password {i} through A answered {status}, not 401")
        status, body = Api(port_b).request("POST", "/session", {"email": "legal@studio.example",
                                                                "password": PASSWORD})
        print(f"after 5 failures through A, the right password through B: {status}", flush=True)
        if status != 429:
            failures.append(f"B did not count A's failed sign-ins: {status} {body[:200]!r}")
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()

    # 5. The audit log of the whole cluster verifies (the servers shared one signing key).
    verify = subprocess.run([CLEARCUT, "audit", "verify", "--db", db, "--checkpoints", "none",
                             "--signing-key", os.path.join(tmp, "audit.key")],
                            capture_output=True, text=True)
    print("audit verify: exit", verify.returncode, (verify.stdout + verify.stderr).strip()[-300:],
          flush=True)
    if verify.returncode != 0:
        failures.append("audit verify failed")
    for failure in failures:
        print("FAIL: " + failure)
    if failures:
        print(f"cluster: processes' output in {os.path.join(tmp, 'processes.log')}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
