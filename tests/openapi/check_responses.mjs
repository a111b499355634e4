// docs/openapi.json against a live server: starts `clearcut serve --demo` on a temporary SQLite
// database, walks a scenario that calls every documented operation (as partner, contact, legal,
// admin, outsider; with tokens and with a session) and provokes each error status the document
// promises (400, 401, 403, 404, 405, 409, 413, 429), and checks every answer: its status is one
// the operation documents, and its body matches the documented schema strictly (a field the
// server sends but the document does not describe fails). Finally every operation must have
// answered 2xx at least once, and SIGTERM must stop the server cleanly.
//
//   node tests/openapi/check_responses.mjs path/to/clearcut
//
// Exit 0 when everything matches, 1 otherwise, 77 (skipped) without node_modules.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer as createNetServer } from "node:net";
import { createServer } from "node:http";
import { generateKeyPairSync } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(resolve(here, "node_modules"))) {
  console.log("SKIP: tests/openapi/node_modules is missing; run: npm ci --prefix tests/openapi");
  process.exit(77);
}
const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
const { default: Ajv } = await import("ajv");
const { toJsonSchema } = await import("./json_schema.mjs");

const clearcut = process.argv[2];
if (!clearcut || !existsSync(clearcut)) {
  console.error(`check_responses.mjs: no clearcut binary at '${clearcut ?? ""}' (build it first)`);
  process.exit(2);
}
const root = resolve(here, "../..");
const api = await SwaggerParser.dereference(resolve(root, "docs/openapi.json"));
const prefix = api.servers[0].url;
const methods = ["get", "put", "post", "delete", "patch"];

// The documented operation a concrete request lands on: "GET /use-cases/{use_case}".
const templates = [];
for (const [path, item] of Object.entries(api.paths)) {
  const pattern = new RegExp("^" + path.replace(/\{[^}]+\}/g, "[^/]+") + "$");
  for (const method of methods.filter((m) => item[m])) {
    templates.push({ method: method.toUpperCase(), path, pattern, op: item[method] });
  }
}
// A literal segment wins over a parameter, as in the server's router ("/assets/lookup" before
// "/assets/{asset}"): fewer parameters first.
const parameters = (t) => (t.path.match(/\{/g) ?? []).length;
templates.sort((a, b) => parameters(a) - parameters(b));
function operationFor(method, path) {
  const bare = path.split("?")[0].slice(prefix.length);
  return templates.find((t) => t.method === method && t.pattern.test(bare));
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map();
function validator(schema) {
  if (!compiled.has(schema)) {
    compiled.set(schema, ajv.compile(toJsonSchema(schema, { strict: true })));
  }
  return compiled.get(schema);
}

function errorsText(errors) {
  return errors
    .map(
      (e) =>
        `${e.instancePath || "/"} ${e.message}` +
        (e.params?.additionalProperty ? `: '${e.params.additionalProperty}'` : ""),
    )
    .join("; ");
}

const problems = [];
const answered = new Map(); // "GET /path" -> Set of statuses
let requests = 0;

function note(where, message) {
  problems.push(`${where}: ${message}`);
}

// Checks one answer against the document; returns the parsed body.
function check(method, path, status, contentType, text) {
  requests++;
  const where = `${method} ${path} -> ${status}`;
  const template = operationFor(method, path);
  let body = text;
  if (contentType.startsWith("application/json")) {
    try {
      body = JSON.parse(text);
    } catch {
      note(where, "body is not JSON");
      return null;
    }
  }
  if (!template) {
    // Not an operation: an unknown path (404) or another method on a known path (405).
    const known = templates.some((t) => t.pattern.test(path.split("?")[0].slice(prefix.length)));
    const want = known ? 405 : 404;
    if (status !== want) {
      note(where, `expected ${want} for an undocumented ${known ? "method" : "path"}`);
    }
    const v = validator(api.components.schemas.Error);
    if (!v(body)) {
      note(where, `not an Error: ${errorsText(v.errors)}`);
    }
    return body;
  }
  const key = `${template.method} ${template.path}`;
  if (!answered.has(key)) {
    answered.set(key, new Set());
  }
  answered.get(key).add(status);
  const response = template.op.responses[String(status)];
  if (!response) {
    note(where, `status not documented for ${key}: ${text.slice(0, 200)}`);
    return body;
  }
  if (!response.content) {
    return body; // a redirect: its headers are what it says
  }
  const media = response.content?.[contentType.split(";")[0]];
  if (!media) {
    note(where, `content type ${contentType} not documented`);
    return body;
  }
  if (media.schema) {
    const v = validator(media.schema);
    if (!v(body)) {
      note(where, `body does not match the schema: ${errorsText(v.errors)}`);
    }
  }
  return body;
}

// --- The server -----------------------------------------------------------------------------

// A PNG for the delivery scans: 128x128 grey with structure, written with zlib and CRC-32.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (grey)
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = ((x * 7) ^ (y * 13)) & 0xff;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// A stand-in OpenID provider: its discovery document and keys, enough for the single sign-on
// routes to start a sign-in (tests/web/sso_e2e.mjs signs in through a real one).
const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const idp = createServer((req, res) => {
  const issuer = `http://127.0.0.1:${idp.address().port}`;
  const documents = {
    "/.well-known/openid-configuration": {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
    },
    "/jwks": { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", use: "sig" }] },
  };
  const doc = documents[req.url];
  res.writeHead(doc ? 200 : 404, { "Content-Type": "application/json" });
  res.end(JSON.stringify(doc ?? { error: "not_found" }));
});
await new Promise((done) => idp.listen(0, "127.0.0.1", done));
const idpIssuer = `http://127.0.0.1:${idp.address().port}`;

const dir = mkdtempSync(join(tmpdir(), "clearcut-openapi-"));
const db = `sqlite:${join(dir, "cc.db")}`;
mkdirSync(join(dir, "deliveries", "reel"), { recursive: true });
writeFileSync(join(dir, "deliveries", "reel", "plate.png"), png(128, 128));
writeFileSync(join(dir, "oidc-secret"), "openapi check secret\n");
// A minimal SMTP server on loopback (RFC 5321's commands, no TLS) that keeps each message, so
// that the scenario can follow the link a password reset e-mails.
const mailbox = [];
const smtp = createNetServer((socket) => {
  let buffer = "";
  let inData = false;
  socket.write("220 check_responses ESMTP\r\n");
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    for (;;) {
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        mailbox.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 5);
        inData = false;
        socket.write("250 kept\r\n");
        continue;
      }
      const eol = buffer.indexOf("\r\n");
      if (eol < 0) return;
      const line = buffer.slice(0, eol).toUpperCase();
      buffer = buffer.slice(eol + 2);
      if (line.startsWith("EHLO")) socket.write("250-check_responses\r\n250 8BITMIME\r\n");
      else if (line.startsWith("DATA")) {
        inData = true;
        socket.write("354 go on\r\n");
      } else if (line.startsWith("QUIT")) {
        socket.end("221 bye\r\n");
        return;
      } else socket.write("250 ok\r\n");
    }
  });
  socket.on("error", () => {});
});
await new Promise((done) => smtp.listen(0, "127.0.0.1", done));
const server = spawn(
  clearcut,
  [
    "serve",
    "--demo",
    "--db",
    db,
    "--port",
    "0",
    "--smtp-url",
    `smtp://127.0.0.1:${smtp.address().port}`,
    "--scan-root",
    join(dir, "deliveries"),
    "--oidc-issuer",
    idpIssuer,
    "--oidc-client-id",
    "clearcut",
    "--oidc-client-secret-file",
    join(dir, "oidc-secret"),
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let output = "";
server.stdout.on("data", (chunk) => (output += chunk));
const exited = new Promise((done) => server.on("exit", (code, signal) => done({ code, signal })));
const deadline = Date.now() + 60000;
let port = 0;
while (!port) {
  const m = output.match(/serving on http:\/\/[^:]+:(\d+)\//);
  if (m) {
    port = Number(m[1]);
  } else if (server.exitCode !== null || Date.now() > deadline) {
    console.error(`clearcut serve did not start:\n${output}`);
    process.exit(1);
  } else {
    await new Promise((r) => setTimeout(r, 100));
  }
}
const base = `http://127.0.0.1:${port}`;

function token(email) {
  return execFileSync(clearcut, ["admin", "create-token", "--db", db, "--email", email]).toString().trim();
}
const who = {
  admin: { token: token("admin@studio.example") },
  contact: { token: token("contact@studio.example") },
  legal: { token: token("legal@studio.example") },
  partner: { token: token("partner@vendor.example") },
  outsider: { token: token("partner@other.example") },
  anonymous: {},
};

// call(as, method, path, body?, {headers, raw}): as is a key of `who` or a session object.
async function call(as, method, path, body, options = {}) {
  const caller = typeof as === "string" ? who[as] : as;
  const headers = { ...(options.headers ?? {}) };
  if (caller.token) {
    headers.Authorization = `Bearer ${caller.token}`;
  }
  if (caller.cookie) {
    headers.Cookie = caller.cookie;
    if (caller.csrf && method !== "GET" && !options.noCsrf) {
      headers["X-CSRF-Token"] = caller.csrf;
    }
  }
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const url = prefix + path;
  const r = await fetch(base + url, { method, headers, body: payload, redirect: "manual" });
  const text = await r.text();
  const parsed = check(method, url, r.status, r.headers.get("content-type") ?? "", text);
  return { status: r.status, body: parsed, headers: r.headers };
}

async function expect(status, promise, what) {
  const r = await promise;
  if (r.status !== status) {
    note(what, `expected ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  return r;
}

// A request the parser refuses before any handler: Content-Length over the 1 MiB limit.
function oversized(path) {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `POST ${prefix}${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n",
      );
    });
    let data = "";
    socket.on("data", (chunk) => (data += chunk));
    socket.on("error", fail);
    socket.on("close", () => {
      const status = Number(data.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 0);
      const split = data.indexOf("\r\n\r\n");
      const type = data.match(/\r\ncontent-type: ([^\r]+)/i)?.[1] ?? "";
      done({ status, body: check("POST", prefix + path, status, type, data.slice(split + 4)) });
    });
  });
}

// --- The scenario -----------------------------------------------------------------------------

const declaration = {
  schema: "clearcut/v1",
  summary: "Crowd extension for the dormitory wide shot",
  purpose: "vfx",
  media: ["video"],
  pipeline: [{ tool: "imagegen-pro" }, { name: "in-house comp", enterprise_agreement: true }],
  inputs: ["production_image"],
  references: ["none"],
  output: { in_final: "yes", prominence: "incidental" },
};
const hex = "ab".repeat(32);
const pack = readFileSync(resolve(root, "policies/netflix-genai.yaml"), "utf8");

try {
  // System.
  await expect(200, call("anonymous", "GET", "/health"), "health");
  await expect(200, call("anonymous", "GET", "/openapi.json"), "openapi.json");
  for (const t of templates.filter((t) => t.path === "/schema")) {
    await expect(200, call("anonymous", "GET", t.path), "schema");
  }
  await expect(404, call("anonymous", "GET", "/no-such-thing"), "unknown path");
  await expect(405, call("admin", "PATCH", "/tools"), "unknown method");

  // Sessions: cookie + CSRF.
  const signIn = await expect(
    201,
    call("anonymous", "POST", "/session", { email: "contact@studio.example", password: "clearcut-demo" }),
    "sign in",
  );
  const session = {
    cookie: (signIn.headers.get("set-cookie") ?? "").split(";")[0],
    csrf: signIn.body?.csrf_token,
  };
  await expect(
    401,
    call("anonymous", "POST", "/session", { email: "contact@studio.example", password: "wrong password" }),
    "wrong password",
  );
  await expect(400, call("anonymous", "POST", "/session", { email: "x" }), "sign in, no password");
  await expect(400, call("anonymous", "POST", "/session", "{not json"), "sign in, bad JSON");
  await expect(200, call(session, "GET", "/me"), "me (session)");
  await expect(200, call("partner", "GET", "/me"), "me (token)");
  await expect(401, call("anonymous", "GET", "/me"), "me (nobody)");
  await expect(401, call({ token: "cc_" + "0".repeat(40) }, "GET", "/me"), "me (bad token)");
  await expect(403, call(session, "POST", "/tokens", { name: "laptop" }, { noCsrf: true }), "CSRF missing");
  const own = await expect(201, call(session, "POST", "/tokens", { name: "laptop" }), "token");
  await expect(400, call(session, "POST", "/tokens", { name: "" }), "token without a name");
  await expect(200, call(session, "GET", "/tokens"), "tokens");
  await expect(404, call("partner", "DELETE", `/tokens/${own.body?.id}`), "someone else's token");
  await expect(200, call(session, "DELETE", `/tokens/${own.body?.id}`), "revoke token");
  await expect(401, call({ token: own.body?.secret }, "GET", "/me"), "revoked token");
  await expect(200, call(session, "DELETE", "/session"), "sign out");
  await expect(401, call(session, "GET", "/me"), "after sign out");
  await expect(200, call("partner", "DELETE", "/session"), "sign out with a token");

  // Password reset: the link comes by e-mail (the SMTP server above), works once.
  await expect(
    202,
    call("anonymous", "POST", "/password-reset", { email: "nobody@nowhere.example" }),
    "reset link for no account",
  );
  await expect(400, call("anonymous", "POST", "/password-reset", {}), "reset link without an address");
  await expect(202, call("anonymous", "POST", "/password-reset", { email: "legal@studio.example" }), "reset link");
  let resetToken = "";
  for (let i = 0; i < 100 && !resetToken; i++) {
    resetToken = mailbox.map((m) => m.match(/#\/reset\?token=([0-9a-f]{64})/)?.[1]).find(Boolean) ?? "";
    if (!resetToken) await new Promise((done) => setTimeout(done, 100));
  }
  if (!resetToken) note("reset link", "no e-mail with a reset link arrived within 10 s");
  await expect(
    400,
    call("anonymous", "POST", "/password-reset/confirm", { token: resetToken, password: "short" }),
    "reset, short password",
  );
  await expect(
    200,
    call("anonymous", "POST", "/password-reset/confirm", { token: resetToken, password: "clearcut-demo" }),
    "reset",
  );
  await expect(
    400,
    call("anonymous", "POST", "/password-reset/confirm", { token: resetToken, password: "clearcut-demo" }),
    "reset, link used",
  );

  // Each person's notification settings.
  await expect(200, call("legal", "GET", "/me/notifications"), "notification settings");
  await expect(
    200,
    call("legal", "PUT", "/me/notifications/mentions", { delivery: "digest" }),
    "set a notification setting",
  );
  await expect(400, call("legal", "PUT", "/me/notifications/nope", { delivery: "digest" }), "unknown topic");
  await expect(401, call("anonymous", "GET", "/me/notifications"), "notification settings (nobody)");

  // Assess.
  await expect(200, call("partner", "POST", "/assess", { declaration }), "assess object");
  await expect(200, call("partner", "POST", "/assess", { declaration, form: true }), "assess for the form");
  await expect(
    200,
    call("partner", "POST", "/assess", {
      declaration: readFileSync(resolve(root, "examples/second-doll.yaml"), "utf8"),
    }),
    "assess text",
  );
  await expect(
    400,
    call("partner", "POST", "/assess", { declaration: { schema: "clearcut/v1", purpos: "vfx" } }),
    "assess typo",
  );
  await expect(400, call("partner", "POST", "/assess", { declaration, extra: 1 }), "unknown field");
  await expect(401, call("anonymous", "POST", "/assess", { declaration }), "assess anonymous");
  await expect(413, oversized("/assess"), "oversized body");

  // Productions and members.
  await expect(200, call("partner", "GET", "/productions"), "productions");
  await expect(201, call("admin", "POST", "/productions", { code: "new-show", title: "New" }), "create production");
  await expect(409, call("admin", "POST", "/productions", { code: "new-show" }), "duplicate code");
  await expect(403, call("partner", "POST", "/productions", { code: "mine" }), "partner creates");
  await expect(404, call("admin", "POST", "/productions", { code: "x", organization_id: 999 }), "no such organization");
  await expect(200, call("admin", "PUT", "/productions/2/members/3", { role: "legal" }), "member");
  await expect(400, call("admin", "PUT", "/productions/2/members/3", { role: "boss" }), "role");
  await expect(404, call("admin", "PUT", "/productions/2/members/999", { role: "legal" }), "user");
  await expect(403, call("partner", "PUT", "/productions/1/members/4", { role: "legal" }), "self");
  await expect(200, call("admin", "DELETE", "/productions/2/members/3"), "role removed");
  await expect(404, call("admin", "DELETE", "/productions/2/members/3"), "role removed again");

  // Use cases.
  const page = await expect(200, call("contact", "GET", "/productions/1/use-cases?limit=2"), "page");
  await expect(200, call("contact", "GET", `/productions/1/use-cases?after=${page.body?.next_after}`), "next page");
  await expect(200, call("contact", "GET", "/productions/1/use-cases?state=escalated"), "filter");
  await expect(400, call("contact", "GET", "/productions/1/use-cases?state=open"), "bad state");
  await expect(400, call("contact", "GET", "/productions/1/use-cases?limit=0"), "bad limit");
  await expect(404, call("contact", "GET", "/productions/x/use-cases"), "bad production id");
  await expect(404, call("outsider", "GET", "/productions/1/use-cases"), "outsider lists");
  await expect(404, call("admin", "GET", "/productions/999/use-cases"), "no such production");
  const filed = await expect(
    201,
    call("partner", "POST", "/productions/1/use-cases", { declaration, submit: true }),
    "file and submit",
  );
  const draft = await expect(
    201,
    call("partner", "POST", "/productions/1/use-cases", { declaration: "schema: clearcut/v1\nsummary: a draft\n" }),
    "file a draft",
  );
  await expect(403, call("contact", "POST", "/productions/1/use-cases", { declaration }), "contact files");
  await expect(404, call("outsider", "POST", "/productions/1/use-cases", { declaration }), "outsider files");
  await expect(
    400,
    call("partner", "POST", "/productions/1/use-cases", { declaration: { ...declaration, production: "other-show" } }),
    "wrong production",
  );
  const id = filed.body?.id;
  for (const u of [1, 2, 3, 4, 5, 6, id]) {
    await expect(200, call("admin", "GET", `/use-cases/${u}`), `use case ${u}`);
  }
  await expect(404, call("outsider", "GET", `/use-cases/${id}`), "outsider reads");
  await expect(404, call("admin", "GET", "/use-cases/99999"), "no such use case");

  // The inbox: tasks, assignment, the answer time, delegation.
  await expect(200, call("contact", "GET", "/me/tasks"), "my tasks");
  await expect(200, call("partner", "GET", "/me/tasks"), "a partner's tasks");
  await expect(401, call("anonymous", "GET", "/me/tasks"), "tasks, nobody");
  const legalId = (await call("legal", "GET", "/me")).body?.user?.id;
  await expect(200, call("contact", "PUT", `/use-cases/${id}/assignee`, { assignee_id: legalId }), "assign");
  await expect(
    400,
    call("contact", "PUT", `/use-cases/${id}/assignee`, { assignee_id: 99999 }),
    "assign to a non-member",
  );
  await expect(403, call("partner", "PUT", `/use-cases/${id}/assignee`, { assignee_id: legalId }), "a partner assigns");
  await expect(
    404,
    call("outsider", "PUT", `/use-cases/${id}/assignee`, { assignee_id: legalId }),
    "an outsider assigns",
  );
  await expect(
    409,
    call("contact", "PUT", `/use-cases/${draft.body?.id}/assignee`, { assignee_id: legalId }),
    "assign a draft",
  );
  await expect(200, call("legal", "GET", "/me/tasks"), "legal's tasks, assigned");
  await expect(200, call("admin", "PATCH", "/productions/1", { answer_within_days: 3 }), "answer time");
  await expect(400, call("admin", "PATCH", "/productions/1", { answer_within_days: 0 }), "answer time 0");
  await expect(403, call("contact", "PATCH", "/productions/1", { answer_within_days: 3 }), "answer time by a contact");
  await expect(
    404,
    call("admin", "PATCH", "/productions/999", { answer_within_days: 3 }),
    "answer time of no production",
  );
  await expect(200, call("legal", "GET", "/me/delegation"), "no delegation");
  const until = new Date(Date.now() + 2 * 86400e3).toISOString();
  await expect(
    200,
    call("legal", "PUT", "/me/delegation", { delegate_email: "contact@studio.example", until }),
    "delegate",
  );
  await expect(
    400,
    call("legal", "PUT", "/me/delegation", { delegate_email: "partner@other.example", until }),
    "delegate to another organization",
  );
  await expect(200, call("legal", "GET", "/me/delegation"), "delegation");
  await expect(200, call("contact", "GET", "/me/tasks"), "tasks with a delegator's");
  await expect(200, call("legal", "DELETE", "/me/delegation"), "end delegation");
  await expect(404, call("legal", "DELETE", "/me/delegation"), "end it again");
  await expect(
    200,
    call("partner", "POST", `/use-cases/${draft.body?.id}/declaration/preview`, {
      declaration: "schema: clearcut/v1\nsummary: a better draft\n",
      revision: 1,
    }),
    "preview edit",
  );
  await expect(
    403,
    call("contact", "POST", `/use-cases/${draft.body?.id}/declaration/preview`, {
      declaration: "schema: clearcut/v1\n",
      revision: 1,
    }),
    "contact previews",
  );
  const edited = await expect(
    200,
    call("partner", "PUT", `/use-cases/${draft.body?.id}/declaration`, {
      declaration: "schema: clearcut/v1\nsummary: a better draft\n",
      revision: 1,
    }),
    "edit",
  );
  await expect(
    409,
    call("partner", "PUT", `/use-cases/${draft.body?.id}/declaration`, {
      declaration: "schema: clearcut/v1\nsummary: again\n",
      revision: 1,
    }),
    "stale edit",
  );
  await expect(
    403,
    call("contact", "PUT", `/use-cases/${draft.body?.id}/declaration`, {
      declaration: "schema: clearcut/v1\n",
      revision: edited.body?.revision,
    }),
    "contact edits",
  );
  await expect(
    200,
    call("partner", "POST", `/use-cases/${draft.body?.id}/transitions`, {
      action: "submit",
      revision: edited.body?.revision,
    }),
    "submit",
  );
  await expect(
    409,
    call("contact", "POST", "/use-cases/1/transitions", { action: "escalate", revision: 1 }),
    "stale transition",
  );
  await expect(
    200,
    call("contact", "POST", "/use-cases/1/transitions", { action: "escalate", revision: 2, note: "prominent" }),
    "escalate",
  );
  await expect(
    409,
    call("contact", "POST", "/use-cases/3/transitions", {
      action: "escalate",
      revision: (await call("admin", "GET", "/use-cases/3")).body?.revision,
    }),
    "escalate an approved one",
  );
  await expect(
    403,
    call("partner", "POST", "/use-cases/1/transitions", { action: "reject", revision: 3 }),
    "partner rejects",
  );
  await expect(
    400,
    call("contact", "POST", "/use-cases/1/transitions", { action: "approve", revision: 3 }),
    "approve is not a transition",
  );
  // The checklist gates the approval: refused (409, the open items listed) until it is met.
  const two = (await call("admin", "GET", "/use-cases/2")).body;
  const signed = { revision: two?.revision, signer_name: "Lee Legal", reason: "Human pass agreed" };
  await expect(400, call("legal", "POST", "/use-cases/2/approvals", { revision: two?.revision }), "approve unsigned");
  await expect(409, call("legal", "POST", "/use-cases/2/approvals", signed), "approve with the checklist open");
  const checklist = await expect(200, call("contact", "GET", "/use-cases/2/checklist"), "checklist");
  await expect(404, call("outsider", "GET", "/use-cases/2/checklist"), "outsider's checklist");
  for (const item of checklist.body?.items ?? []) {
    const at = `/use-cases/2/checklist/${item.id}`;
    if (item.kind === "question") {
      await expect(403, call("contact", "POST", `${at}/waive`, { reason: "r" }), "contact waives");
      await expect(400, call("legal", "POST", `${at}/waive`, {}), "waiver without a reason");
      await expect(409, call("contact", "POST", `${at}/evidence`, { text: "t" }), "evidence for a question");
      await expect(200, call("legal", "POST", `${at}/waive`, { reason: "Settled in review" }), "waive");
    } else {
      await expect(403, call("partner", "POST", `${at}/evidence`, { text: "t" }), "partner records evidence");
      await expect(400, call("contact", "POST", `${at}/evidence`, { text: "" }), "no evidence");
      await expect(
        200,
        call("contact", "POST", `${at}/evidence`, { text: "The final design is repainted by the production's artist" }),
        "evidence",
      );
    }
  }
  const approval = await expect(
    201,
    call("legal", "POST", "/use-cases/2/approvals", {
      ...signed,
      conditions: "Human pass on the final design.",
      scope: { final_use: true, deliverables: ["S3E1"] },
      expires_at: "2027-12-31T00:00:00Z",
    }),
    "approve",
  );
  await expect(200, call("contact", "GET", `/approvals/${approval.body?.id}/certificate`), "certificate");
  await expect(404, call("outsider", "GET", `/approvals/${approval.body?.id}/certificate`), "outsider's certificate");
  await expect(404, call("contact", "GET", "/approvals/9999/certificate"), "no such certificate");
  await expect(200, call("contact", "GET", `/approvals/${approval.body?.id}/certificate.pdf`), "certificate as a PDF");
  await expect(
    404,
    call("outsider", "GET", `/approvals/${approval.body?.id}/certificate.pdf`),
    "outsider's certificate PDF",
  );
  // The demo's approved voice case has a disclosure plan: the contact confirms it was made.
  const voice = (await call("contact", "GET", "/use-cases/3/checklist")).body?.items ?? [];
  const disclosure = voice.find((item) => item.name === "audience_disclosure");
  const other = voice.find((item) => item.name !== "audience_disclosure");
  await expect(
    200,
    call("contact", "POST", `/use-cases/3/checklist/${disclosure?.id}/confirm`, { text: "End credits of S3E4" }),
    "confirm the disclosure",
  );
  await expect(
    400,
    call("contact", "POST", `/use-cases/3/checklist/${disclosure?.id}/confirm`, { text: " " }),
    "blank confirmation",
  );
  await expect(
    409,
    call("legal", "POST", `/use-cases/3/checklist/${other?.id}/confirm`, { text: "x" }),
    "confirm another item",
  );
  await expect(
    403,
    call("partner", "POST", `/use-cases/3/checklist/${disclosure?.id}/confirm`, { text: "x" }),
    "partner confirms",
  );
  await expect(409, call("legal", "POST", "/use-cases/2/approvals", signed), "approve twice");
  await expect(
    403,
    call("contact", "POST", `/use-cases/${id}/approvals`, { revision: filed.body?.revision }),
    "contact approves",
  );
  await expect(
    400,
    call("legal", "POST", `/use-cases/${id}/approvals`, {
      revision: filed.body?.revision,
      scope: { everything: true },
    }),
    "bad scope",
  );
  await expect(201, call("contact", "POST", "/use-cases/2/comments", { body: "Thanks." }), "comment");
  await expect(400, call("contact", "POST", "/use-cases/2/comments", { body: "" }), "empty comment");
  await expect(200, call("admin", "GET", "/use-cases/2"), "use case with an approval");

  // Consents.
  const consent = await expect(
    201,
    call("legal", "POST", "/productions/1/consents", {
      performer: "Lee Jung-jae",
      kind: "replica_creation",
      scope: "voice for pick-ups",
      document_sha256: hex,
      use_case_id: 3,
    }),
    "record consent",
  );
  await expect(
    403,
    call("partner", "POST", "/productions/1/consents", {
      performer: "A",
      kind: "alteration",
      scope: "s",
      document_sha256: hex,
    }),
    "partner records",
  );
  await expect(
    400,
    call("legal", "POST", "/productions/1/consents", {
      performer: "A",
      kind: "cameo",
      scope: "s",
      document_sha256: hex,
    }),
    "bad kind",
  );
  await expect(200, call("contact", "GET", "/productions/1/consents"), "consents");
  await expect(404, call("outsider", "GET", "/productions/1/consents"), "outsider's consents");
  await expect(200, call("legal", "POST", `/consents/${consent.body?.id}/revoke`), "revoke");
  await expect(409, call("legal", "POST", `/consents/${consent.body?.id}/revoke`), "revoke twice");
  await expect(200, call("contact", "GET", "/productions/1/consents"), "revoked consent");

  // Evidence attachments: the body is the file's bytes (the declared JSON type is ignored).
  const pdf = "%PDF-1.7\n%%EOF\n";
  const attached = await expect(
    201,
    call("legal", "POST", "/use-cases/2/attachments?filename=licence.pdf", pdf),
    "attach a licence",
  );
  await expect(
    415,
    call("legal", "POST", "/use-cases/2/attachments?filename=x.html", "<!doctype html><p>x"),
    "attach HTML",
  );
  await expect(400, call("legal", "POST", "/use-cases/2/attachments", pdf), "attach, no name");
  await expect(403, call("partner", "POST", "/use-cases/2/attachments?filename=x.pdf", pdf), "partner attaches");
  await expect(404, call("outsider", "POST", "/use-cases/2/attachments?filename=x.pdf", pdf), "outsider attaches");
  await expect(200, call("partner", "GET", "/use-cases/2/attachments"), "attachments");
  await expect(404, call("outsider", "GET", "/use-cases/2/attachments"), "outsider's attachments");
  await expect(200, call("partner", "GET", `/attachments/${attached.body?.id}/content`), "download");
  await expect(404, call("outsider", "GET", `/attachments/${attached.body?.id}/content`), "outsider's download");
  await expect(404, call("partner", "GET", "/attachments/x/content"), "download, bad id");
  await expect(
    201,
    call("legal", "POST", `/consents/${consent.body?.id}/attachments?filename=form.txt`, "Signed consent form\n"),
    "attach a consent form",
  );
  await expect(200, call("contact", "GET", `/consents/${consent.body?.id}/attachments`), "consent's attachments");
  await expect(
    201,
    call("legal", "POST", `/approvals/${approval.body?.id}/attachments?filename=signed.pdf`, pdf),
    "attach to approval",
  );
  await expect(200, call("partner", "GET", `/approvals/${approval.body?.id}/attachments`), "approval's attachments");
  const toolId = (await call("admin", "GET", "/tools")).body?.items?.[0]?.id;
  await expect(
    201,
    call("admin", "POST", `/tools/${toolId}/attachments?filename=terms.pdf`, pdf),
    "attach reviewed terms",
  );
  await expect(
    403,
    call("legal", "POST", `/tools/${toolId}/attachments?filename=terms.pdf`, pdf),
    "legal attaches to a tool",
  );
  await expect(200, call("outsider", "GET", `/tools/${toolId}/attachments`), "tool's attachments");

  // Registered outputs. Use case 3 has a written approval with final_use; 1 has none.
  const asset = {
    use_case_id: 3,
    file_name: "voice-take-1.wav",
    media_type: "audio/wav",
    sha256: hex,
    pdq: "",
    duration_ms: 4200,
    manifest_id: "urn:c2pa:1234",
    watermark_payload: "18446744073709551615",
  };
  const registered = await expect(201, call("partner", "POST", "/productions/1/assets", asset), "register output");
  const pending = await expect(
    201,
    call("partner", "POST", "/productions/1/assets", {
      use_case_id: 1,
      sha256: "cd".repeat(32),
      pdq: "ef".repeat(32),
      width: 64,
      height: 64,
    }),
    "register another",
  );
  await expect(400, call("partner", "POST", "/productions/1/assets", { ...asset, sha256: "AB" }), "bad sha256");
  await expect(
    400,
    call("partner", "POST", "/productions/1/assets", { ...asset, use_case_id: 999 }),
    "no such use case",
  );
  await expect(
    409,
    call("partner", "POST", "/productions/1/assets", { ...asset, use_case_id: 6 }),
    "withdrawn use case",
  );
  await expect(403, call("contact", "POST", "/productions/1/assets", asset), "contact registers");
  await expect(404, call("outsider", "POST", "/productions/1/assets", asset), "outsider registers");
  await expect(200, call("contact", "GET", "/productions/1/assets?limit=1"), "assets");
  await expect(404, call("outsider", "GET", "/productions/1/assets"), "outsider's assets");
  await expect(200, call("contact", "GET", `/assets/${registered.body?.id}`), "asset");
  await expect(200, call("contact", "GET", `/assets/lookup?sha256=${hex}`), "lookup");
  await expect(400, call("contact", "GET", "/assets/lookup"), "lookup without a key");
  await expect(404, call("outsider", "GET", `/assets/${registered.body?.id}`), "outsider's asset");
  await expect(
    200,
    call("legal", "POST", `/assets/${registered.body?.id}/status`, { status: "cleared", note: "consent on file" }),
    "clear",
  );
  await expect(
    409,
    call("legal", "POST", `/assets/${pending.body?.id}/status`, { status: "cleared" }),
    "clear without an approval",
  );
  await expect(
    400,
    call("legal", "POST", `/assets/${pending.body?.id}/status`, { status: "provisional" }),
    "back to provisional",
  );
  await expect(
    403,
    call("partner", "POST", `/assets/${pending.body?.id}/status`, { status: "rejected" }),
    "partner rejects",
  );
  await expect(200, call("legal", "POST", `/assets/${pending.body?.id}/status`, { status: "rejected" }), "reject");

  // Delivery scans, run by the server's own scan worker.
  const scan = await expect(202, call("contact", "POST", "/productions/1/scans", { paths: ["reel"] }), "submit scan");
  await expect(400, call("contact", "POST", "/productions/1/scans", { paths: ["../cc.db"] }), "scan outside the root");
  await expect(400, call("contact", "POST", "/productions/1/scans", { paths: ["reel"], stride: 0 }), "bad stride");
  await expect(404, call("outsider", "POST", "/productions/1/scans", { paths: ["reel"] }), "outsider scans");
  await expect(200, call("partner", "GET", "/productions/1/scans?limit=5"), "scans");
  await expect(404, call("outsider", "GET", "/productions/1/scans"), "outsider's scans");
  await expect(404, call("outsider", "GET", `/scans/${scan.body?.id}`), "outsider's scan");
  await expect(404, call("partner", "GET", "/scans/9999/report"), "no such report");
  let scanState = scan.body?.state;
  for (let i = 0; i < 300 && (scanState === "queued" || scanState === "running"); i++) {
    await new Promise((r) => setTimeout(r, 100));
    scanState = (await call("partner", "GET", `/scans/${scan.body?.id}`)).body?.state;
  }
  if (scanState !== "finished") note("scan", `expected the scan to finish, it is ${scanState}`);
  await expect(200, call("partner", "GET", `/scans/${scan.body?.id}`), "scan");
  await expect(200, call("legal", "GET", `/scans/${scan.body?.id}/report`), "scan report");
  await expect(200, call("legal", "GET", `/scans/${scan.body?.id}/report.html`), "html report");
  await expect(404, call("outsider", "GET", `/scans/${scan.body?.id}/report.html`), "outsider's html report");
  await expect(200, call("legal", "GET", "/productions/1/cross-production-matches"), "cross-production matches");
  await expect(
    403,
    call("partner", "GET", "/productions/1/cross-production-matches"),
    "partner's cross-production matches",
  );

  // Dashboards, with the scan above among their figures: a production's to its members and the
  // admins, the organization view to anyone signed in.
  const board = await expect(200, call("contact", "GET", "/productions/1/dashboard"), "dashboard");
  if (!board.body?.scans?.some((s) => s.id === scan.body?.id)) note("dashboard", "the finished scan is missing");
  await expect(200, call("admin", "GET", "/productions/2/dashboard"), "admin's dashboard of another show");
  await expect(404, call("outsider", "GET", "/productions/1/dashboard"), "outsider's dashboard");
  await expect(404, call("contact", "GET", "/productions/x/dashboard"), "dashboard of no id");
  await expect(200, call("admin", "GET", "/dashboard"), "organization view");
  await expect(200, call("outsider", "GET", "/dashboard"), "outsider's organization view");
  await expect(401, call("anonymous", "GET", "/dashboard"), "organization view, nobody");
  // A title's exports, after the scan: the disclosure report to its members, the dossier to its
  // contacts and legal.
  await expect(200, call("partner", "GET", "/productions/1/disclosure"), "disclosure report");
  await expect(200, call("contact", "GET", "/productions/1/disclosure.csv"), "disclosure CSV");
  await expect(200, call("legal", "GET", "/productions/1/disclosure.pdf"), "disclosure PDF");
  await expect(404, call("outsider", "GET", "/productions/1/disclosure"), "outsider's disclosure report");
  await expect(200, call("legal", "GET", "/productions/1/dossier"), "dossier");
  await expect(200, call("contact", "GET", "/productions/1/dossier.pdf"), "dossier PDF");
  await expect(403, call("partner", "GET", "/productions/1/dossier"), "partner's dossier");
  await expect(404, call("outsider", "GET", "/productions/1/dossier.pdf"), "outsider's dossier PDF");

  // Tools.
  await expect(200, call("partner", "GET", "/tools"), "tools");
  await expect(
    200,
    call("admin", "PUT", "/tools/studio-llm", {
      name: "Studio LLM",
      vendor: "In house",
      license_tier: "self-hosted",
      reviewed_on: "2026-11-01",
      enterprise_agreement: "yes",
      trains_on_data: false,
      retains_data: "unsure",
      terms_reviewed: null,
    }),
    "put tool",
  );
  await expect(400, call("admin", "PUT", "/tools/studio-llm", { trains_on_data: "maybe" }), "fact");
  await expect(403, call("partner", "PUT", "/tools/studio-llm", { name: "x" }), "partner edits");
  await expect(200, call("admin", "DELETE", "/tools/studio-llm"), "delete tool");
  await expect(404, call("admin", "DELETE", "/tools/studio-llm"), "delete it again");

  // Policy packs.
  await expect(200, call("partner", "GET", "/policy-packs"), "packs");
  const cases = [
    {
      name: "cases.yaml",
      text: "cases:\n  - name: absent facts escalate\n    declaration: {schema: clearcut/v1}\n    expect: {outcome: escalate}\n  - name: wrong on purpose\n    declaration: {schema: clearcut/v1}\n    expect: {outcome: notify}\n",
    },
  ];
  await expect(200, call("admin", "POST", "/policy-packs/test", { text: pack, cases }), "pack tests");
  await expect(400, call("admin", "POST", "/policy-packs/test", { text: pack, cases: [] }), "no cases");
  await expect(403, call("partner", "POST", "/policy-packs/test", { text: pack, cases }), "partner");
  await expect(200, call("admin", "POST", "/policy-packs/preview", { text: pack }), "preview");
  await expect(400, call("admin", "POST", "/policy-packs/preview", { text: "rules: 1" }), "bad pack");
  await expect(403, call("partner", "POST", "/policy-packs/preview", { text: pack }), "partner");
  await expect(201, call("admin", "POST", "/policy-packs", { text: pack }), "activate");

  // Webhooks and the outbox. The server has no SMTP: its e-mails become dead letters.
  const hook = await expect(
    201,
    call("contact", "POST", "/productions/1/webhooks", { url: "http://127.0.0.1:9/hook", format: "slack" }),
    "create webhook",
  );
  await expect(400, call("contact", "POST", "/productions/1/webhooks", { url: "ftp://x" }), "url");
  await expect(
    400,
    call("admin", "POST", "/productions/1/webhooks", { url: "http://127.0.0.1:9/hook", secret: "short" }),
    "short secret",
  );
  await expect(
    403,
    call("partner", "POST", "/productions/1/webhooks", { url: "http://x" }),
    "partner registers a webhook",
  );
  await expect(404, call("outsider", "GET", "/productions/1/webhooks"), "outsider's webhooks");
  await expect(200, call("contact", "GET", "/productions/1/webhooks"), "webhooks");
  await expect(202, call("contact", "POST", `/webhooks/${hook.body?.id}/test`), "test webhook");
  await expect(200, call("contact", "GET", `/webhooks/${hook.body?.id}/deliveries?limit=5`), "deliveries");
  await expect(400, call("contact", "GET", `/webhooks/${hook.body?.id}/deliveries?limit=0`), "bad limit");
  await expect(200, call("contact", "DELETE", `/webhooks/${hook.body?.id}`), "disable webhook");
  await expect(409, call("contact", "POST", `/webhooks/${hook.body?.id}/test`), "disabled");
  await expect(404, call("contact", "DELETE", "/webhooks/9999"), "no such webhook");
  await expect(403, call("contact", "GET", "/outbox"), "contact reads the outbox");
  await expect(400, call("admin", "GET", "/outbox?state=lost"), "bad state");
  let dead = [];
  for (let i = 0; i < 100 && dead.length === 0; i++) {
    dead = (await call("admin", "GET", "/outbox?state=dead&limit=10")).body?.items ?? [];
    if (dead.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  await expect(200, call("admin", "POST", `/outbox/${dead[0]?.id}/retry`), "retry a dead letter");
  await expect(200, call("admin", "GET", "/outbox?limit=5"), "outbox");
  await expect(404, call("admin", "POST", "/outbox/99999/retry"), "no such notification");

  // Users.
  await expect(200, call("admin", "GET", "/users"), "users");
  await expect(403, call("partner", "GET", "/users"), "partner lists users");
  await expect(
    201,
    call("admin", "POST", "/users", {
      email: "New.Hire@Studio.Example",
      name: "New Hire",
      password: "long enough",
      admin: false,
    }),
    "create user",
  );
  await expect(
    409,
    call("admin", "POST", "/users", { email: "new.hire@studio.example", password: "long enough" }),
    "duplicate email",
  );
  await expect(400, call("admin", "POST", "/users", { email: "x@y.z", password: "short" }), "pw");
  await expect(
    404,
    call("admin", "POST", "/users", { email: "x@y.z", password: "long enough", organization_id: 999 }),
    "organization",
  );

  // The audit log.
  await expect(200, call("partner", "GET", "/audit/checkpoint"), "checkpoint");
  await expect(200, call("admin", "GET", "/audit/events?from=0&limit=1000"), "audit events");
  await expect(403, call("contact", "GET", "/audit/events"), "contact reads the log");
  await expect(400, call("admin", "GET", "/audit/events?limit=0"), "bad limit");
  const size = (await call("admin", "GET", "/audit/events?limit=1")).body?.size;
  await expect(200, call("partner", "GET", `/audit/proof/inclusion?index=0&size=${size}`), "inclusion");
  await expect(
    400,
    call("partner", "GET", `/audit/proof/inclusion?index=${size}&size=${size}`),
    "index beyond the tree",
  );
  await expect(400, call("partner", "GET", "/audit/proof/inclusion?index=0"), "no size");
  await expect(200, call("partner", "GET", `/audit/proof/consistency?old=1&new=${size}`), "consistency");
  await expect(400, call("partner", "GET", `/audit/proof/consistency?old=2&new=1`), "old > new");

  // Members: listed to admins and contacts, removed by admins.
  const members = await expect(200, call("contact", "GET", "/productions/1/members"), "members");
  const partnerMember = (members.body?.items ?? []).find((m) => m.email === "partner@vendor.example");
  if (!partnerMember) note("members", "the demo partner is not listed");
  await expect(403, call("partner", "GET", "/productions/1/members"), "members to a partner");
  await expect(404, call("admin", "GET", "/productions/999/members"), "members of no production");
  await expect(
    403,
    call("contact", "DELETE", `/productions/1/members/${partnerMember?.user_id ?? 0}`),
    "removal by a contact",
  );

  // Single sign-on (a stand-in provider: sign-ins start, and a made-up callback is refused).
  const offered = await expect(200, call("anonymous", "GET", "/sso"), "sso");
  if (!offered.body?.enabled) note("sso", "single sign-on is configured but not offered");
  const started = await expect(303, call("anonymous", "GET", "/sso/login?return_to=%2F%23%2Fadmin"), "sso login");
  if (!(started.headers.get("location") ?? "").startsWith(`${idpIssuer}/auth?`)) {
    note("sso login", `redirects to ${started.headers.get("location")}`);
  }
  const back = await expect(303, call("anonymous", "GET", "/sso/callback?code=c&state=made-up"), "sso callback");
  if (!/^\/#\/login\?sso_error=.*already%20used/.test(back.headers.get("location") ?? "")) {
    note("sso callback", `redirects to ${back.headers.get("location")}`);
  }
  const mapping = await expect(
    201,
    call("admin", "POST", "/sso/mappings", { claim: "groups", value: "squid-legal", production_id: 1, role: "legal" }),
    "sso mapping",
  );
  await expect(
    409,
    call("admin", "POST", "/sso/mappings", {
      claim: "groups",
      value: "squid-legal",
      production_id: 1,
      role: "contact",
    }),
    "same mapping",
  );
  await expect(
    400,
    call("admin", "POST", "/sso/mappings", { value: "x", production_id: 1, role: "director" }),
    "mapping with a bad role",
  );
  await expect(
    404,
    call("admin", "POST", "/sso/mappings", { value: "x", production_id: 999, role: "legal" }),
    "mapping to no production",
  );
  await expect(
    403,
    call("partner", "POST", "/sso/mappings", { value: "x", production_id: 1, role: "legal" }),
    "mapping by a partner",
  );
  await expect(403, call("partner", "GET", "/sso/mappings"), "mappings to a partner");
  await expect(401, call("anonymous", "GET", "/sso/mappings"), "mappings to nobody");
  await expect(200, call("admin", "GET", "/sso/mappings"), "mappings");
  await expect(200, call("admin", "DELETE", `/sso/mappings/${mapping.body?.id}`), "unmap");
  await expect(404, call("admin", "DELETE", `/sso/mappings/${mapping.body?.id}`), "unmap again");

  // Sign-in throttling, last: it locks this address for 15 minutes.
  for (let i = 0; i < 5; i++) {
    await call("anonymous", "POST", "/session", { email: `nobody${i}@studio.example`, password: "wrong password" });
  }
  await expect(
    429,
    call("anonymous", "POST", "/session", { email: "legal@studio.example", password: "clearcut-demo" }),
    "throttled",
  );

  // Coverage: every operation answered 2xx at least once (3xx, for one that only redirects).
  for (const t of templates) {
    const statuses = answered.get(`${t.method} ${t.path}`) ?? new Set();
    const redirects = !Object.keys(t.op.responses).some((s) => s.startsWith("2"));
    if (![...statuses].some((s) => (redirects ? s >= 300 && s < 400 : s >= 200 && s < 300))) {
      problems.push(`${t.method} ${t.path}: never answered 2xx in the scenario`);
    }
  }
} finally {
  idp.close();
  smtp.close();
  server.kill("SIGTERM");
  const { code, signal } = await exited;
  if (code !== 0 || !/clearcut: stopped/.test(output)) {
    problems.push(`SIGTERM: exit ${code ?? signal}, output:\n${output}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

if (problems.length > 0) {
  for (const p of problems) {
    console.error(p);
  }
  console.error(`${problems.length} problem(s) in ${requests} answers`);
  process.exit(1);
}
const pairs = [...answered.values()].reduce((n, s) => n + s.size, 0);
console.log(
  `${requests} answers match docs/openapi.json: ${answered.size} of ${templates.length} ` +
    `operations, ${pairs} (operation, status) pairs`,
);
