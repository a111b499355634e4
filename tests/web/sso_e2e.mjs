// Single sign-on end to end: a certified OpenID provider (the npm package oidc-provider) on
// loopback, `clearcut serve --demo` configured as its relying party, and Debian's Chromium
// signing in through both. Between clearcut and the provider sits a small front that can spoil
// the next ID token (tampered, for another audience, expired) so that each refusal is seen as a
// person would see it.
//   node tests/web/sso_e2e.mjs CLEARCUT_BINARY [SCREENSHOT_DIR]
// Exit 0 when every step passed, 1 on the first failure, 77 when Chromium or the packages are
// not installed.
import { spawn, execFileSync } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [binary, shots = "web-screenshots"] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const here = dirname(fileURLToPath(import.meta.url));
if (!binary) {
  console.error("usage: node sso_e2e.mjs CLEARCUT_BINARY [SCREENSHOT_DIR]");
  process.exit(2);
}
for (const needed of [
  chromium,
  join(here, "node_modules", "playwright-core"),
  join(here, "node_modules", "oidc-provider"),
]) {
  if (!existsSync(needed)) {
    console.log(`SKIP: ${needed} not found (scripts/bootstrap and scripts/npm-install install it)`);
    process.exit(77);
  }
}
const { chromium: launcher } = await import("playwright-core");
const { default: Provider } = await import("oidc-provider");
mkdirSync(shots, { recursive: true });

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------- the identity provider ----------

const idpPort = await freePort();
const innerPort = await freePort();
const appPort = await freePort();
const issuer = `http://127.0.0.1:${idpPort}`;
const base = `http://127.0.0.1:${appPort}`;
const clientSecret = "e2e client secret";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: "jwk" }), kid: "e2e-1", alg: "RS256", use: "sig" };
const people = {
  ana: { name: "Ana Lima", email: "ana.lima@studio.example", groups: ["studio-legal"] },
  ben: { name: "Ben Okafor", email: "ben.okafor@studio.example", groups: ["vfx-vendors"] },
};
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "clearcut",
      client_secret: clientSecret,
      redirect_uris: [`${base}/api/v1/sso/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingJwk] },
  scopes: ["openid", "email", "profile", "groups"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  cookies: { keys: ["e2e cookie key"] },
  // Any login works at the provider's own development pages; the claims come from `people`.
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({
      sub: id,
      email_verified: true,
      ...(people[id] || { name: id, email: `${id}@studio.example`, groups: [] }),
    }),
  }),
});
provider.on("server_error", (ctx, error) => console.log("provider error:", error));
const inner = provider.listen(innerPort);

// The front: everything goes to the provider, except that the token endpoint's answer can be
// spoiled once (GET /__spoil/<how>).
let spoil = null;
function reSign(token, change) {
  const [header, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url"));
  change(claims);
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${sign("sha256", Buffer.from(input), createPrivateKey({ key: signingJwk, format: "jwk" })).toString("base64url")}`;
}
const spoilers = {
  tampered: (token) => {
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url"));
    claims.sub = "someone-else";
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
  },
  audience: (token) =>
    reSign(token, (c) => {
      c.aud = "another-app";
    }),
  expired: (token) =>
    reSign(token, (c) => {
      c.iat -= 7200;
      c.exp = c.iat + 600;
    }),
};
const front = createServer((req, res) => {
  const spoilMatch = req.url.match(/^\/__spoil\/(\w+)$/);
  if (spoilMatch) {
    spoil = spoilMatch[1];
    res.end("ok");
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port: innerPort, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const body = [];
        up.on("data", (c) => body.push(c));
        up.on("end", () => {
          let out = Buffer.concat(body);
          const headers = { ...up.headers };
          if (req.url.startsWith("/token") && spoil && up.statusCode === 200) {
            const answer = JSON.parse(out);
            answer.id_token = spoilers[spoil](answer.id_token);
            spoil = null;
            out = Buffer.from(JSON.stringify(answer));
            headers["content-length"] = String(out.length);
          }
          res.writeHead(up.statusCode, headers);
          res.end(out);
        });
      },
    );
    upstream.on("error", (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    upstream.end(Buffer.concat(chunks));
  });
});
await new Promise((resolve) => front.listen(idpPort, "127.0.0.1", resolve));

// ---------- clearcut ----------

const work = mkdtempSync(join(tmpdir(), "clearcut-sso-"));
const secretFile = join(work, "client-secret");
writeFileSync(secretFile, clientSecret + "\n");
const server = spawn(
  binary,
  [
    "serve",
    "--demo",
    "--db",
    `sqlite:${work}/cc.db`,
    "--port",
    String(appPort),
    "--public-url",
    base,
    "--oidc-issuer",
    issuer,
    "--oidc-client-id",
    "clearcut",
    "--oidc-client-secret-file",
    secretFile,
    "--oidc-scopes",
    "openid email profile groups",
    "--oidc-provider-name",
    "Studio ID",
    "--local-passwords",
    "admins",
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
let serverLog = "";
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("server did not start:\n" + serverLog)), 30000);
  server.stdout.on("data", (chunk) => {
    serverLog += chunk;
    if (/serving on/.test(serverLog)) {
      clearTimeout(timer);
      resolve();
    }
  });
  server.stderr.on("data", (chunk) => {
    serverLog += chunk;
  });
  server.on("exit", (code) => reject(new Error(`server exited ${code}:\n${serverLog}`)));
});

let passed = 0;
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
async function step(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    console.log(`FAIL ${name}: ${error.message}`);
    throw error;
  }
}

async function call(method, path, body, session) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (session) {
    headers.Cookie = session.cookie;
    if (method !== "GET") headers["X-CSRF-Token"] = session.csrf;
  }
  const response = await fetch(base + "/api/v1" + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

const browser = await launcher.launch({
  executablePath: chromium,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

// Signs in at the provider as `login` from clearcut's sign-in page; returns the page where the
// browser ends up, and the callback URL it passed through.
async function ssoSignIn(login, { spoilWith = null, context = null } = {}) {
  context = context || (await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
  const page = await context.newPage();
  let callback = null;
  page.on("request", (r) => {
    if (r.url().includes("/api/v1/sso/callback")) callback = r.url();
  });
  if (spoilWith) await fetch(`${issuer}/__spoil/${spoilWith}`);
  await page.goto(base + "/");
  await page.getByRole("link", { name: "Sign in with Studio ID" }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.toString().startsWith(base + "/#/"));
  return { page, callback, context };
}

async function refusalShown(page) {
  const alert = page.locator("#sso-error");
  await alert.waitFor({ timeout: 10000 });
  return (await alert.textContent()).trim();
}

try {
  let admin;
  let mappedProduction;
  await step("an admin maps the directory group studio-legal to legal on the first production", async () => {
    const login = await call("POST", "/session", { email: "admin@studio.example", password: "clearcut-demo" });
    expect(login.status === 201, `admin password sign-in: ${login.status} ${JSON.stringify(login.body)}`);
    admin = { cookie: login.headers.get("set-cookie").split(";")[0], csrf: login.body.csrf_token };
    const productions = await call("GET", "/productions", undefined, admin);
    const first = productions.body.items[0];
    mappedProduction = first.id;
    const added = await call(
      "POST",
      "/sso/mappings",
      { claim: "groups", value: "studio-legal", production_id: first.id, role: "legal" },
      admin,
    );
    expect(added.status === 201, `mapping: ${added.status} ${JSON.stringify(added.body)}`);
    const listed = await call("GET", "/sso/mappings", undefined, admin);
    expect(listed.body.items.length === 1 && listed.body.items[0].role === "legal", JSON.stringify(listed.body));
  });

  await step("a partner's password is refused while passwords are for admins only", async () => {
    const refused = await call("POST", "/session", { email: "partner@vendor.example", password: "clearcut-demo" });
    expect(
      refused.status === 409 && /single sign-on/.test(refused.body.message),
      `${refused.status} ${JSON.stringify(refused.body)}`,
    );
  });

  let first;
  await step("Ana signs in through the provider in Chromium; her account is made, with her group's role", async () => {
    first = await ssoSignIn("ana");
    await first.page.getByRole("heading", { name: "Your productions" }).waitFor();
    const who = await first.page.locator("#who").textContent();
    expect(who.includes("Ana Lima"), `signed in as: ${who}`);
    const me = await first.page.evaluate(async () => await (await fetch("/api/v1/me")).json());
    expect(me.user.email === "ana.lima@studio.example", JSON.stringify(me));
    const roles = JSON.stringify(me.user.roles);
    expect(roles === JSON.stringify([{ production_id: mappedProduction, role: "legal" }]), `roles: ${roles}`);
    await first.page.screenshot({ path: join(shots, "sso-signed-in.png"), fullPage: true });
  });

  await step("the callback replayed (the same state) is refused", async () => {
    expect(first.callback, "the browser never passed the callback");
    const page = await first.context.newPage();
    await page.goto(first.callback);
    const message = await refusalShown(page);
    expect(/already used or has expired/.test(message), message);
  });

  for (const [how, wanted] of [
    ["tampered", /signature does not verify/],
    ["audience", /another application/],
    ["expired", /expired at/],
  ]) {
    await step(
      `an ID token ${how === "audience" ? "for another audience" : how} is refused with a clear message`,
      async () => {
        const { page } = await ssoSignIn("ben", { spoilWith: how });
        const message = await refusalShown(page);
        expect(wanted.test(message), message);
        expect(!(await page.locator("#who").textContent()).includes("Ben"), "signed in anyway");
        if (how === "tampered") await page.screenshot({ path: join(shots, "sso-refused.png"), fullPage: true });
      },
    );
  }

  await step("Ben signs in once nothing is spoiled; no group maps, so he holds no role", async () => {
    const { page } = await ssoSignIn("ben");
    await page.getByRole("heading", { name: "Your productions" }).waitFor();
    const me = await page.evaluate(async () => await (await fetch("/api/v1/me")).json());
    expect(me.user.email === "ben.okafor@studio.example", JSON.stringify(me));
    expect(Array.isArray(me.user.roles) && me.user.roles.length === 0, `roles: ${JSON.stringify(me.user.roles)}`);
  });
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.on("exit", resolve));
  inner.close();
  front.close();
}

await (async () => {
  await step(
    "`clearcut audit verify` finds the accounts, links and roles single sign-on made in its events",
    async () => {
      const out = execFileSync(binary, ["audit", "verify", "--db", `sqlite:${work}/cc.db`], { encoding: "utf8" });
      expect(/ok|verified/i.test(out), out);
    },
  );
})();
rmSync(work, { recursive: true, force: true });
console.log(`${passed} steps passed`);
process.exit(0);
