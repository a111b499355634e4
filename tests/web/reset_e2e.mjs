// Password reset by e-mail, end to end: `clearcut serve --demo` sends mail to a real SMTP server
// on loopback (aiosmtpd, tests/notify/sinks.py), and Debian's Chromium, driven by
// playwright-core, does what a person who forgot their password does: asks for a link on the
// sign-in page, opens the link from the e-mail, chooses a new password and signs in with it.
// Then the spent link, the old password and an unknown address are each checked.
//   node tests/web/reset_e2e.mjs CLEARCUT_BINARY SCREENSHOT_DIR
// Exit 0 when every step passed, 1 on the first failure, 77 when Chromium or aiosmtpd is missing.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [binary, shots = "web-screenshots"] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
if (!binary) {
  console.error("usage: node reset_e2e.mjs CLEARCUT_BINARY [SCREENSHOT_DIR]");
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.log(`SKIP: ${chromium} not found (scripts/bootstrap installs Debian's chromium)`);
  process.exit(77);
}
if (!existsSync(join(root, "tests", "web", "node_modules", "playwright-core"))) {
  console.log("SKIP: tests/web/node_modules missing (scripts/npm-install installs it)");
  process.exit(77);
}
try {
  execFileSync(python, ["-c", "import aiosmtpd"], { stdio: "ignore" });
} catch {
  console.log("SKIP: python3-aiosmtpd is not installed (scripts/bootstrap installs it)");
  process.exit(77);
}
const { chromium: launcher } = await import("playwright-core");
mkdirSync(shots, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "clearcut-reset-e2e-"));
const received = join(work, "received.jsonl");
const children = [];

// Starts a process and resolves with the first match of `pattern` in its output.
function start(command, args, pattern) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk;
      const match = log.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk) => {
      log += chunk;
    });
    child.on("exit", (code) => reject(new Error(`${command} exited ${code}:\n${log}`)));
  });
}

const sinks = await start(
  python,
  [join(root, "tests", "notify", "sinks.py"), received, "unused-secret-0123456789"],
  /smtp (\d+) http (\d+)/,
);
const [, base] = await start(
  binary,
  [
    "serve",
    "--demo",
    "--db",
    `sqlite:${work}/cc.db`,
    "--port",
    "0",
    "--smtp-url",
    `smtp://127.0.0.1:${sinks[1]}`,
    "--mail-from",
    "clearcut@studio.example",
    "--public-url",
    "http://clearcut.test",
  ],
  /serving on (http:\/\/[\d.]+:\d+)\//,
);

const browser = await launcher.launch({
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

let passed = 0;
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
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
// The password reset e-mails sent to `to` (the demo's own notifications are left out).
function mails(to) {
  if (!existsSync(received)) return [];
  return readFileSync(received, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((m) => m.channel === "email" && m.to.includes(to) && m.key.startsWith("reset."));
}
async function waitForMail(to, count, seconds = 10) {
  for (let i = 0; i < seconds * 10; i++) {
    const got = mails(to);
    if (got.length >= count) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to} within ${seconds} s`);
}
async function api(path, body) {
  const response = await fetch(base + "/api/v1" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const who = "partner@vendor.example";
const newPassword = "a new and long passphrase";
let link = "";
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await step("the sign-in page offers a reset, which asks for the address", async () => {
    await page.goto(base + "/");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("Email").fill(who);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
    const said = await page.locator("#forgot-sent").textContent();
    expect(said.includes("a link to reset its password is on its way"), said);
    await page.screenshot({ path: join(shots, "reset-1-asked.png"), fullPage: true });
  });
  await step("the e-mail says what happened and carries the link; asking again sends nothing more", async () => {
    const [mail] = await waitForMail(who, 1);
    expect(mail.subject.startsWith("Someone asked to reset the password"), mail.subject);
    expect(mail.text.includes("If it was not you, ignore this e-mail"), mail.text);
    const match = mail.text.match(/Open it: (http:\/\/clearcut\.test)(\/#\/reset\?token=[0-9a-f]+)/);
    expect(match, `no link in:\n${mail.text}`);
    link = match[2];
    // Asking again within a minute sends nothing more.
    expect((await api("/password-reset", { email: who })).status === 202, "second ask refused");
    await new Promise((r) => setTimeout(r, 1500));
    expect(mails(who).length === 1, `${mails(who).length} reset e-mails to ${who}`);
  });
  await step("the link opens a form; the new password is set and every session ends", async () => {
    await page.goto(base + link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("The same password again").fill(newPassword + "x");
    await page.getByRole("button", { name: "Change the password" }).click();
    const differ = await page.locator(".error").first().textContent();
    expect(differ.includes("The two passwords differ"), differ);
    await page.getByLabel("The same password again").fill(newPassword);
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();
    await page.screenshot({ path: join(shots, "reset-2-changed.png"), fullPage: true });
  });
  await step("the new password signs in; the old one does not", async () => {
    expect((await api("/session", { email: who, password: "clearcut-demo" })).status === 401, "old password accepted");
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email").fill(who);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Your productions" }).waitFor();
  });
  await step("the link works once, and says so", async () => {
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(base + link);
    await fresh.getByLabel("New password", { exact: true }).fill("yet another long one");
    await fresh.getByLabel("The same password again").fill("yet another long one");
    await fresh.getByRole("button", { name: "Change the password" }).click();
    const refused = await fresh.locator(".error").first().textContent();
    expect(refused.includes("this reset link has expired or was already used"), refused);
  });
  await step("an unknown address gets the same answer as a known one, and no e-mail", async () => {
    const unknown = await api("/password-reset", { email: "nobody@nowhere.example" });
    const known = await api("/password-reset", { email: "contact@studio.example" });
    expect(unknown.status === 202 && known.status === 202, `${unknown.status} ${known.status}`);
    expect(unknown.body.message === known.body.message, "the answers differ");
    await waitForMail("contact@studio.example", 1);
    expect(mails("nobody@nowhere.example").length === 0, "mail to an unknown address");
  });
  await step("audit verify explains the database after the reset", async () => {
    for (const child of children.slice(1)) child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    const out = execFileSync(binary, ["audit", "verify", "--db", `sqlite:${work}/cc.db`], { encoding: "utf8" });
    expect(/ok|verified/i.test(out), out);
  });
  console.log(`${passed} steps passed`);
} catch {
  process.exitCode = 1;
} finally {
  await browser.close();
  for (const child of children) child.kill("SIGTERM");
  if (process.exitCode !== 1) rmSync(work, { recursive: true, force: true });
}
