// End-to-end test of the web UI: Debian's Chromium driven by playwright-core against
// `clearcut serve --demo` on a free port. Each step asserts on what the page shows.
//   node tests/web/e2e.mjs CLEARCUT_BINARY SCREENSHOT_DIR
// Exit 0 when every step passed, 1 on the first failure, 77 when Chromium is not installed.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";

const [binary, shots = "web-screenshots"] = process.argv.slice(2);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
if (!binary) {
  console.error("usage: node e2e.mjs CLEARCUT_BINARY [SCREENSHOT_DIR]");
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
const { chromium: launcher } = await import("playwright-core");
mkdirSync(shots, { recursive: true });

const work = mkdtempSync(join(tmpdir(), "clearcut-e2e-"));
const deliveries = join(work, "deliveries");
mkdirSync(join(deliveries, "ep101"), { recursive: true });
// Scans read the invisible watermark with the key the outputs were stamped with.
process.env.CLEARCUT_E2E_WATERMARK = "e2e watermark passphrase";
const server = spawn(
  binary,
  [
    "serve",
    "--demo",
    "--db",
    `sqlite:${work}/cc.db`,
    "--port",
    "0",
    "--scan-root",
    deliveries,
    "--watermark-passphrase",
    "CLEARCUT_E2E_WATERMARK",
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
let serverLog = "";
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("server did not start:\n" + serverLog)), 30000);
  const onData = (chunk) => {
    serverLog += chunk;
    const match = serverLog.match(/serving on (http:\/\/[\d.]+:\d+)\//);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  };
  server.stdout.on("data", onData);
  server.stderr.on("data", (chunk) => {
    serverLog += chunk;
  });
  server.on("exit", (code) => reject(new Error(`server exited ${code}:\n${serverLog}`)));
});

const browser = await launcher.launch({
  executablePath: chromium,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let passed = 0;
let failed = 0;
const externalRequests = [];

async function step(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error.message}`);
    throw error;
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(email, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith("data:") && !request.url().startsWith("blob:")) {
      externalRequests.push(request.url());
    }
  });
  await page.goto(base + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("clearcut-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Your productions" }).waitFor();
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// One part of a page (a section, a form), for the guides in docs/ (scripts/docs-screenshots).
async function shotOf(locator, name) {
  await locator.screenshot({ path: join(shots, `${name}.png`) });
}

const radio = (page, field, value) => page.locator(`fieldset[data-field="${field}"] input[value="${value}"]`).check();
const tick = (page, field, value) => page.locator(`fieldset[data-field="${field}"] input[value="${value}"]`).check();

async function goToStep(page, title) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: title }).click();
}

// The decision's own outcome: the badge in the triage panel's first paragraph (rules carry
// badges of their own further down).
async function triageOutcome(page, outcome) {
  await page.waitForFunction(
    (want) => document.querySelector("#triage > div > p:first-child .badge")?.dataset.outcome === want,
    outcome,
    { timeout: 10000 },
  );
}

async function stateOf(page) {
  return (await page.locator("main p .badge").first().textContent()).trim();
}

let moodId = 0;
let dollId = 0;

try {
  const partner = await signIn("partner@vendor.example");
  await step("partner sees only their production", async () => {
    const rows = await partner.locator("tbody tr").allTextContents();
    expect(rows.length === 1 && rows[0].includes("squid-game-s3"), `rows: ${rows}`);
    expect((await partner.title()) === "My tasks · clearcut", `title: ${await partner.title()}`);
    expect(await partner.locator("#no-tasks").isVisible(), "the partner has no tasks yet");
    await shot(partner, "01-productions");
  });

  await step("partner declares a mood-board use through the guided form: notified", async () => {
    await partner.getByRole("link", { name: /Squid Game/ }).click();
    await partner.getByRole("heading", { level: 1, name: /Squid Game/ }).waitFor();
    expect(/^Squid Game.* · clearcut$/.test(await partner.title()), `title: ${await partner.title()}`);
    await partner.getByRole("link", { name: "Declare a use" }).click();
    await partner.getByRole("heading", { level: 1, name: /Declare a GenAI use/ }).waitFor();
    expect((await partner.evaluate(() => window.scrollY)) === 0, "a new view starts at its top");
    expect((await partner.evaluate(() => document.activeElement?.tagName)) === "H1", "focus is on the view's heading");
    await partner.getByLabel("Summary").fill("Mood board for the marbles set, colour and texture only");
    // A form barely begun: a count of the questions left, not a wall of rules.
    await partner.locator("#triage summary", { hasText: /^\d+ questions left/ }).waitFor();
    await partner.getByLabel("Purpose").selectOption("ideation");
    await tick(partner, "media", "image");
    await goToStep(partner, "2. Tools");
    await partner.getByRole("button", { name: "Add a stage" }).click();
    const toolSelect = partner.getByLabel("Tool from the registry");
    expect((await toolSelect.inputValue()) === "", "no tool is chosen for the partner");
    await toolSelect.selectOption("freegen-web");
    const consumer = partner.locator(".stage .warning");
    await consumer.waitFor();
    const said = await consumer.textContent();
    expect(said.includes("consumer tool") && said.includes("trains on what it is given"), `warning: ${said}`);
    await shot(partner, "02a-declare-consumer-tool-named");
    await partner.getByLabel("Tool from the registry").selectOption("imagegen-pro");
    await consumer.waitFor({ state: "detached" });
    await goToStep(partner, "3. Inputs and references");
    expect(
      (await partner.evaluate(() => document.activeElement?.textContent)) === "3. Inputs and references",
      "focus moves to the new section's heading",
    );
    await tick(partner, "inputs", "own_material");
    await tick(partner, "references", "__none");
    await goToStep(partner, "4. Training");
    await radio(partner, "training.trains_model", "no");
    // Questions the answers make moot are not asked (the pack's ask_when and the rules say which).
    await partner.locator('[data-question="training.on"]').waitFor({ state: "hidden" });
    await goToStep(partner, "5. The output");
    await radio(partner, "output.in_final", "no");
    await partner.getByLabel("On-screen element").selectOption("none");
    await radio(partner, "output.could_be_mistaken_for_real", "no");
    await radio(partner, "output.factual_content", "no");
    await radio(partner, "output.public", "no");
    for (const moot of ["output.prominence", "output.story_relevant", "output.key_creative_element"]) {
      await partner.locator(`[data-question="${moot}"]`).waitFor({ state: "hidden" });
    }
    await goToStep(partner, "6. Talent");
    await radio(partner, "talent.likeness", "no");
    // No performer: the replica and alteration questions go, and the form says what follows.
    await partner.locator('[data-question="talent.digital_replica"]').waitFor({ state: "hidden" });
    await partner.locator('[data-question="talent.alteration"]').waitFor({ state: "hidden" });
    const notAsked = await partner.locator("#not-asked").textContent();
    expect(notAsked.includes("Digital replica (none)"), `the form says which answers follow: ${notAsked}`);
    await radio(partner, "talent.replaces_union_work", "no");
    await radio(partner, "talent.real_person", "no");
    expect(
      await partner.locator('[data-question="talent.performer_model_outside_scope"]').isHidden(),
      "no performer, so no performer-trained model",
    );
    await goToStep(partner, "7. The five principles");
    for (const p of [
      "p1_no_infringement",
      "p2_no_training_on_production_data",
      "p3_enterprise_environment",
      "p4_temporary_not_final",
    ]) {
      await radio(partner, `principles.${p}`, "yes");
    }
    // One question left, and the bar says what answering it would do.
    await partner.locator("#questions-left", { hasText: "1 question left" }).waitFor();
    const lever = await partner.locator("#outcome-bar .levers").textContent();
    expect(
      lever.includes("No talent performance or union work is replaced without consent") &&
        lever.includes("notify the studio"),
      `the outcome bar names what would lower it: ${lever}`,
    );
    await shot(partner, "02b-declare-outcome-bar");
    await radio(partner, "principles.p5_no_talent_replacement_without_consent", "yes");
    await partner.locator("#questions-left", { hasText: "no question left" }).waitFor();
    await triageOutcome(partner, "notify");
    const triage = await partner.locator("#triage").textContent();
    expect(triage.includes("MATRIX-1") && triage.includes("Ideation only"), `the triage explains MATRIX-1: ${triage}`);
    // Plain language first: the result and what to do are shown; rule ids wait in "Details".
    const shown = await partner.locator("#triage").innerText();
    expect(
      shown.includes("Likely result: notify the studio") && shown.includes("Tell the studio contact"),
      `the triage leads with the result and the actions: ${shown.slice(0, 300)}`,
    );
    const ids = shown.match(/\b[A-Z]+-\d+\b/g);
    expect(!ids, `no rule id is shown before "Details" is opened: ${ids}`);
    await shot(partner, "02-declare-form-live-triage");
    await partner.getByRole("button", { name: "Submit to the studio" }).click();
    await partner.getByRole("heading", { name: /Mood board for the marbles set/ }).waitFor();
    moodId = Number(partner.url().match(/#\/u\/(\d+)/)[1]);
    expect((await stateOf(partner)) === "notified", `state ${await stateOf(partner)}`);
    // What was not asked is stated in the declaration as it follows from the answers.
    const saved = await (await partner.request.get(`${base}/api/v1/use-cases/${moodId}`)).json();
    expect(
      saved.declaration.talent.digital_replica === "none" && saved.declaration.talent.likeness === "no",
      `the saved declaration states the answers that follow: ${JSON.stringify(saved.declaration.talent)}`,
    );
  });

  await step("the triage answers live while the form changes", async () => {
    await partner.goto(`${base}/#/p/1/declare`);
    await partner.getByLabel("Summary").fill("Generated poster read aloud in the final cut");
    await goToStep(partner, "5. The output");
    await radio(partner, "output.in_final", "yes");
    await triageOutcome(partner, "written_approval");
    const triage = await partner.locator("#triage").textContent();
    expect(triage.includes("TRIG-FINAL"), "TRIG-FINAL is explained");
  });

  await step("a bad declaration is shown beside the field that caused it, nothing saved", async () => {
    const before = (await (await partner.request.get(`${base}/api/v1/productions/1/use-cases`)).json()).items.length;
    // No summary yet: submitting is refused beside the field, on the first section.
    await partner.goto(`${base}/#/`);
    await partner.getByRole("heading", { level: 1, name: "My tasks" }).waitFor();
    await partner.goto(`${base}/#/p/1/declare`);
    await goToStep(partner, "5. The output");
    await partner.getByRole("button", { name: "Submit to the studio" }).click();
    const missing = partner.locator("[data-section='basics'] .error").first();
    await missing.waitFor();
    expect((await missing.textContent()).startsWith("summary:"), `error: ${await missing.textContent()}`);
    await partner.getByLabel("Summary").fill("Generated poster read aloud in the final cut");
    await goToStep(partner, "2. Tools");
    await partner.getByRole("button", { name: "Add a stage" }).click();
    await partner.getByLabel("Tool from the registry").selectOption("");
    await partner.getByRole("button", { name: "Save as draft" }).click();
    const error = partner.locator(".stage + .error, .stage .error, [data-field^='pipeline'] ~ .error").first();
    await error.waitFor();
    const text = await error.textContent();
    expect(text.includes("pipeline[0]") && text.includes("stage needs"), `error: ${text}`);
    await shot(partner, "03-declare-error-beside-field");
    const after = (await (await partner.request.get(`${base}/api/v1/productions/1/use-cases`)).json()).items.length;
    expect(before === after, `use cases ${before} -> ${after}`);
  });

  await step("partner uploads the key-visual declaration and submits it: escalated", async () => {
    await partner.goto(`${base}/#/p/1/declare`);
    await partner.locator("#upload").setInputFiles(join(root, "examples", "second-doll.yaml"));
    await partner.getByRole("heading", { name: /Edit use case #\d+/ }).waitFor();
    dollId = Number(partner.url().match(/#\/u\/(\d+)\/edit/)[1]);
    await triageOutcome(partner, "written_approval");
    await partner.getByRole("button", { name: "Submit to the studio" }).click();
    await partner.getByRole("heading", { name: /Second doll/ }).waitFor();
    expect((await stateOf(partner)) === "escalated", `state ${await stateOf(partner)}`);
    const decision = await partner.locator("section", { hasText: "Decision" }).first().textContent();
    expect(decision.includes("CREA-1") && decision.includes("FIN-2"), "the decision lists CREA-1 and FIN-2");
    await shot(partner, "04-use-case-partner");
  });

  const contact = await signIn("contact@studio.example");
  await step("the contact's home leads with My tasks: the submitted mood board, due in two working days", async () => {
    await contact.getByRole("heading", { level: 1, name: "My tasks" }).waitFor();
    const row = contact.locator(`#tasks tr[data-use-case="${moodId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    expect(
      text.includes("Mood board for the marbles") &&
        text.includes("Squid Game") &&
        text.includes("Acknowledge it, escalate it to legal or ask for changes.") &&
        text.includes("nobody"),
      `the task: ${text}`,
    );
    expect(
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/.test(text) && !text.includes("Overdue"),
      `a due date, not overdue: ${text}`,
    );
    await shot(contact, "04a-my-tasks-contact");
  });

  await step("the contact assigns the mood board to legal; legal sees it in My tasks, assigned to them", async () => {
    await contact.locator(`#tasks tr[data-use-case="${moodId}"] a`).click();
    await contact.getByRole("heading", { level: 1, name: new RegExp(`^#${moodId} `) }).waitFor();
    expect((await contact.locator("#assignee").textContent()).includes("nobody"), "nobody has it yet");
    await contact.getByLabel("Assign to").selectOption({ label: "Lee Legal" });
    await contact.getByRole("button", { name: "Assign", exact: true }).click();
    await contact.waitForFunction(() => document.querySelector("#assignee")?.textContent.includes("Lee Legal"));
    const history = await contact.locator("section", { hasText: "History" }).textContent();
    expect(!/user \d/.test(history), `people are named: ${history}`);
    const lee = await signIn("legal@studio.example");
    const row = lee.locator(`#tasks tr[data-use-case="${moodId}"]`);
    await row.waitFor();
    expect((await row.locator("td.assignee").textContent()) === "Lee Legal", await row.textContent());
    const doll = await lee.locator(`#tasks tr[data-use-case="${dollId}"]`).textContent();
    expect(doll.includes("grant or refuse written approval"), `legal's own task: ${doll}`);
    await shot(lee, "04b-my-tasks-legal-assigned");
    await lee.context().close();
  });

  await step(
    "legal names the contact their delegate while away: the contact's tasks include legal's, marked as theirs",
    async () => {
      const lee = await signIn("legal@studio.example");
      await lee.getByRole("link", { name: "Lee Legal" }).click();
      await lee.getByRole("heading", { level: 1, name: "Your settings" }).waitFor();
      await lee.getByLabel(/Delegate's e-mail/).fill("contact@studio.example");
      const day = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
      await lee.getByLabel(/Until/).fill(day);
      await lee.getByRole("button", { name: "Save delegate" }).click();
      await lee.waitForFunction(() => document.querySelector("#delegation")?.textContent.includes("Cory Contact"));
      await shotOf(lee.locator("#away"), "04c-away-legal");
      await contact.goto(`${base}/#/`);
      await contact.reload();
      const row = contact.locator(`#tasks tr[data-use-case="${dollId}"]`);
      await row.waitFor();
      expect((await row.textContent()).includes("for Lee Legal"), await row.textContent());
      await lee.getByRole("button", { name: "End the delegation" }).click();
      await lee.locator("p#delegation", { hasText: "You have no delegate." }).waitFor();
      await lee.context().close();
    },
  );

  await step("contact sees both in the review queue and escalates the mood board", async () => {
    await contact.goto(`${base}/#/p/1`);
    await contact.getByRole("heading", { name: "Review queue" }).waitFor();
    const queue = await contact.locator("table").first().textContent();
    expect(queue.includes("Second doll") && queue.includes("Mood board for the marbles"), "queue lists both");
    await shot(contact, "05-dashboard-contact");
    await contact.goto(`${base}/#/u/${moodId}`);
    await contact.getByLabel("Note for this action").fill("Ideation, but the set designer wants legal to look");
    await contact.getByRole("button", { name: "Escalate" }).click();
    await contact.waitForFunction(() => document.querySelector("main p .badge")?.textContent.trim() === "escalated");
    const history = await contact.locator("section", { hasText: "History" }).textContent();
    expect(history.includes("escalated") && history.includes("wants legal to look"), "history shows the escalation");
    expect(
      /by Cory Contact/.test(history) && !/by user \d/.test(history),
      `people are named, not numbered: ${history}`,
    );
  });

  await step("contact acknowledges the key visual", async () => {
    await contact.goto(`${base}/#/u/${dollId}`);
    // The mood board's page, which has an Acknowledge button too, stays until this one is drawn.
    await contact.getByRole("heading", { level: 1, name: new RegExp(`^#${dollId} `) }).waitFor();
    // Someone acts on the case while this page is open (here the same contact, through the API).
    await contact.getByLabel("Note for this action").fill("typed before the case changed");
    const me = await (await contact.request.get(`${base}/api/v1/me`)).json();
    const current = await (await contact.request.get(`${base}/api/v1/use-cases/${dollId}`)).json();
    const other = await contact.request.post(`${base}/api/v1/use-cases/${dollId}/transitions`, {
      headers: { "X-CSRF-Token": me.csrf_token },
      data: { action: "acknowledge", revision: current.revision },
    });
    expect(other.status() === 200, `acknowledged through the API: ${other.status()}`);
    // The page's own action is refused as stale: a banner stays, the typed note is kept.
    await contact.getByRole("button", { name: "Acknowledge" }).click();
    const banner = contact.locator("#stale-banner");
    await banner.waitFor();
    expect((await banner.textContent()).includes("changed since you opened it"), await banner.textContent());
    expect(
      (await contact.getByLabel("Note for this action").inputValue()) === "typed before the case changed",
      "the typed note is kept",
    );
    await shot(contact, "05a-case-changed-banner");
    await banner.getByRole("button", { name: "Reload the case" }).click();
    await contact.locator("section", { hasText: "History" }).getByText("acknowledged").waitFor();
  });

  const legal = await signIn("legal@studio.example");
  await step("the checklist beside the approval form gates it: refused while items are open", async () => {
    await legal.goto(`${base}/#/u/${dollId}`);
    const checklist = legal.locator("section", { hasText: "Checklist (gates written approval)" });
    await checklist.waitFor();
    const items = await checklist.textContent();
    expect(
      items.includes("Say which parts of the final version are human-authored.") &&
        items.includes("Open question: Does the final version have meaningful human authorship?"),
      `the checklist lists the action and the open question: ${items}`,
    );
    await legal.getByLabel("Reason", { exact: true }).fill("Key visual with a human repaint.");
    await legal.getByLabel("Your full name (signature)").fill("Lee Legal");
    await legal.getByRole("button", { name: "Approve in writing" }).click();
    await legal.getByRole("button", { name: "Sign the approval" }).click();
    const error = legal.locator("form[aria-label='Written approval'] [role=alert]");
    await error.waitFor();
    const text = await error.textContent();
    expect(text.includes("open items") && text.includes("human_authorship"), `refusal: ${text}`);
    await shot(legal, "06a-checklist-open-legal");
    await shotOf(checklist, "doc-checklist-open");
    await shotOf(legal.locator("form[aria-label='Written approval']"), "doc-approval-refused");
  });

  await step("the contact records the human-authorship statement; legal waives the open question", async () => {
    await contact.goto(`${base}/#/u/${dollId}`);
    await contact
      .getByLabel("Evidence for human authorship")
      .fill("The art department repaints every final frame of the doll.");
    await contact.getByRole("button", { name: "Record evidence" }).click();
    await contact.locator("[data-item='human_authorship'] .c-met").waitFor();
    await legal.reload();
    await legal
      .getByLabel("Reason to waive: Does the final version have meaningful human authorship?")
      .fill("Settled by the repaint statement above.");
    await legal.getByRole("button", { name: "Waive" }).click();
    await legal.locator("[data-item='output.human_authored_final'] .c-waived").waitFor();
    await shot(legal, "06b-checklist-met-legal");
    await shotOf(legal.locator("section", { hasText: "Checklist (gates written approval)" }), "doc-checklist-met");
  });

  await step(
    "legal attaches the licence to the key visual: HTML is refused, the PDF is listed and downloads as a file",
    async () => {
      await legal.goto(`${base}/#/u/${dollId}`);
      await legal.reload();
      const section = legal.locator("section[aria-labelledby='attachments-title']");
      await section.waitFor();
      const input = legal.getByLabel("File to attach (PDF, image, text or office document)");
      // The browser's type is not believed: the server reads the bytes.
      await input.setInputFiles({
        name: "licence.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("<!doctype html><script>alert(1)</script>"),
      });
      await legal.getByRole("button", { name: "Attach", exact: true }).click();
      const error = legal.locator("form[aria-label='Attach a file'] [role=alert]");
      await error.waitFor();
      const text = await error.textContent();
      expect(text.includes("HTML") && text.includes("PDF"), `refusal: ${text}`);
      await input.setInputFiles({
        name: "doll-design-licence.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.7\nLicence of the doll design\n%%EOF\n"),
      });
      await legal.getByRole("button", { name: "Attach", exact: true }).click();
      const link = legal
        .locator("section[aria-labelledby='attachments-title']")
        .getByRole("link", { name: "doll-design-licence.pdf" });
      await link.waitFor();
      const response = await legal.request.get(`${base}${await link.getAttribute("href")}`);
      const headers = response.headers();
      expect(
        response.status() === 200 &&
          headers["content-type"] === "application/pdf" &&
          headers["content-disposition"].startsWith("attachment;") &&
          headers["x-content-type-options"] === "nosniff" &&
          headers["content-security-policy"].includes("sandbox"),
        `download: ${response.status()} ${JSON.stringify(headers)}`,
      );
      expect((await response.text()).includes("Licence of the doll design"), "the file's bytes");
      await shot(legal, "06c-attachments-legal");
    },
  );

  await step(
    "the contact attaches the licence from the checklist's evidence form: its SHA-256 is filled in and meets rights clearance",
    async () => {
      // A case whose inputs include third-party IP, so that its checklist asks for the licence.
      const text = readFileSync(join(root, "examples", "second-doll.yaml"), "utf8")
        .replace(
          "summary: Second doll beside the first in the red light, green light scene",
          "summary: Licensed doll design in the red light, green light scene",
        )
        .replace("inputs: [script, production_image]", "inputs: [script, third_party_ip]");
      const id = await partner.evaluate(async (declaration) => {
        const csrf = (await (await fetch("/api/v1/me", { credentials: "same-origin" })).json()).csrf_token;
        const response = await fetch("/api/v1/productions/1/use-cases", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ declaration, submit: true }),
        });
        return (await response.json()).id;
      }, text);
      expect(Number.isInteger(id), `declared: ${id}`);
      await contact.goto(`${base}/#/u/${id}`);
      const form = contact.locator("form[aria-label='Record evidence: rights_clearance']");
      await form.waitFor();
      const licence = Buffer.from("%PDF-1.7\nLicence of the third-party doll design\n%%EOF\n");
      await contact
        .getByLabel("Or attach the licence or clearance file (rights clearance)")
        .setInputFiles({ name: "third-party-licence.pdf", mimeType: "application/pdf", buffer: licence });
      const hash = createHash("sha256").update(licence).digest("hex");
      const field = contact.getByLabel("SHA-256 of the licence or clearance (rights clearance)");
      await contact.waitForFunction(
        (h) => [...document.querySelectorAll("input[type=text]")].some((i) => i.value === h),
        hash,
      );
      expect((await field.inputValue()) === hash, "the hash is filled in");
      await form.getByRole("button", { name: "Record evidence" }).click();
      await contact.locator("[data-item='rights_clearance'] .c-met").waitFor();
      await contact
        .locator("section[aria-labelledby='attachments-title']")
        .getByRole("link", { name: "third-party-licence.pdf" })
        .waitFor();
      await shot(contact, "06d-licence-attached-from-checklist");
    },
  );

  await step("legal approves the key visual in writing with a condition", async () => {
    await legal.goto(`${base}/#/u/${dollId}`);
    await legal.reload();
    await legal.getByLabel("Conditions").fill("A human artist repaints the final frames; credit the art department.");
    await legal.getByLabel("Reason", { exact: true }).fill("Key visual with a human repaint; checklist met.");
    await legal.getByLabel("Your full name (signature)").fill("Lee Legal");
    await legal.getByLabel("Cleared for final use").check();
    await legal.getByLabel("Deliverables (comma-separated)").fill("S3E4");
    await shot(legal, "06-approval-form-legal");
    await shotOf(legal.locator("form[aria-label='Written approval']"), "doc-approval-form");
    await legal.getByRole("button", { name: "Approve in writing" }).click();
    // The signing step: what is approved, as it will be recorded, before the signature counts.
    const summary = legal.getByRole("alertdialog", { name: /You are approving use case #\d+ in writing/ });
    await summary.waitFor();
    const said = await summary.textContent();
    expect(
      said.includes("final use, S3E4") &&
        said.includes("human artist repaints") &&
        said.includes("Lee Legal") &&
        said.includes("The art department repaints every final frame") &&
        said.includes("waived: Settled by the repaint statement above."),
      `summary: ${said}`,
    );
    await shotOf(summary, "doc-sign-summary");
    await summary.getByRole("button", { name: "Sign the approval" }).click();
    await legal.waitForFunction(() => document.querySelector("main p .badge")?.textContent.trim() === "approved");
    const approvals = await legal.locator("section", { hasText: "Written approvals" }).textContent();
    expect(approvals.includes("human artist repaints"), "the approval shows its condition");
    expect(
      approvals.includes("Lee Legal") && approvals.includes("checklist met"),
      "the approval shows its signer and reason",
    );
    await shot(legal, "06c-approved-legal");
    await shotOf(legal.locator("section", { hasText: "Written approvals" }), "doc-approved");
    // The certificate to file: a PDF download that carries the JSON certificate.
    const [download] = await Promise.all([
      legal.waitForEvent("download"),
      legal.getByRole("link", { name: "Download the certificate (PDF)" }).click(),
    ]);
    expect(/^approval-\d+-certificate\.pdf$/.test(download.suggestedFilename()), download.suggestedFilename());
    const pdf = readFileSync(await download.path());
    expect(
      pdf.subarray(0, 5).toString() === "%PDF-" &&
        pdf.includes("Lee Legal") &&
        pdf.includes("clearcut-approval-certificate/1"),
      `the PDF: ${pdf.length} bytes`,
    );
  });

  await step("the partner sees the approval and its condition", async () => {
    await partner.goto(`${base}/#/u/${dollId}`);
    await partner.reload(); // the partner's page still shows the case as submitted
    await partner.getByRole("heading", { name: /Second doll/ }).waitFor();
    expect((await stateOf(partner)) === "approved", `state ${await stateOf(partner)}`);
    const approvals = await partner.locator("section", { hasText: "Written approvals" }).textContent();
    expect(approvals.includes("human artist repaints") && approvals.includes("final use"), approvals);
  });

  await step("legal clears a registered output under the approval; the disclosure report lists it", async () => {
    const me = await (await partner.request.get(`${base}/api/v1/me`)).json();
    const registered = await partner.request.post(`${base}/api/v1/productions/1/assets`, {
      headers: { "X-CSRF-Token": me.csrf_token },
      data: {
        use_case_id: dollId,
        file_name: "doll-final.png",
        media_type: "image/png",
        sha256: "ab".repeat(32),
        watermark_payload: "42",
      },
    });
    expect(registered.status() === 201, `register: ${registered.status()} ${await registered.text()}`);
    await legal.goto(`${base}/#/p/1`);
    await legal.reload();
    const row = legal.locator("tr", { hasText: "doll-final.png" });
    await row.getByRole("button", { name: "Clear" }).click();
    await legal.locator("#disclosure-title").locator("..").getByText("doll-final.png").waitFor();
    expect((await row.textContent()).includes("cleared"), await row.textContent());
    await shot(legal, "07-dashboard-outputs-disclosure");
  });

  await step("the contact confirms a planned disclosure was made, on the case's checklist", async () => {
    // A true-crime reconstruction, declared and its disclosure planned through the API.
    const pme = await (await partner.request.get(`${base}/api/v1/me`)).json();
    const declared = await partner.request.post(`${base}/api/v1/productions/1/use-cases`, {
      headers: { "X-CSRF-Token": pme.csrf_token },
      data: {
        submit: true,
        declaration:
          "schema: clearcut/v1\nsummary: Reconstructed crime-scene photo\n" +
          "purpose: final_asset\ntalent: {real_person: no}\n" +
          "output: {in_final: yes, factual_content: yes, could_be_mistaken_for_real: yes}\n",
      },
    });
    expect(declared.status() === 201, `declare: ${declared.status()} ${await declared.text()}`);
    const caseId = (await declared.json()).id;
    const cme = await (await contact.request.get(`${base}/api/v1/me`)).json();
    const items = (await (await contact.request.get(`${base}/api/v1/use-cases/${caseId}/checklist`)).json()).items;
    const plan = items.find((item) => item.name === "audience_disclosure");
    const planned = await contact.request.post(`${base}/api/v1/use-cases/${caseId}/checklist/${plan.id}/evidence`, {
      headers: { "X-CSRF-Token": cme.csrf_token },
      data: { text: "A card before the photo" },
    });
    expect(planned.status() === 200, `plan: ${planned.status()}`);
    await contact.goto(`${base}/#/u/${caseId}`);
    await contact.reload();
    const line = contact.locator("[data-item='audience_disclosure']");
    await line.getByText("Not yet confirmed as made").waitFor();
    await line.getByLabel(/Where and how the disclosure was made/).fill("Card 'AI reconstruction' at 00:41:07:12");
    await line.getByRole("button", { name: "Confirm the disclosure was made" }).click();
    await contact.locator("[data-item='audience_disclosure'] .disclosure-confirmed").waitFor();
    const text = await contact.locator("[data-item='audience_disclosure']").textContent();
    expect(text.includes("Disclosure made") && text.includes("00:41:07:12"), text);
  });

  const outsider = await signIn("partner@other.example");
  await step("a partner of another production sees none of it", async () => {
    const rows = await outsider.locator("tbody tr").allTextContents();
    expect(rows.length === 1 && rows[0].includes("other-show") && !rows.join().includes("squid"), `rows: ${rows}`);
    await outsider.goto(`${base}/#/u/${dollId}`);
    await outsider.getByRole("heading", { name: "Something went wrong" }).waitFor();
    const text = await outsider.locator("main").textContent();
    expect(text.includes(`no use case ${dollId}`) && !text.includes("Second doll"), text);
    const api = await outsider.request.get(`${base}/api/v1/productions/1/use-cases`);
    expect(api.status() === 404 || (await api.json()).items?.length === 0, `status ${api.status()}`);
  });

  const admin = await signIn("admin@studio.example");
  await step("an admin's bad input is shown beside its field and nothing is created", async () => {
    await admin.goto(`${base}/#/admin`);
    await admin.getByRole("heading", { name: "Admin" }).waitFor();
    const usersBefore = await admin.locator("table").first().locator("tbody tr").count();
    await admin.locator("#u-email").fill("not-an-email");
    await admin.locator("#u-password").fill("long enough password");
    await admin.getByRole("button", { name: "Create user" }).click();
    const error = admin.locator("#u-email + .error");
    await error.waitFor();
    expect((await error.textContent()).includes("email"), "error names the email");
    expect((await admin.locator("#u-email").getAttribute("aria-invalid")) === "true", "the field is marked invalid");
    await admin.reload();
    await admin.getByRole("heading", { name: "Admin" }).waitFor();
    expect((await admin.locator("table").first().locator("tbody tr").count()) === usersBefore, "no user added");
  });

  await step("an admin sets squid-game-s3's answer time to three working days", async () => {
    await admin.goto(`${base}/#/admin`);
    await admin.getByRole("heading", { name: "Admin" }).waitFor();
    const form = admin.getByRole("form", { name: "Answer time of squid-game-s3" });
    await form.getByLabel("The studio answers within").fill("3");
    await form.getByRole("button", { name: "Save" }).click();
    // The saved answer, not the typed one: the page draws itself again after the save.
    await admin.getByText("squid-game-s3: answer time saved.").waitFor();
    await admin.waitForFunction(() => document.querySelector("#answer-1")?.value === "3");
    const production = (await (await admin.request.get(`${base}/api/v1/productions`)).json()).items.find(
      (p) => p.id === 1,
    );
    expect(production.answer_within_days === 3, JSON.stringify(production));
  });

  await step(
    "an admin creates a production, gives a partner a role there, sees it by name and takes it away",
    async () => {
      // A fresh page: a redraw still pending from the last step would empty the form just filled.
      await admin.reload();
      await admin.getByRole("heading", { name: "Admin" }).waitFor();
      await admin.locator("#p-code").fill("e2e-pilot");
      await admin.locator("#p-title").fill("E2E Pilot");
      await admin.getByRole("button", { name: "Create production" }).click();
      const section = admin.getByRole("region", { name: "Members of E2E Pilot" });
      await section.getByText("No members yet.").waitFor();
      await admin.locator("#r-user").selectOption({ label: "partner@vendor.example" });
      await admin.locator("#r-production").selectOption({ label: "e2e-pilot" });
      await admin.locator("#r-role").selectOption("contact");
      await admin.getByRole("button", { name: "Assign" }).click();
      await admin.getByText("Role assigned.").waitFor();
      await admin.reload();
      await admin.getByRole("heading", { name: "Admin" }).waitFor();
      const row = admin.getByRole("region", { name: "Members of E2E Pilot" }).getByRole("row", { name: /Pat Partner/ });
      expect((await row.textContent()).includes("contact"), await row.textContent());
      await shot(admin, "admin-members");
      await admin.getByRole("button", { name: "Remove Pat Partner from e2e-pilot" }).click();
      await admin.getByRole("region", { name: "Members of E2E Pilot" }).getByText("No members yet.").waitFor();
    },
  );

  await step("an admin loads a stricter pack, previews and activates it, and sees the re-triage", async () => {
    const strict = readFileSync(join(root, "policies", "netflix-genai.yaml"), "utf8")
      .replace('version: "2026.12.2"', 'version: "2026.12.2-strict"')
      .replace(/(- id: MATRIX-1\n\s+section: matrix\n\s+outcome: )notify/, "$1escalate");
    expect(
      strict.includes("2026.12.2-strict") && /MATRIX-1\n\s+section: matrix\n\s+outcome: escalate/.test(strict),
      "the stricter pack was derived",
    );
    await admin.locator("#pack-text").fill(strict);
    await admin
      .locator("#pack-tests")
      .setInputFiles([
        join(root, "policies", "tests", "matrix.yaml"),
        join(root, "policies", "tests", "principles.yaml"),
      ]);
    await admin.getByRole("button", { name: "Run the pack's tests" }).click();
    await admin.locator("#pack-result", { hasText: "Pack tests:" }).waitFor();
    const tests = await admin.locator("#pack-result").textContent();
    // The stricter MATRIX-1 breaks exactly the cases that expect ideation to be a notification.
    expect(/Pack tests: \d+ passed, [1-9]\d* failed/.test(tests) && tests.includes("MATRIX-1"), tests);
    await admin.getByRole("button", { name: "Preview re-triage" }).click();
    await admin.locator("#pack-result", { hasText: "Activating would re-triage" }).waitFor();
    const preview = await admin.locator("#pack-result").textContent();
    expect(preview.includes(`#${moodId}: notify → escalate`), preview);
    await shot(admin, "08-admin-pack-preview");
    await admin.getByRole("button", { name: "Activate" }).click();
    await admin.locator("#pack-result", { hasText: "Activated" }).waitFor();
    await admin.goto(`${base}/#/u/${moodId}`);
    await admin.getByRole("heading", { name: /Mood board for the marbles/ }).waitFor();
    const history = await admin.locator("section", { hasText: "History" }).textContent();
    expect(history.includes("retriaged") && history.includes("notify -> escalate"), history);
    const outcome = await admin.locator("main p .badge").nth(1).getAttribute("data-outcome");
    expect(outcome === "escalate", `outcome ${outcome}`);
    await admin.goto(`${base}/#/admin`);
    await admin.getByRole("heading", { name: "Admin" }).waitFor();
    await shot(admin, "09-admin");
  });

  await step("the dashboard works at tablet width and with the keyboard", async () => {
    const tablet = await signIn("contact@studio.example", { width: 768, height: 1024 });
    await tablet.goto(`${base}/#/p/1`);
    await tablet.getByRole("heading", { name: "Review queue" }).waitFor();
    const width = await tablet.evaluate(() => document.documentElement.scrollWidth);
    expect(width <= 768, `page is ${width}px wide at 768`);
    await shot(tablet, "10-dashboard-tablet");
    // Navigation moves focus to the view's heading; the keyboard alone reaches and opens a case.
    expect(
      await tablet.evaluate(
        () => document.activeElement?.tagName === "H1" && document.activeElement.closest("#main") !== null,
      ),
      "focus starts on the view's heading",
    );
    let opened = "";
    for (let i = 0; i < 20 && !opened; i++) {
      await tablet.keyboard.press("Tab");
      opened = await tablet.evaluate(() => {
        const a = document.activeElement;
        return a?.tagName === "A" && a.getAttribute("href")?.startsWith("#/u/") ? a.textContent : "";
      });
    }
    expect(opened, "Tab reaches a use case link");
    await tablet.keyboard.press("Enter");
    await tablet.getByRole("heading", { name: opened }).waitFor();
  });

  await step("a contact scans a delivery and sees its verdict and timeline, sound under picture", async () => {
    // An AI still, stamped and registered (provisional) by the partner under use case 3, then
    // cut into 6 s of host footage from 2 s to 4 s, scaled and re-encoded; and an AI voice line
    // (espeak-ng), stamped as a WAV, in the cut's sound from 3 s, mixed into AAC.
    const ffmpeg = (...args) => execFileSync("ffmpeg", ["-y", "-loglevel", "error", ...args]);
    execFileSync(binary, ["keys", "init", "--out", join(work, "keys"), "--test-root"]);
    ffmpeg("-f", "lavfi", "-i", "mandelbrot=size=640x360", "-frames:v", "1", join(work, "still.png"));
    // The partner stamps an AI output under use case 3, as `clearcut stamp` on the command line.
    const stamp = (file, out, tool) =>
      execFileSync(binary, [
        "stamp",
        join(work, file),
        "--use-case",
        "3",
        "--db",
        `sqlite:${work}/cc.db`,
        "--as",
        "partner@vendor.example",
        "--key",
        join(work, "keys"),
        "--out",
        join(work, out),
        "--watermark-passphrase",
        "CLEARCUT_E2E_WATERMARK",
        "--tool",
        tool,
      ]);
    stamp("still.png", "stamped.png", "Test Diffusion");
    execFileSync("espeak-ng", [
      "-v",
      "en-us",
      "-s",
      "160",
      "-w",
      join(work, "line.wav"),
      "This line was never spoken by an actor.",
    ]);
    stamp("line.wav", "stamped-line.wav", "Test Voice");
    ffmpeg(
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=320x180:rate=25:duration=2",
      "-loop",
      "1",
      "-framerate",
      "25",
      "-t",
      "2",
      "-i",
      join(work, "stamped.png"),
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=320x180:rate=25:duration=2",
      "-i",
      join(work, "stamped-line.wav"),
      "-filter_complex",
      "[0:v]format=yuv420p,setsar=1[a];[1:v]scale=320:180,fps=25,format=yuv420p,setsar=1[b];" +
        "[2:v]format=yuv420p,setsar=1[c];[a][b][c]concat=n=3:v=1:a=0[v];" +
        "[3:a]adelay=3000,apad=whole_dur=6,aresample=48000[s]",
      "-map",
      "[v]",
      "-map",
      "[s]",
      "-c:v",
      "libx264",
      "-crf",
      "26",
      "-c:a",
      "aac",
      "-b:a",
      "128k",
      join(deliveries, "ep101", "final_cut.mp4"),
    );

    const contact = await signIn("contact@studio.example");
    await contact.goto(`${base}/#/p/1`);
    await contact.getByRole("heading", { name: "Delivery scans" }).waitFor();
    const paths = contact.getByLabel("Files or folders to scan");
    await paths.fill("../cc.db");
    await contact.getByRole("button", { name: "Scan", exact: true }).click();
    const error = contact.locator("#scan-paths + .error");
    await error.waitFor();
    expect((await error.textContent()).includes("paths[0]"), await error.textContent());
    expect((await paths.getAttribute("aria-invalid")) === "true", "the field is marked invalid");
    await paths.fill("ep101");
    await contact.getByRole("button", { name: "Scan", exact: true }).click();
    await contact.getByRole("heading", { name: /Delivery scan #\d+/ }).waitFor();
    await contact.locator("h1 .badge", { hasText: "fails" }).waitFor({ timeout: 120000 });
    const blocks = contact.locator(".timeline:not(.sound) .block");
    expect((await blocks.count()) === 1, `${await blocks.count()} picture timeline blocks`);
    const label = await blocks.first().getAttribute("aria-label");
    expect(/^00:00:0[12]:\d\d to 00:00:0[34]:\d\d: provisional in final$/.test(label), label);
    const left = await blocks.first().evaluate((el) => parseFloat(el.style.left));
    expect(left > 28 && left < 38, `block starts at ${left}%`);
    // The voice line on the sound lane, at its timecode (3 s, give or take AAC's priming).
    const sounds = contact.locator(".timeline.sound .block");
    expect((await sounds.count()) === 1, `${await sounds.count()} sound timeline blocks`);
    const soundLabel = await sounds.first().getAttribute("aria-label");
    expect(/^00:00:0[23]:\d\d to 00:00:0[456]:\d\d: sound provisional in final$/.test(soundLabel), soundLabel);
    const row = await contact.locator("tbody tr").first().textContent();
    expect(
      row.includes("picture") &&
        row.includes("provisional in final") &&
        row.includes("stamped.png") &&
        row.includes("perceptual hash"),
      row,
    );
    const soundRow = contact.locator("tbody tr", { hasText: "sound (stream" });
    const soundText = await soundRow.textContent();
    expect(
      soundText.includes("stamped-line.wav") &&
        soundText.includes("audio fingerprint") &&
        soundText.includes("provisional in final") &&
        /00:00:0[23]:\d\d/.test(soundText),
      soundText,
    );
    const waves = await soundRow
      .locator(".thumbs img")
      .evaluateAll((imgs) => imgs.map((img) => `${img.alt}:${img.naturalWidth}x${img.naturalHeight}`));
    expect(
      waves.length === 2 &&
        waves[0].startsWith("Waveform of the sound at 00:00:0") &&
        waves.every((t) => /:160x64$/.test(t)),
      `waveforms ${waves}`,
    );
    const thumbs = await contact
      .locator("tbody tr")
      .first()
      .locator(".thumbs img")
      .evaluateAll((imgs) => imgs.map((img) => `${img.alt}:${img.naturalWidth}x${img.naturalHeight}`));
    expect(thumbs.length === 2 && thumbs.every((t) => /:1\d\dx\d+$/.test(t)), `thumbnails ${thumbs}`);
    await shot(contact, "11-scan-report");
    await contact.goto(`${base}/#/p/1`);
    const listed = await contact
      .locator("section", { hasText: "Delivery scans" })
      .locator("tbody tr")
      .first()
      .textContent();
    expect(listed.includes("ep101") && listed.includes("fails") && listed.includes("2 provisional in final"), listed);
    await shot(contact, "12-dashboard-scans");
    // A partner of another production sees none of it.
    const outsider = await signIn("partner@other.example");
    await outsider.goto(`${base}/#/scan/1`);
    await outsider.getByRole("heading", { name: "Something went wrong" }).waitFor();
  });

  await step(
    "a contact opens the production page: the dashboard leads, and its funnel counts the cases this test created",
    async () => {
      const contact = await signIn("contact@studio.example", { width: 1366, height: 768 });
      expect((await contact.getByRole("link", { name: "Overview" }).count()) === 0, "one production: no Overview link");
      await contact.goto(`${base}/#/p/1`);
      await contact.locator("#dashboard .funnel").waitFor();
      // The cases as the production's list has them (not the dashboard's SQL), among them the two
      // this test declared: the key visual it approved, and the mood board.
      const list = await (await contact.request.get(`${base}/api/v1/productions/1/use-cases?limit=200`)).json();
      expect(list.items.find((u) => u.id === dollId)?.state === "approved", "the key visual is approved");
      expect(
        list.items.some((u) => u.id === moodId),
        "the mood board is listed",
      );
      const n = (...states) => list.items.filter((u) => states.includes(u.state)).length;
      const stage = async (name) =>
        (await contact.locator(`.funnel li[data-stage="${name}"] .funnel-label`).textContent()).trim();
      expect((await stage("draft")) === `Draft: ${n("draft")}`, await stage("draft"));
      expect(
        (await stage("review")) === `In review: ${n("submitted", "notified", "escalated")}`,
        await stage("review"),
      );
      expect((await stage("approved")) === `Approved: ${n("approved")}`, await stage("approved"));
      // The delivery scanned above: one failing scan, its file failing under its episode.
      const dots = await contact.locator(".scan-dots li").evaluateAll((lis) => lis.map((li) => li.dataset.verdict));
      expect(dots.length >= 1 && dots[dots.length - 1] === "fail", `scan dots ${dots}`);
      const deliverable = await contact
        .locator("#deliverables tbody tr", { hasText: "ep101/final_cut.mp4" })
        .textContent();
      expect(deliverable.includes("ep101") && deliverable.includes("fails"), deliverable);
      const talent = await contact.locator('li[data-category="talent"]').textContent();
      expect(/^Talent and likeness: \d+/.test(talent.trim()), talent);
      await shot(contact, "13-dashboard-1366");
      await contact.setViewportSize({ width: 390, height: 844 });
      await shot(contact, "13-dashboard-390");
      // A figure opens the list it counts.
      await contact.setViewportSize({ width: 1366, height: 768 });
      await contact.locator('.funnel li[data-stage="approved"] a').click();
      await contact
        .getByRole("heading", { level: 1, name: new RegExp(`^Squid Game.*: approved \\(${n("approved")}\\)$`) })
        .waitFor();
      expect((await contact.locator(`#cases a[href="#/u/${dollId}"]`).count()) === 1, "the key visual is listed");
    },
  );

  await step(
    "an admin opens the Overview: a row per production with its dashboard's figures, and totals; a partner sees only theirs",
    async () => {
      const admin = await signIn("admin@studio.example", { width: 1366, height: 768 });
      await admin.getByRole("link", { name: "Overview" }).click();
      await admin.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
      const productions = (await (await admin.request.get(`${base}/api/v1/productions`)).json()).items;
      const rows = admin.locator("#overview tbody tr");
      expect(
        (await rows.count()) === productions.length,
        `${await rows.count()} rows for ${productions.length} productions`,
      );
      const board = await (await admin.request.get(`${base}/api/v1/productions/1/dashboard`)).json();
      const cells = await admin.locator('#overview tbody tr[data-production="1"] td').allTextContents();
      expect(cells[0] === String(board.funnel.total), `use cases ${cells[0]} vs ${board.funnel.total}`);
      expect(cells[1] === String(board.funnel.stages[1].count), `in review ${cells[1]}`);
      expect(cells[4] === String(board.funnel.by_state.approved), `approved ${cells[4]}`);
      expect(cells[6] === "1 failing" && cells[7].includes("fails"), `scans ${cells[6]} / ${cells[7]}`);
      const total = await admin.locator("#overview tfoot td").first().textContent();
      expect(
        total ===
          String(
            (await admin.locator("#overview tbody tr td:first-of-type").allTextContents()).reduce(
              (sum, t) => sum + Number(t),
              0,
            ),
          ),
        `total ${total}`,
      );
      await shot(admin, "14-overview-1366");
      await admin.setViewportSize({ width: 390, height: 844 });
      await shot(admin, "14-overview-390");
      const outsider = await signIn("partner@other.example");
      await outsider.goto(`${base}/#/overview`);
      await outsider.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
      const theirs = await outsider
        .locator("#overview tbody tr")
        .evaluateAll((trs) => trs.map((tr) => tr.dataset.production));
      expect(theirs.length === 1 && theirs[0] !== "1", `the outsider's rows: ${theirs}`);
    },
  );

  await step(
    "the disclosure report lists cleared outputs and what the scan found, prints alone, and downloads as CSV and PDF; so does the dossier",
    async () => {
      // A cleared output whose file name holds markup and a line break: text everywhere.
      const tokenOf = async (page) => (await (await page.request.get(`${base}/api/v1/me`)).json()).csrf_token;
      const registered = await partner.request.post(`${base}/api/v1/productions/1/assets`, {
        headers: { "X-CSRF-Token": await tokenOf(partner) },
        data: {
          use_case_id: dollId,
          file_name: "<img src=x onerror=window.pwned=1>\nsecond line.png",
          media_type: "image/png",
          sha256: "cd".repeat(32),
        },
      });
      expect(registered.status() === 201, `register: ${registered.status()} ${await registered.text()}`);
      const cleared = await legal.request.post(`${base}/api/v1/assets/${(await registered.json()).id}/status`, {
        headers: { "X-CSRF-Token": await tokenOf(legal) },
        data: { status: "cleared" },
      });
      expect(cleared.status() === 200, `clear: ${cleared.status()} ${await cleared.text()}`);

      await legal.goto(`${base}/#/p/1`);
      await legal.getByRole("link", { name: "Open the disclosure report" }).click();
      await legal.getByRole("heading", { level: 1, name: /^AI disclosure report: Squid Game/ }).waitFor();
      expect((await legal.title()).startsWith("AI disclosure report: Squid Game"), await legal.title());
      const clearedText = await legal.locator("section", { has: legal.locator("#cleared-title") }).textContent();
      expect(
        clearedText.includes("doll-final.png") &&
          clearedText.includes("by Lee Legal") &&
          clearedText.includes("Scope: final use; deliverables: S3E4") &&
          clearedText.includes("<img src=x onerror=window.pwned=1>"),
        clearedText,
      );
      expect(
        await legal.evaluate(() => window.pwned === undefined && !document.querySelector("main img")),
        "markup in a file name stays text",
      );
      // The scan of the previous step found the stamped still, provisional, at 2 s to 4 s.
      const problems = await legal.locator("section", { has: legal.locator("#not-cleared-title") }).textContent();
      expect(
        problems.includes("stamped.png") &&
          /00:00:0[12]:\d\d–00:00:0[34]:\d\d/.test(problems) &&
          problems.includes("provisional in final"),
        problems,
      );
      await shot(legal, "12b-disclosure-report");
      await legal.setViewportSize({ width: 390, height: 844 });
      await shot(legal, "12c-disclosure-report-phone");
      await legal.setViewportSize({ width: 1280, height: 900 });
      // Printed, the page is the report alone: no bar, no navigation, no buttons.
      await legal.emulateMedia({ media: "print" });
      expect(
        !(await legal.locator("header.bar").isVisible()) &&
          !(await legal.locator("main .actions").first().isVisible()) &&
          (await legal.locator("#cleared-title").isVisible()),
        "print shows the report alone",
      );
      await legal.emulateMedia({ media: "screen" });

      const downloaded = async (page, name) => {
        const [file] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name, exact: true }).click(),
        ]);
        return [file.suggestedFilename(), await file.path()];
      };
      const [csvName, csvPath] = await downloaded(legal, "Download CSV");
      const csv = readFileSync(csvPath, "utf8");
      expect(
        csvName === "production-1-disclosure.csv" &&
          csv.startsWith("section,asset_id,file_name,") &&
          csv.includes('"<img src=x onerror=window.pwned=1>\nsecond line.png"') &&
          /\r\ncleared,\d+,doll-final\.png,image\/png,/.test(csv) &&
          /\r\nnot_cleared,\d+,stamped\.png,/.test(csv),
        `${csvName}: ${csv.slice(0, 600)}`,
      );
      const pdfText = (path) => execFileSync("pdftotext", ["-enc", "UTF-8", path, "-"]).toString();
      const [pdfName, pdfPath] = await downloaded(legal, "Download PDF");
      const report = pdfText(pdfPath);
      expect(
        pdfName === "production-1-disclosure.pdf" &&
          report.includes("AI disclosure report") &&
          report.includes("doll-final.png") &&
          report.includes("stamped.png") &&
          report.includes("Lee Legal") &&
          report.includes("provisional in final"),
        report.slice(0, 1200),
      );
      const [dossierName, dossierPath] = await downloaded(legal, "Clearance dossier (PDF)");
      const dossier = pdfText(dossierPath);
      expect(
        dossierName === "production-1-dossier.pdf" &&
          dossier.includes("Clearance dossier") &&
          dossier.includes("Consents") &&
          dossier.includes("Lee Legal") &&
          dossier.includes("Audit log"),
        dossier.slice(0, 1200),
      );
      // A partner reads the report but is offered no dossier.
      await partner.goto(`${base}/#/p/1/disclosure`);
      await partner.getByRole("heading", { level: 1, name: /^AI disclosure report/ }).waitFor();
      expect(
        (await partner.getByRole("link", { name: /Clearance dossier/ }).count()) === 0,
        "no dossier for a partner",
      );
    },
  );

  await step(
    "the partner edits the approved key visual: the changes and the approval it outdates are shown before saving, and the history keeps them",
    async () => {
      await partner.goto(`${base}/#/u/${dollId}`);
      await partner.reload();
      await partner.getByRole("heading", { name: /Second doll/ }).waitFor();
      expect((await stateOf(partner)) === "approved", `state ${await stateOf(partner)}`);
      const approved = await (await partner.request.get(`${base}/api/v1/use-cases/${dollId}`)).json();
      const certificate = await partner.request.get(`${base}/api/v1/approvals/${approved.approvals[0].id}/certificate`);
      expect(
        certificate.status() === 200 && (await certificate.json()).format === "clearcut-approval-certificate/1",
        `certificate: ${certificate.status()}`,
      );
      await partner.getByRole("link", { name: "Edit declaration" }).click();
      await partner.getByRole("heading", { name: /Edit use case #\d+/ }).waitFor();
      await partner.getByLabel("Summary").fill("Second doll beside the first, seen from behind");
      await partner.getByRole("button", { name: "Save changes" }).click();
      const preview = partner.locator("#edit-preview");
      await preview.waitFor();
      const text = await preview.textContent();
      expect(
        text.includes("summary") && text.includes("seen from behind") && /written approval #\d+ outdated/.test(text),
        `preview: ${text}`,
      );
      await shot(partner, "13-edit-after-approval-preview");
      await shotOf(preview, "doc-edit-after-approval");
      // Keep editing: nothing was saved.
      await preview.getByRole("button", { name: "Keep editing" }).click();
      const unchanged = await (await partner.request.get(`${base}/api/v1/use-cases/${dollId}`)).json();
      expect(
        unchanged.state === "approved" && !unchanged.approvals[0].outdated,
        `after keep editing: ${unchanged.state}`,
      );
      await partner.getByRole("button", { name: "Save changes" }).click();
      await preview.getByRole("button", { name: "Save and outdate the approval" }).click();
      await partner.getByRole("heading", { name: /seen from behind/ }).waitFor();
      const approvals = await partner.locator("section", { hasText: "Written approvals" }).textContent();
      expect(approvals.includes("outdated"), approvals);
      const history = await partner.locator("section", { hasText: "History" }).textContent();
      expect(history.includes("1 approval outdated") && history.includes("seen from behind"), history);
    },
  );

  await step(
    "the contact registers a webhook, sees its secret once, sends a test and reads its deliveries, then disables it",
    async () => {
      const contact = await signIn("contact@studio.example");
      await contact.goto(`${base}/#/p/1`);
      await contact.getByRole("heading", { name: "Webhooks" }).waitFor();
      await contact.getByLabel("Address (https://…)").fill("http://127.0.0.1:9/hook");
      await contact.getByLabel("Payload").selectOption("slack");
      await contact.getByRole("button", { name: "Add the webhook" }).click();
      const secret = await contact.locator("#webhook-secret code").textContent();
      expect(/^[0-9a-f]{64}$/.test(secret), `secret: ${secret}`);
      const row = contact.locator("#webhooks tbody tr", { hasText: "http://127.0.0.1:9/hook" });
      expect((await row.textContent()).includes("Slack"), await row.textContent());
      await row.getByRole("button", { name: "Send a test" }).click();
      await contact.locator("#webhook-log").getByText("webhook.tested").waitFor();
      await shot(contact, "webhooks");
      await row.getByRole("button", { name: "Disable" }).click();
      await contact.locator("#webhooks tbody tr", { hasText: "disabled" }).waitFor();
      // Its secret is never shown again.
      expect(!(await contact.content()).includes(secret), "the secret is on the page again");
      await contact.context().close();
    },
  );

  await step("the admin reads the outbox's dead letters (e-mail is not set up here) and sends one again", async () => {
    const admin = await signIn("admin@studio.example");
    await admin.goto(`${base}/#/admin`);
    await admin.getByRole("heading", { name: "Notification outbox" }).waitFor();
    // The demo's e-mails (no SMTP here) and the test to the disabled webhook are dead letters.
    await admin.locator("#outbox tbody tr").first().waitFor();
    const first = admin.locator("#outbox tbody tr", { hasText: "e-mail is not configured" }).first();
    await first.waitFor();
    await first.getByRole("button", { name: "Send again" }).click();
    await admin.locator("#toast").getByText("will be sent again").waitFor();
    await admin.getByLabel("Show", { exact: true }).selectOption("sent");
    await admin.locator("#outbox-empty, #outbox").first().waitFor();
    await admin.context().close();
  });

  await step("legal chooses a daily digest for mentions on their settings page, and it stays chosen", async () => {
    const legal = await signIn("legal@studio.example");
    await legal.getByRole("link", { name: "Lee Legal" }).click();
    await legal.getByRole("heading", { name: "Your settings" }).waitFor();
    const mentions = legal.getByLabel("Someone @mentions you in a comment");
    expect((await mentions.inputValue()) === "immediate", "not immediate at first");
    await mentions.selectOption("digest");
    await legal.locator("#toast").getByText("Saved").waitFor();
    await legal.reload();
    await legal.getByRole("heading", { name: "Your settings" }).waitFor();
    expect(
      (await legal.getByLabel("Someone @mentions you in a comment").inputValue()) === "digest",
      "the choice did not stay",
    );
    await shot(legal, "settings");
    await legal.context().close();
  });

  await step("every view passes axe-core at 1366x768 and 390x844, and none scrolls sideways at 360 px", async () => {
    // Each user sees the views of their role; axe is injected into the page (bypassing the
    // page's CSP, which refuses inline scripts, as it should).
    const views = [
      [
        "partner@vendor.example",
        [
          "#/",
          "#/p/1",
          "#/p/1/disclosure",
          "#/p/1/declare",
          `#/u/${moodId}`,
          `#/u/${dollId}`,
          `#/u/${dollId}/edit`,
          "#/settings",
        ],
      ],
      ["legal@studio.example", ["#/", "#/p/1", "#/p/1/disclosure", `#/u/${dollId}`, "#/settings", "#/forgot"]],
      ["contact@studio.example", ["#/", "#/scan/1", "#/p/1", `#/u/${moodId}`, "#/p/1/cases/review"]],
      ["admin@studio.example", ["#/admin", "#/overview"]],
    ];
    const axePath = join(root, "tests", "web", "node_modules", "axe-core", "axe.min.js");
    const problems = [];
    const overflow = [];
    for (const [email, hashes] of views) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(base + "/");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("clearcut-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Your productions" }).waitFor();
      for (const hash of hashes) {
        for (const size of [
          { width: 1366, height: 768 },
          { width: 390, height: 844 },
          { width: 360, height: 740 },
        ]) {
          await page.setViewportSize(size);
          await page.goto(`${base}/${hash}`);
          await page.locator("main h1").first().waitFor();
          await page.waitForLoadState("networkidle");
          if (size.width === 360) {
            // How far the page scrolls sideways, and the innermost elements that stick out.
            const [extra, culprits] = await page.evaluate(() => {
              const width = document.documentElement.clientWidth;
              // Elements that stick out, or whose own content (a long word) spills out of them.
              const out = [...document.querySelectorAll("body *")].filter(
                (el) =>
                  (el.getBoundingClientRect().right > width + 1 &&
                    ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1)) ||
                  (el.scrollWidth > el.clientWidth + 1 &&
                    getComputedStyle(el).overflowX === "visible" &&
                    el.getBoundingClientRect().left + el.scrollWidth > width + 1),
              );
              return [
                document.documentElement.scrollWidth - width,
                out.slice(-3).map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""}`),
              ];
            });
            if (extra > 0) overflow.push(`${email} ${hash}: ${extra} px (${culprits.join(", ")})`);
            continue;
          }
          if (!(await page.evaluate(() => typeof window.axe !== "undefined")))
            await page.addScriptTag({ path: axePath });
          const found = await page.evaluate(async () =>
            (await window.axe.run(document)).violations.map(
              (v) =>
                `${v.id} (${v.impact}): ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join("; ")}`,
            ),
          );
          for (const f of found) problems.push(`${email} ${hash} at ${size.width}px: ${f}`);
        }
      }
      await context.close();
    }
    expect(problems.length === 0, `axe-core violations:\n${problems.join("\n")}`);
    expect(overflow.length === 0, `horizontal overflow at 360 px: ${overflow.join(", ")}`);
  });

  await step("no request left the server", async () => {
    expect(externalRequests.length === 0, `external requests: ${externalRequests.join(", ")}`);
  });
} catch {
  // Reported by step(); fall through to clean up.
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.on("exit", resolve));
  rmSync(work, { recursive: true, force: true });
}

console.log(`web e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
