"""A signed-in web session against a clearcut server on loopback, for the Python end-to-end
tests (tests/notify/notify_bar.py, tests/cluster/cluster.py): the session cookie and the CSRF
token it was given, JSON in and out."""
import http.client
import json

DEMO_PASSWORD = "clearcut-demo"  # every demo user's (clearcut serve --demo)


class Api:
    def __init__(self, port):
        self.port, self.cookie, self.csrf = port, None, None

    def request(self, method, path, body=None):
        """(status, body bytes) of METHOD /api/v1PATH; keeps a cookie the server sets."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        conn.request(method, "/api/v1" + path, json.dumps(body) if body is not None else None,
                     headers)
        response = conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def call(self, method, path, body=None):
        """The JSON answer; RuntimeError on a status of 300 or more."""
        status, data = self.request(method, path, body)
        if status >= 300:
            raise RuntimeError(f"{method} {path} on :{self.port}: {status} {data[:300]!r}")
        return json.loads(data) if data else None

    def login(self, email, password=DEMO_PASSWORD):
        self.csrf = None
        self.csrf = self.call("POST", "/session", {"email": email, "password": password})["csrf_token"]
        return self

    def on(self, port):
        """The same session, sent to another server of the deployment."""
        other = Api(port)
        other.cookie, other.csrf = self.cookie, self.csrf
        return other
