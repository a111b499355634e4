// clearcut web UI: a small single-page app over the REST API (/api/v1). No framework, no build
// step, no external requests. DOM is built with h(), never from HTML strings, so data from the
// API is always text.
"use strict";
/* global dashboardSection */  // web/dashboard.js

const state = { me: null, csrf: null, schema: null, productions: [], tools: [] };

// ---------- DOM and API helpers ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  // The server validates and answers field by field; the browser's own bubbles would stop some
  // of those answers from ever being shown.
  if (tag === "form") el.noValidate = true;
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code;
    this.field = body.field;
  }
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch("/api/v1" + path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Attaches `file` to a use case, consent, approval or tool (`parentPath`: "/use-cases/3"): the
// body is the file's bytes; the server reads its type from them.
async function attach(parentPath, file) {
  const headers = { Accept: "application/json", "Content-Type": "application/octet-stream" };
  if (state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(`/api/v1${parentPath}/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: "POST", headers, credentials: "same-origin", body: file,
  });
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, { ...data, field: "file" });
  return data;
}

function bytesText(n) {
  return n < 1024 ? `${n} bytes` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

function toast(message) {
  const box = document.getElementById("toast");
  const item = h("div", {}, message);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

// Puts a view in <main>: the page is titled after the view's heading, and focus moves to that
// heading so that a screen reader announces where the user is.
function show(...nodes) {
  const main = document.getElementById("main");
  main.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  // On a phone a wide table scrolls in its own box (app.css); one without links or buttons must
  // take focus itself so that the keyboard can scroll it.
  for (const table of main.querySelectorAll("table")) {
    if (!table.querySelector("a,button,input,select,textarea")) table.setAttribute("tabindex", "0");
  }
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent.trim()} · clearcut` : "clearcut";
  focusHeading(heading || main);
}

function focusHeading(heading) {
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
}

function badge(kind, value) {
  if (!value) return h("span", { class: "badge muted" }, "—");
  return h("span", { class: `badge ${kind}-${value}` }, value.replace("_", " "));
}

function when(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, " UTC") : ""; }

// True when the server refused because the case changed since the page read it (someone else
// acted): the answer names the `revision` field.
function isStale(error) {
  return error instanceof ApiError && error.status === 409 && error.field === "revision";
}

// A banner that stays until the user reloads the case, leaving what they typed in place (a
// toast would vanish, and redrawing at once would lose it).
function staleBanner() {
  const main = document.getElementById("main");
  main.querySelector("#stale-banner")?.remove();
  const banner = h("div", { class: "card banner", id: "stale-banner", role: "alert" },
    h("p", {}, "This case changed since you opened it: someone else acted on it. Nothing of yours was saved. " +
      "What you typed is still here; copy what you want to keep, then reload to see the case as it is now."),
    h("button", { type: "button", onclick: () => route() }, "Reload the case"));
  main.prepend(banner);
  banner.querySelector("button").focus();
}

// Shows an API error beside the form control it names (data-field), or at the form's top.
function showError(form, error) {
  if (isStale(error)) {
    staleBanner();
    return;
  }
  for (const old of form.querySelectorAll(".error")) old.remove();
  for (const old of form.querySelectorAll("[aria-invalid]")) old.removeAttribute("aria-invalid");
  const message = error instanceof ApiError ? error.message : String(error);
  const field = error instanceof ApiError ? error.field : null;
  let target = field ? form.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
  if (!target && field) {
    // "pipeline[1].trains_on_data" → the stage's control; "output" → the section.
    const base = field.replace(/\[\d+\]/, "[]");
    target = form.querySelector(`[data-field="${CSS.escape(base)}"]`);
  }
  const note = h("p", { class: "error", role: "alert", id: "error-" + Math.random().toString(36).slice(2) },
                 field ? `${field}: ${message}` : message);
  if (target) {
    target.setAttribute("aria-invalid", "true");
    target.setAttribute("aria-describedby", note.id);
    target.after(note);
    const focusable = target.matches("input,select,textarea") ? target : target.querySelector("input,select,textarea");
    if (focusable) focusable.focus();
  } else {
    form.prepend(note);
  }
}

function role(productionId, name) {
  return (state.me?.roles || []).some((r) => r.production_id === productionId && r.role === name);
}

// ---------- routing ----------

const routes = [
  [/^#\/login(?:\?(.*))?$/, viewLogin],
  [/^#\/forgot$/, viewForgot],
  [/^#\/reset\?token=([0-9a-f]{1,256})$/, viewReset],
  [/^#\/settings$/, viewSettings],
  [/^#\/$/, viewHome],
  [/^#\/p\/(\d+)$/, viewProduction],
  [/^#\/p\/(\d+)\/declare$/, (id) => viewDeclare(Number(id), null)],
  [/^#\/u\/(\d+)$/, viewUseCase],
  [/^#\/u\/(\d+)\/edit$/, viewEdit],
  [/^#\/admin$/, viewAdmin],
  [/^#\/scan\/(\d+)$/, viewScan],
  [/^#\/p\/(\d+)\/disclosure$/, viewDisclosure],
];

let shownRoute = null;

async function route() {
  const hash = location.hash || "#/";
  // A new view starts at its top; the same view drawn again (after an action) stays where it is.
  if (hash !== shownRoute) window.scrollTo(0, 0);
  shownRoute = hash;
  // Signing in and resetting a password are the pages a stranger may see.
  const open = ["#/login", "#/forgot", "#/reset?"].some((prefix) => hash.startsWith(prefix));
  if (!state.me && !open) {
    try {
      const me = await api("GET", "/me");
      state.me = me.user;
      state.csrf = me.csrf_token;
    } catch {
      location.hash = "#/login";
      return;
    }
  }
  // The form's words are the active pack's; every view may show a field or an action.
  if (state.me && !state.schema) state.schema = await api("GET", "/schema");
  renderChrome();
  for (const [pattern, view] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try {
        await view(...match.slice(1));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          state.me = null;
          location.hash = "#/login";
          return;
        }
        show(h("h1", {}, "Something went wrong"), h("p", { class: "error", role: "alert" }, error.message));
      }
      return;
    }
  }
  show(h("h1", {}, "Not found"), h("p", {}, h("a", { href: "#/" }, "Back to your productions")));
}

function renderChrome() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!state.me) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  const here = location.hash || "#/";
  const link = (href, text) => h("a", { href, "aria-current": here === href ? "page" : null }, text);
  // The Overview (dashboard.js) for those with more than one production to look across.
  const several = state.me.admin || new Set((state.me.roles || []).map((r) => r.production_id)).size > 1;
  nav.replaceChildren(...[link("#/", "My tasks"), several ? link("#/overview", "Overview") : null,
    state.me.admin ? link("#/admin", "Admin") : null].filter(Boolean));
  who.replaceChildren(
    h("a", { href: "#/settings", "aria-current": here === "#/settings" ? "page" : null, title: "Your settings" },
      `${state.me.name || state.me.email}`),
    h("button", { type: "button", onclick: logout }, "Sign out"));
}

async function logout() {
  try { await api("DELETE", "/session"); } catch { /* already gone */ }
  state.me = null;
  state.csrf = null;
  location.hash = "#/login";
}

// ---------- views ----------

// Asks for a reset link by e-mail. The answer is the same whether or not the address has an
// account, so the page says what happens in either case.
async function viewForgot() {
  renderChrome();
  const form = h("form", { class: "card", "aria-labelledby": "forgot-title" },
    h("h1", { id: "forgot-title" }, "Reset your password"),
    h("p", { class: "hint" }, "Enter the e-mail address you sign in with. If it has an account here, we send it a link to choose a new password."),
    h("label", { for: "forgot-email" }, "Email"),
    h("input", { id: "forgot-email", type: "email", autocomplete: "username", required: true, "data-field": "email" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Send the link"), h("a", { href: "#/login" }, "Back to sign in")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await api("POST", "/password-reset", { email: form.querySelector("#forgot-email").value });
      form.replaceChildren(h("h1", { id: "forgot-title" }, "Check your e-mail"),
        h("p", { id: "forgot-sent", role: "status" }, result.message),
        h("p", {}, h("a", { href: "#/login" }, "Back to sign in")));
      focusHeading(form.querySelector("h1"));
    } catch (error) {
      showError(form, error);
    }
  });
  show(h("div", { class: "narrow" }, form));
}

// The page a reset link opens: a new password, typed twice.
async function viewReset(token) {
  renderChrome();
  const form = h("form", { class: "card", "aria-labelledby": "reset-title" },
    h("h1", { id: "reset-title" }, "Choose a new password"),
    h("p", { class: "hint" }, "At least 12 characters. Signing in elsewhere ends: every session of your account is closed."),
    h("label", { for: "reset-password" }, "New password"),
    h("input", { id: "reset-password", type: "password", autocomplete: "new-password", required: true, minlength: "12", "data-field": "password" }),
    h("label", { for: "reset-again" }, "The same password again"),
    h("input", { id: "reset-again", type: "password", autocomplete: "new-password", required: true, minlength: "12" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Change the password")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = form.querySelector("#reset-password").value;
    if (password !== form.querySelector("#reset-again").value) {
      showError(form, new Error("The two passwords differ: type the same one twice."));
      return;
    }
    try {
      const result = await api("POST", "/password-reset/confirm", { token, password });
      state.me = null;
      form.replaceChildren(h("h1", { id: "reset-title" }, "Password changed"),
        h("p", { id: "reset-done", role: "status" }, result.message),
        h("p", {}, h("a", { class: "button", href: "#/login" }, "Sign in")));
      focusHeading(form.querySelector("h1"));
    } catch (error) {
      showError(form, error);
    }
  });
  show(h("div", { class: "narrow" }, form));
}

// The signed-in person's own settings: how they hear of each kind of event.
async function viewSettings() {
  const prefs = await api("GET", "/me/notifications");
  const choices = [["immediate", "Each at once"], ["digest", "In a daily digest"], ["off", "Not by e-mail"]];
  const rows = prefs.topics.map((t) => {
    const id = `pref-${t.topic}`;
    const select = h("select", { id, "data-topic": t.topic },
      choices.map(([value, text]) => h("option", { value, selected: value === t.delivery ? "" : null }, text)));
    select.addEventListener("change", async () => {
      try {
        await api("PUT", `/me/notifications/${encodeURIComponent(t.topic)}`, { delivery: select.value });
        toast(`Saved: ${t.description.toLowerCase()}: ${select.selectedOptions[0].textContent.toLowerCase()}.`);
      } catch (error) {
        toast(error.message);
      }
    });
    return h("tr", {}, h("td", {}, h("label", { for: id }, t.description)), h("td", {}, select));
  });
  show(
    h("h1", {}, "Your settings"),
    h("p", {}, `Signed in as ${state.me.name} (${state.me.email}).`),
    h("section", { "aria-labelledby": "prefs-title" },
      h("h2", { id: "prefs-title" }, "E-mail notifications"),
      h("p", { class: "hint" }, "Choose how you hear of each kind of event. A daily digest gathers the day's e-mails into one, sent each morning. Webhooks of your productions are not affected."),
      h("table", { id: "preferences" }, h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "E-mail"))), h("tbody", {}, rows))),
    await awaySection());
}

async function viewLogin(query) {
  renderChrome();
  // What the server offers: single sign-on with the studio's identity provider, passwords kept
  // here, or both. A sign-in that failed at the provider comes back with ?sso_error=.
  let sso = { enabled: false, local_passwords: "on" };
  try { sso = await api("GET", "/sso"); } catch { /* an older server: passwords only */ }
  const failure = new URLSearchParams(query || "").get("sso_error");
  const form = h("form", { class: "card", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Sign in"),
    failure ? h("p", { class: "error", role: "alert", id: "sso-error" }, `Single sign-on failed: ${failure}.`) : null,
    sso.enabled ? h("p", { class: "actions" },
      h("a", { class: "button", id: "sso-sign-in", href: `/api/v1/sso/login?return_to=${encodeURIComponent("/#/")}` },
        `Sign in with ${sso.provider_name}`)) : null,
    sso.enabled && sso.local_passwords !== "off"
      ? h("p", { class: "hint" }, sso.local_passwords === "admins"
        ? "Or, for administrators only, with a password:"
        : "Or, without an account at the studio's sign-in, with your e-mail and password:")
      : null);
  if (sso.local_passwords !== "off") {
    form.append(
      h("label", { for: "email" }, "Email"),
      h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true, "data-field": "email" }),
      h("label", { for: "password" }, "Password"),
      h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, "data-field": "password" }),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Sign in"),
        h("a", { href: "#/forgot", id: "forgot-link" }, "Forgot your password?")));
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await api("POST", "/session", { email: form.email.value, password: form.password.value });
      state.me = result.user;
      state.csrf = result.csrf_token;
      location.hash = "#/";
    } catch (error) {
      showError(form, error);
    }
  });
  show(h("div", { class: "narrow" }, form));
}

async function loadProductions() {
  state.productions = (await api("GET", "/productions")).items;
  return state.productions;
}

// "3 h", "2 d": how long a task has waited.
function ageText(seconds) {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

// The use cases waiting on the reader: overdue first (said in words, not by colour alone).
function tasksSection(tasks) {
  const rows = tasks.map((t) => h("tr", { class: t.overdue ? "overdue" : null, "data-use-case": t.use_case_id },
    h("td", {}, h("a", { href: `#/u/${t.use_case_id}` }, t.summary || `Use case #${t.use_case_id}`),
      t.on_behalf_of ? h("div", { class: "muted" }, `for ${t.on_behalf_of.name}`) : null),
    h("td", {}, t.production.title || t.production.code),
    h("td", {}, t.todo),
    h("td", {}, ageText(t.age_seconds)),
    h("td", {}, t.due_at ? when(t.due_at) : "—",
      t.overdue ? h("div", {}, h("strong", { class: "badge s-rejected" }, "Overdue")) : null),
    h("td", { class: "assignee" }, t.assignee ? t.assignee.name : h("span", { class: "muted" }, "nobody"))));
  return h("section", { "aria-labelledby": "tasks-title" },
    h("h1", { id: "tasks-title" }, "My tasks"),
    tasks.length === 0
      ? h("p", { id: "no-tasks" }, "Nothing is waiting on you.")
      : h("table", { id: "tasks" },
        h("caption", { class: "muted" }, `${plural(tasks.length, "case waits", "cases wait")} on you; ` +
          `${tasks.filter((t) => t.overdue).length} overdue.`),
        h("thead", {}, h("tr", {}, h("th", {}, "Use case"), h("th", {}, "Production"), h("th", {}, "What to do"),
          h("th", {}, "Waiting"), h("th", {}, "Due"), h("th", {}, "Assigned to"))),
        h("tbody", {}, rows)));
}

async function viewHome() {
  const [tasks, productions] = await Promise.all([api("GET", "/me/tasks"), loadProductions()]);
  const rows = productions.map((p) => {
    const roles = (state.me.roles || []).filter((r) => r.production_id === p.id).map((r) => r.role);
    return h("tr", {},
      h("td", {}, h("a", { href: `#/p/${p.id}` }, p.title || p.code)),
      h("td", {}, p.code),
      h("td", {}, roles.join(", ") || (state.me.admin ? "admin" : "")));
  });
  show(tasksSection(tasks.items),
    h("h2", {}, "Your productions"),
    productions.length === 0
      ? h("p", {}, "You are not on any production yet. An admin assigns roles.")
      : h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Title"), h("th", {}, "Code"), h("th", {}, "Your role"))),
          h("tbody", {}, rows)));
}

// Away, on the settings page: who gets the reader's tasks and notifications until when. The
// delegate acts with their own roles; nothing is borrowed.
async function awaySection() {
  const { delegation } = await api("GET", "/me/delegation");
  const form = h("form", { "aria-labelledby": "away-form-title" },
    h("h3", { id: "away-form-title" }, delegation ? "Change your delegate" : "Name a delegate"),
    h("label", { for: "d-email" }, "Delegate's e-mail (someone in your organization)"),
    h("input", { id: "d-email", type: "email", autocomplete: "off", "data-field": "delegate_email" }),
    h("label", { for: "d-until" }, "Until (the end of this day, UTC)"),
    h("input", { id: "d-until", type: "date", "data-field": "until" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save delegate")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const day = form.querySelector("#d-until").value;
    try {
      await api("PUT", "/me/delegation", {
        delegate_email: form.querySelector("#d-email").value,
        until: day ? `${day}T23:59:59Z` : "",
      });
      toast("Delegate saved. Recorded in the audit log.");
      route();
    } catch (error) {
      showError(form, error);
    }
  });
  return h("section", { class: "card", "aria-labelledby": "away-title", id: "away" },
    h("h2", { id: "away-title" }, "Away"),
    h("p", { class: "hint" }, "While you are away, your delegate sees your tasks in their My tasks (marked as yours) and receives the notifications addressed to you. " +
      "They act with their own roles on the productions they are a member of: nothing of yours is borrowed."),
    delegation
      ? h("div", { id: "delegation" },
        h("p", {}, `Your delegate: ${delegation.delegate.name} until ${when(delegation.until)}`, delegation.active ? "" : " (ended)"),
        h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: async () => {
          await api("DELETE", "/me/delegation");
          toast("Delegation ended.");
          route();
        } }, "End the delegation")))
      : h("p", { id: "delegation" }, "You have no delegate."),
    form);
}

const OUTCOME_RANK = { written_approval: 0, escalate: 1, notify: 2 };

async function viewProduction(id) {
  id = Number(id);
  const production = (await loadProductions()).find((p) => p.id === id);
  if (!production) throw new ApiError(404, { message: "No such production" });
  const page = await api("GET", `/productions/${id}/use-cases?limit=200`);
  const items = page.items;
  const reviewer = role(id, "contact") || role(id, "legal");
  // The review queue: open cases, highest outcome first, then oldest first.
  const queue = items.filter((u) => u.state === "notified" || u.state === "escalated")
    .sort((a, b) => (OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome]) || a.updated_at.localeCompare(b.updated_at));
  const table = (list) => h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Use"), h("th", {}, "State"), h("th", {}, "Outcome"), h("th", {}, "Updated"))),
    h("tbody", {}, list.map((u) => h("tr", {},
      h("td", {}, u.id),
      h("td", {}, h("a", { href: `#/u/${u.id}` }, u.summary || "(no summary)")),
      h("td", {}, badge("s", u.state)),
      h("td", {}, outcomeBadge(u.outcome)),
      h("td", {}, when(u.updated_at))))));
  const sections = [
    h("h1", {}, production.title || production.code),
    await dashboardSection(id),
    role(id, "partner") ? h("div", { class: "actions" }, h("a", { class: "button", href: `#/p/${id}/declare` }, "Declare a use")) : null,
  ];
  if (reviewer) sections.push(h("h2", {}, "Review queue"), queue.length ? table(queue) : h("p", {}, "Nothing waiting."));
  sections.push(h("h2", {}, "All use cases"), items.length ? table(items) : h("p", {}, "No use cases yet."));
  sections.push(await assetSection(id));
  sections.push(await scanSection(id));
  if (role(id, "legal") || role(id, "contact")) sections.push(await consentSection(id));
  if (role(id, "contact") || state.me.admin) sections.push(await webhookSection(id));
  show(...sections);
}

// Registered AI outputs by status, and the disclosure report: what is cleared for final use.
async function assetSection(productionId) {
  const assets = (await api("GET", `/productions/${productionId}/assets?limit=1000`)).items;
  const statuses = ["provisional", "cleared", "rejected"];
  const counts = Object.fromEntries(statuses.map((s) => [s, assets.filter((a) => a.status === s).length]));
  const legal = role(productionId, "legal");
  async function setStatus(asset, status) {
    try {
      await api("POST", `/assets/${asset.id}/status`, { status });
      toast(`Output #${asset.id} ${status}. Recorded in the audit log.`);
      route();
    } catch (error) {
      toast(error.message);
    }
  }
  const table = h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "File"), h("th", {}, "Use case"), h("th", {}, "SHA-256"), h("th", {}, "Status"), legal ? h("th", {}, "Legal") : null)),
    h("tbody", {}, assets.map((a) => h("tr", {},
      h("td", {}, a.id), h("td", {}, a.file_name || a.media_type || "—"),
      h("td", {}, h("a", { href: `#/u/${a.use_case_id}` }, `#${a.use_case_id}`)),
      h("td", {}, h("code", {}, a.sha256.slice(0, 16) + "…")),
      h("td", {}, h("span", { class: `badge s-${a.status === "cleared" ? "approved" : a.status === "rejected" ? "rejected" : "draft"}` }, a.status)),
      legal ? h("td", {}, a.status === "provisional" ? [
        h("button", { type: "button", class: "secondary", onclick: () => setStatus(a, "cleared") }, "Clear"), " ",
        h("button", { type: "button", class: "secondary", onclick: () => setStatus(a, "rejected") }, "Reject")] : "") : null))));
  const cleared = assets.filter((a) => a.status === "cleared");
  const disclosure = h("section", { class: "card", "aria-labelledby": "disclosure-title" },
    h("h3", { id: "disclosure-title" }, "Disclosure report"),
    h("p", { class: "hint" }, "AI-generated material cleared for the final deliverables. The report adds the approvals and where the latest scan found each output, to print or download as CSV or PDF."),
    cleared.length ? h("ul", {}, cleared.map((a) => h("li", {}, `${a.file_name || "output #" + a.id} — use case #${a.use_case_id}, SHA-256 ${a.sha256}`)))
      : h("p", {}, "Nothing cleared for final use yet."),
    h("div", { class: "actions" }, h("a", { class: "button secondary", href: `#/p/${productionId}/disclosure` }, "Open the disclosure report")));
  return h("section", {}, h("h2", {}, "Registered AI outputs"),
    h("div", { class: "counts", role: "list", "aria-label": "Outputs by status" },
      statuses.map((st) => h("div", { class: "card", role: "listitem" }, h("strong", {}, counts[st]), st))),
    assets.length ? table : h("p", {}, "No outputs registered yet (clearcut stamp registers them)."),
    disclosure);
}

// ---------- the title's disclosure report and dossier ----------

function verdictText(verdict) { return String(verdict || "").replaceAll("_", " "); }

function foundList(found) {
  return h("ul", { class: "plain" }, found.map((f) =>
    h("li", {}, h("code", {}, f.path), ` ${f.start_timecode}–${f.end_timecode}`,
      f.track === "audio" ? " (sound)" : "", f.verdict === "cleared" ? "" : ` [${verdictText(f.verdict)}]`)));
}

// The per-title disclosure report (GET /productions/{id}/disclosure): each cleared output with
// its approval and where the latest scan found it, then what that scan found that is not
// cleared. Printing shows the report alone (app.css, @media print).
async function viewDisclosure(id) {
  id = Number(id);
  const report = await api("GET", `/productions/${id}/disclosure`);
  const p = report.production;
  const title = p.title ? `${p.title} (${p.code})` : p.code;
  const dossier = role(id, "contact") || role(id, "legal") || state.me.admin;
  const scan = report.scan;
  const scanLine = scan
    ? h("p", {}, "Timecodes from ", h("a", { href: `#/scan/${scan.id}` }, `scan #${scan.id}`), ` of ${scan.paths.join(", ")}, finished ${when(scan.finished_at)}: the delivery `,
      h("strong", {}, scan.passes ? "passes" : "fails"), ".")
    : h("p", {}, "No delivery scan of this production has finished yet, so no timecodes are given.");
  const cleared = h("table", { class: "report-table" },
    h("caption", { class: "visually-hidden" }, "Cleared AI outputs"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Output"), h("th", { scope: "col" }, "Use case"),
      h("th", { scope: "col" }, "Approval"), h("th", { scope: "col" }, "Found in the scan at"))),
    h("tbody", {}, report.cleared.map((o) => {
      const a = o.approval;
      return h("tr", {},
        h("td", { "data-label": "Output" }, h("strong", {}, o.asset.file_name || `output #${o.asset.id}`),
          h("div", { class: "hint" }, `#${o.asset.id} ${o.asset.media_type || ""}`),
          h("div", { class: "hint" }, "Source type: ", o.digital_source_type || "not read by the scan"),
          h("div", { class: "hint digest" }, `SHA-256 ${o.asset.sha256}`)),
        h("td", { "data-label": "Use case" }, h("a", { href: `#/u/${o.use_case.id}` }, `#${o.use_case.id}`), " ",
          h("span", { class: "pre-line" }, o.use_case.summary), h("div", {}, outcomeBadge(o.use_case.outcome))),
        h("td", { "data-label": "Approval" }, a
          ? [h("div", {}, `#${a.id} by ${a.approver_name}, signed “${a.signer_name}”`),
             h("div", { class: "hint" }, when(a.created_at)),
             h("div", {}, `Scope: ${a.scope_text}`),
             h("div", {}, "Conditions: ", a.conditions || "none"),
             h("div", {}, `Expires: ${a.expires_at ? when(a.expires_at) : "never"}`),
             a.in_force ? null : h("p", { class: "warning" }, "This approval no longer clears the output.")]
          : h("p", { class: "warning" }, "No approval on record.")),
        h("td", { "data-label": "Found at" }, o.found.length ? foundList(o.found) : scan ? "Not found in the scan." : "No scan."));
    })));
  const problems = h("table", { class: "report-table" },
    h("caption", { class: "visually-hidden" }, "Found and not cleared"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), h("th", { scope: "col" }, "Timecodes"),
      h("th", { scope: "col" }, "Material"), h("th", { scope: "col" }, "Verdict"), h("th", { scope: "col" }, "Why"))),
    h("tbody", {}, report.not_cleared.map((f) => h("tr", {},
      h("td", { "data-label": "File" }, h("code", {}, f.path)),
      h("td", { "data-label": "Timecodes" }, `${f.start_timecode}–${f.end_timecode}${f.track === "audio" ? " (sound)" : ""}`),
      h("td", { "data-label": "Material" }, f.asset_id ? `#${f.asset_id} ${f.asset_name || ""}` : "not registered for this production"),
      h("td", { "data-label": "Verdict" }, verdictText(f.verdict)),
      h("td", { "data-label": "Why" }, f.reason)))));
  const link = (href, text, file) => h("a", { class: "button secondary", href: `/api/v1${href}`, download: file }, text);
  show(h("div", { class: "report" },
    h("p", { class: "actions" }, h("a", { href: `#/p/${id}` }, `← ${title}`)),
    h("h1", {}, `AI disclosure report: ${title}`),
    h("p", {}, `Generated ${when(report.generated_at)}.`),
    scanLine,
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => window.print() }, "Print"),
      link(`/productions/${id}/disclosure.csv`, "Download CSV", `production-${id}-disclosure.csv`),
      link(`/productions/${id}/disclosure.pdf`, "Download PDF", `production-${id}-disclosure.pdf`),
      dossier ? link(`/productions/${id}/dossier.pdf`, "Clearance dossier (PDF)", `production-${id}-dossier.pdf`) : null,
      dossier ? link(`/productions/${id}/dossier`, "Clearance dossier (JSON)", `production-${id}-dossier.json`) : null),
    h("section", { "aria-labelledby": "cleared-title" },
      h("h2", { id: "cleared-title" }, `Cleared AI outputs (${report.cleared.length})`),
      report.cleared.length ? cleared : h("p", {}, "No output of this production is cleared for final use.")),
    h("section", { "aria-labelledby": "not-cleared-title" },
      h("h2", { id: "not-cleared-title" }, `Found in the latest scan and not cleared (${report.not_cleared.length})`),
      !scan ? h("p", {}, "No scan: nothing to list.")
        : report.not_cleared.length ? problems : h("p", {}, `Every finding of scan #${scan.id} is cleared.`))));
}

// ---------- delivery scans ----------

const VERDICTS = ["cleared", "provisional_in_final", "rejected", "expired_approval", "disclosure_unconfirmed", "undeclared_ai"];

function scanVerdict(job) {
  if (job.state === "finished") {
    return h("span", { class: `badge ${job.passes ? "s-approved" : "s-rejected"}` }, job.passes ? "passes" : "fails");
  }
  if (job.state === "error") return h("span", { class: "badge s-rejected" }, "error");
  return h("span", { class: "badge s-draft" }, job.state === "running" ? `running ${job.files_done}/${job.files_total}` : "queued");
}

function verdictCounts(job) {
  if (!job.summary) return "—";
  const parts = VERDICTS.filter((v) => job.summary.by_verdict[v] > 0).map((v) => `${job.summary.by_verdict[v]} ${v.replaceAll("_", " ")}`);
  return parts.length ? parts.join(", ") : "no AI material found";
}

// Scans of final deliverables: submit one (paths under the server's scan root), and every scan
// with its verdict.
async function scanSection(productionId) {
  const scans = (await api("GET", `/productions/${productionId}/scans?limit=50`)).items;
  const paths = h("textarea", { id: "scan-paths", name: "paths", "data-field": "paths[]", rows: 3,
    placeholder: "ep101/final_cut.mov\nep101/key_art/", "aria-describedby": "scan-paths-hint" });
  const form = h("form", { class: "card", "aria-labelledby": "scan-form-title", onsubmit: async (event) => {
    event.preventDefault();
    const list = paths.value.split("\n").map((p) => p.trim()).filter((p) => p);
    try {
      const job = await api("POST", `/productions/${productionId}/scans`, { paths: list });
      toast(`Scan #${job.id} queued. Recorded in the audit log.`);
      location.hash = `#/scan/${job.id}`;
    } catch (error) {
      showError(form, error);
    }
  } },
    h("h3", { id: "scan-form-title" }, "Scan a delivery"),
    h("div", { "data-field": "paths" },
      h("label", { for: "scan-paths" }, "Files or folders to scan"),
      h("p", { class: "hint", id: "scan-paths-hint" }, "One per line, relative to the server's delivery folder. Video, stills and numbered image sequences; every frame is checked against the registered outputs."),
      paths),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Scan")));
  const table = h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Delivery"), h("th", {}, "Submitted"), h("th", {}, "Verdict"), h("th", {}, "Findings"))),
    h("tbody", {}, scans.map((j) => h("tr", {},
      h("td", {}, j.id),
      h("td", {}, h("a", { href: `#/scan/${j.id}` }, j.paths.join(", "))),
      h("td", {}, when(j.submitted_at)),
      h("td", {}, scanVerdict(j)),
      h("td", {}, j.state === "error" ? j.error : verdictCounts(j))))));
  return h("section", { "aria-labelledby": "scans-title" }, h("h2", { id: "scans-title" }, "Delivery scans"),
    form, scans.length ? table : h("p", {}, "No scans yet."));
}

function frameRate(text) {
  const [num, den] = String(text || "").split("/").map(Number);
  return num > 0 ? num / (den > 0 ? den : 1) : 0;
}

// One file's findings on a bar as long as the file: a block per finding, coloured by verdict
// and named in words, so that colour is never the only signal.
function timeline(file) {
  const duration = file.duration_seconds || file.frames_decoded / (frameRate(file.frame_rate) || 1);
  if (file.kind === "still" || !(duration > 0)) return null;
  const bar = h("div", { class: "timeline", role: "list", "aria-label": `Timeline of ${file.path}, ${duration.toFixed(1)} s` });
  for (const f of file.findings) {
    const start = Math.max(0, Math.min(1, f.start_seconds / duration));
    const end = Math.max(start, Math.min(1, f.end_seconds / duration));
    const block = h("div", { class: `block v-${f.verdict}`, role: "listitem",
      title: `${f.start_timecode}–${f.end_timecode} ${f.verdict.replaceAll("_", " ")}`,
      "aria-label": `${f.start_timecode} to ${f.end_timecode}: ${f.verdict.replaceAll("_", " ")}` });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    block.style.left = `${(start * 100).toFixed(3)}%`;
    block.style.width = `max(3px, ${((end - start) * 100).toFixed(3)}%)`;
    bar.append(block);
  }
  return h("div", {}, bar, h("div", { class: "timeline-scale" }, h("span", {}, "00:00:00:00"), h("span", {}, `${duration.toFixed(1)} s`)));
}

async function viewScan(id) {
  const job = await api("GET", `/scans/${id}`);
  const production = (await loadProductions()).find((p) => p.id === job.production_id);
  const sections = [
    h("p", {}, h("a", { href: `#/p/${job.production_id}` }, "← " + (production?.title || "Production"))),
    h("h1", {}, `Delivery scan #${job.id} `, scanVerdict(job)),
    h("dl", { class: "kv card" },
      h("dt", {}, "Delivery"), h("dd", {}, job.paths.join(", ")),
      h("dt", {}, "Submitted"), h("dd", {}, when(job.submitted_at)),
      h("dt", {}, "State"), h("dd", {}, job.state + (job.worker ? ` (worker ${job.worker})` : "")),
      job.finished_at ? [h("dt", {}, "Finished"), h("dd", {}, when(job.finished_at))] : null,
      h("dt", {}, "Findings"), h("dd", {}, job.state === "error" ? job.error : verdictCounts(job))),
  ];
  if (job.state === "queued" || job.state === "running") {
    sections.push(h("p", { role: "status" }, job.state === "queued" ? "Waiting for a scan worker…" : `Scanning: ${job.files_done} of ${job.files_total} file(s) done…`));
    setTimeout(() => { if (location.hash === `#/scan/${id}`) route(); }, 1500);
    show(...sections);
    return;
  }
  if (job.state === "finished") {
    const report = await api("GET", `/scans/${id}/report`);
    sections.push(h("div", { class: "actions" },
      h("a", { class: "button secondary", href: `/api/v1/scans/${id}/report.html`, target: "_blank", rel: "noopener" }, "Full report (HTML)"),
      h("a", { class: "button secondary", href: `/api/v1/scans/${id}/report`, target: "_blank", rel: "noopener" }, "JSON")));
    sections.push(h("p", { class: "legend" }, "Timeline: ",
      h("span", { class: "block-key v-cleared" }, "cleared"), " ",
      h("span", { class: "block-key v-provisional_in_final" }, "not cleared (fails)")));
    for (const file of report.files) {
      sections.push(h("section", { class: "card", "aria-label": file.path },
        h("h2", {}, file.path, " ", file.error ? h("span", { class: "badge s-rejected" }, "error") : h("span", { class: `badge ${file.findings.every((f) => f.verdict === "cleared") ? "s-approved" : "s-rejected"}` }, file.findings.every((f) => f.verdict === "cleared") ? "passes" : "fails")),
        file.error ? h("p", { class: "error" }, file.error) : null,
        h("p", { class: "hint" }, [file.kind, file.codec, file.width ? `${file.width}×${file.height}` : null, file.frame_rate ? `${file.frame_rate} fps` : null, file.frames_decoded ? `${file.frames_decoded} frames` : null].filter(Boolean).join(" · ")),
        timeline(file),
        file.findings.length ? h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "From"), h("th", {}, "To"), h("th", {}, "Frame / registered"), h("th", {}, "Asset"), h("th", {}, "Verdict"), h("th", {}, "Found by"), h("th", {}, "Why"))),
          h("tbody", {}, file.findings.map((f) => h("tr", {},
            h("td", {}, f.start_timecode), h("td", {}, f.end_timecode),
            h("td", { class: "thumbs" },
              f.frame_thumbnail ? h("img", { src: "data:image/jpeg;base64," + f.frame_thumbnail, alt: `Frame at ${f.start_timecode}` }) : null,
              f.asset_thumbnail ? h("img", { src: "data:image/jpeg;base64," + f.asset_thumbnail, alt: `Registered asset #${f.asset_id}` }) : null),
            h("td", {}, f.asset_id ? `#${f.asset_id} ${f.asset_name || ""}` : "unregistered"),
            h("td", {}, h("span", { class: `badge ${f.verdict === "cleared" ? "s-approved" : "s-rejected"}` }, f.verdict.replaceAll("_", " "))),
            h("td", {}, f.signals.map((s) => s.kind + (s.distance >= 0 ? ` (distance ${s.distance})` : "")).join(", ")),
            h("td", {}, f.reason)))))
          : h("p", {}, "No AI material found."),
        file.unchecked.length ? h("ul", { class: "hint" }, file.unchecked.map((u) => h("li", {}, "Not checked: " + u))) : null));
    }
    sections.push(h("section", { class: "card", "aria-labelledby": "scan-disclosure" },
      h("h2", { id: "scan-disclosure" }, "Disclosure list"),
      report.disclosure.length ? h("ul", {}, report.disclosure.map((d) => h("li", {}, `${d.path} ${d.start_timecode}–${d.end_timecode}: asset #${d.asset_id} ${d.asset_name || ""}`)))
        : h("p", {}, "No cleared AI material in this delivery.")));
  }
  show(...sections);
}

// What a consent covers now, in words: a revoked or expired one covers nothing.
function consentStatus(c) {
  if (c.revoked_at) return `revoked ${when(c.revoked_at)}`;
  if (c.expires_at && Date.parse(c.expires_at) <= Date.now()) {
    return c.lapsed_at ? `expired ${when(c.expires_at)}; approvals it covered suspended` : `expired ${when(c.expires_at)}`;
  }
  return c.expires_at ? `in force until ${when(c.expires_at)}` : "in force";
}

// A production's webhooks, for its contacts and the admins: register one (its secret shown once),
// send a signed test, read the delivery log, disable.
async function webhookSection(productionId) {
  const hooks = (await api("GET", `/productions/${productionId}/webhooks`)).items;
  const log = h("div", { id: "webhook-log" });
  const showLog = async (hook) => {
    const deliveries = (await api("GET", `/webhooks/${hook.id}/deliveries?limit=20`)).items;
    log.replaceChildren(
      h("h3", {}, `Deliveries to ${hook.url}`),
      deliveries.length === 0 ? h("p", { class: "muted" }, "None yet.") : h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "Event"), h("th", {}, "State"), h("th", {}, "Attempts"), h("th", {}, "Last error"), h("th", {}, "Queued"))),
        h("tbody", {}, deliveries.map((d) => h("tr", {},
          h("td", {}, d.event), h("td", {}, d.state === "dead" ? "failed for good" : d.state),
          h("td", {}, d.attempts), h("td", {}, d.last_error || "—"), h("td", {}, when(d.created_at)))))));
  };
  const rows = hooks.map((hook) => h("tr", {},
    h("td", {}, hook.url), h("td", {}, hook.format === "slack" ? "Slack" : "JSON"),
    h("td", {}, hook.disabled ? "disabled" : "active"),
    h("td", {}, h("div", { class: "actions" },
      hook.disabled ? null : h("button", { type: "button", class: "secondary", onclick: async () => {
        try {
          await api("POST", `/webhooks/${hook.id}/test`);
          toast("A signed test delivery is queued; its result shows in the deliveries.");
          await showLog(hook);
        } catch (error) { toast(error.message); }
      } }, "Send a test"),
      h("button", { type: "button", class: "secondary", onclick: () => showLog(hook) }, "Deliveries"),
      hook.disabled ? null : h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("DELETE", `/webhooks/${hook.id}`); route(); } catch (error) { toast(error.message); }
      } }, "Disable")))));
  const form = h("form", { class: "card", "aria-labelledby": "hook-new-title" },
    h("h3", { id: "hook-new-title" }, "New webhook"),
    h("label", { for: "hook-url" }, "Address (https://…)"),
    h("input", { id: "hook-url", type: "url", required: true, "data-field": "url" }),
    h("label", { for: "hook-format" }, "Payload"),
    h("select", { id: "hook-format", "data-field": "format" },
      h("option", { value: "json" }, "clearcut JSON (signed)"), h("option", { value: "slack" }, "Slack-compatible text")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Add the webhook")));
  const secret = h("div", { id: "webhook-secret" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const hook = await api("POST", `/productions/${productionId}/webhooks`,
        { url: form.querySelector("#hook-url").value, format: form.querySelector("#hook-format").value });
      await route();
      const box = document.getElementById("webhook-secret");
      box?.replaceChildren(h("p", { role: "status" }, "Its signing secret, shown this once: ", h("code", {}, hook.secret),
        ". Receivers check each delivery's X-Clearcut-Signature with it (docs/operations.md)."));
    } catch (error) {
      showError(form, error);
    }
  });
  return h("section", { "aria-labelledby": "hooks-title" },
    h("h2", { id: "hooks-title" }, "Webhooks"),
    h("p", { class: "hint" }, "Every notification of this production is also sent to these addresses, signed with HMAC-SHA256."),
    hooks.length === 0 ? h("p", { class: "muted" }, "No webhooks.") : h("table", { id: "webhooks" },
      h("thead", {}, h("tr", {}, h("th", {}, "Address"), h("th", {}, "Payload"), h("th", {}, "State"), h("th", {}, "Actions"))),
      h("tbody", {}, rows)),
    secret, log, form);
}

// The outbox for admins: notifications by state, dead letters sent again on request.
async function outboxSection() {
  const list = h("div", {});
  const pick = h("select", { id: "outbox-state" },
    [["dead", "Failed for good (dead letters)"], ["pending", "Waiting to be sent"], ["sent", "Sent"]].map(([value, text]) => h("option", { value }, text)));
  const load = async () => {
    const items = (await api("GET", `/outbox?state=${pick.value}&limit=50`)).items;
    list.replaceChildren(items.length === 0 ? h("p", { class: "muted", id: "outbox-empty" }, "None.") : h("table", { id: "outbox" },
      h("thead", {}, h("tr", {}, h("th", {}, "Event"), h("th", {}, "To"), h("th", {}, "Attempts"), h("th", {}, "Last error"), h("th", {}, h("span", { class: "visually-hidden" }, "Action")))),
      h("tbody", {}, items.map((n) => h("tr", {},
        h("td", {}, n.event), h("td", {}, n.address), h("td", {}, n.attempts), h("td", {}, n.last_error || "—"),
        h("td", {}, n.state === "dead" ? h("button", { type: "button", class: "secondary", onclick: async () => {
          try {
            await api("POST", `/outbox/${n.id}/retry`);
            toast(`Notification ${n.id} will be sent again.`);
            await load();
          } catch (error) { toast(error.message); }
        } }, "Send again") : null))))));
  };
  pick.addEventListener("change", load);
  await load();
  return h("section", { "aria-labelledby": "outbox-title" },
    h("h2", { id: "outbox-title" }, "Notification outbox"),
    h("p", { class: "hint" }, "E-mails and webhook deliveries. One that failed every attempt (or could not be sent at all, such as e-mail while SMTP is not set up) waits here until it is sent again."),
    h("label", { for: "outbox-state" }, "Show"), pick, list);
}

async function consentSection(productionId) {
  const consents = (await api("GET", `/productions/${productionId}/consents`)).items;
  const list = h("table", {},
    h("thead", {}, h("tr", {}, h("th", {}, "Performer"), h("th", {}, "Kind"), h("th", {}, "Scope"), h("th", {}, "Document SHA-256"), h("th", {}, "Status"))),
    h("tbody", {}, consents.map((c) => h("tr", {},
      h("td", {}, c.performer), h("td", {}, c.kind), h("td", {}, c.scope),
      h("td", {}, h("code", {}, c.document_sha256.slice(0, 16) + "…")),
      h("td", {}, consentStatus(c))))));
  const section = [h("h2", {}, "Consents"), consents.length ? list : h("p", {}, "No consents recorded.")];
  if (role(productionId, "legal")) {
    const form = h("form", { class: "card", "aria-label": "Record a consent" },
      h("label", { for: "c-performer" }, "Performer"),
      h("input", { id: "c-performer", type: "text", "data-field": "performer", required: true }),
      h("label", { for: "c-kind" }, "Kind"),
      h("select", { id: "c-kind", "data-field": "kind" },
        ["replica_creation", "replica_use", "alteration"].map((k) => h("option", { value: k }, k.replace("_", " ")))),
      h("label", { for: "c-scope" }, "Specific uses consented to"),
      h("textarea", { id: "c-scope", "data-field": "scope", required: true }),
      h("label", { for: "c-doc" }, "Signed consent document"),
      h("p", { class: "hint" }, "The document is attached to the consent and its SHA-256 recorded (PDF, image, text or office document)."),
      h("input", { id: "c-doc", type: "file", "data-field": "document_sha256", required: true }),
      h("label", { for: "c-expires" }, "Expires (optional)"),
      h("input", { id: "c-expires", type: "date", "data-field": "expires_at" }),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Record consent")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const file = form.querySelector("#c-doc").files[0];
        if (!file) throw new ApiError(400, { message: "choose the signed document", field: "document_sha256" });
        const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
        const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
        const expires = form.querySelector("#c-expires").value;
        const consent = await api("POST", `/productions/${productionId}/consents`, {
          performer: form.querySelector("#c-performer").value,
          kind: form.querySelector("#c-kind").value,
          scope: form.querySelector("#c-scope").value,
          document_sha256: hex,
          expires_at: expires ? `${expires}T23:59:59Z` : undefined,
        });
        try {
          await attach(`/consents/${consent.id}`, file);
          toast("Consent recorded and its document attached, in the audit log.");
        } catch (error) {
          // The consent stands on its hash; say why the file was not kept.
          toast(`Consent recorded; the document was not attached: ${error.message}`);
        }
        route();
      } catch (error) {
        showError(form, error);
      }
    });
    section.push(form);
  }
  return h("section", {}, section);
}

// ---------- the declaration form ----------

const SECTIONS = [
  { id: "basics", title: "The use", fields: ["summary", "purpose", "media"],
    hint: "Say what you want to make and why. Every intended use is shared with the studio contact; low-risk ideation (mood boards, reference images) is usually just a notification." },
  { id: "pipeline", title: "Tools", fields: [],
    hint: "One stage per tool or model. Pick a reviewed tool from the registry, or describe one. Several stages make a custom workflow: every principle applies at every stage." },
  { id: "inputs", title: "Inputs and references", fields: ["inputs", "references"],
    hint: "Scripts, unreleased footage and production images stay in enterprise tools. A prompt 'inspired by' a famous photograph, or a famous performer's nose, references someone else's work or likeness." },
  { id: "training", title: "Training", fields: ["training.trains_model", "training.on", "training.rights_cleared"],
    hint: "Training or fine-tuning on performers' or artists' material needs cleared rights." },
  { id: "output", title: "The output", fields: ["output.in_final", "output.prominence", "output.story_relevant", "output.key_creative_element", "output.on_screen_element", "output.could_be_mistaken_for_real", "output.factual_content", "output.human_authored_final", "output.public"],
    hint: "Anything in the final deliverables needs written approval — even a background poster. A second killer doll beside the first is a key creative element; a fake news segment with a real journalist could be mistaken for real." },
  { id: "talent", title: "Talent", fields: ["talent.likeness", "talent.digital_replica", "talent.replica_use", "talent.alteration", "talent.replaces_union_work", "talent.performer_model_outside_scope", "talent.consent_documented", "talent.real_person", "talent.deceased"],
    hint: "Re-ageing, synthetic voices and visual ADR (changing a performance's delivery) need the performer's documented consent. Customary fixes (cosmetics, noise, timing) do not." },
  { id: "principles", title: "The five principles", fields: ["principles.p1_no_infringement", "principles.p2_no_training_on_production_data", "principles.p3_enterprise_environment", "principles.p4_temporary_not_final", "principles.p5_no_talent_replacement_without_consent"],
    hint: "Answer each honestly. Any 'no' or 'unsure' goes to the studio contact before you proceed." },
];

// A field's question and an action's sentence come from the active policy pack (GET /schema), so
// that a studio's own pack words its form; what a pack does not word shows as its name.
function label(path) {
  const schema = state.schema;
  const spec = schema && (schema.fields.find((f) => f.path === path) || schema.stage_fields.find((f) => f.path === path));
  return spec?.question || path.replace(/^[a-z]+\./, "").replaceAll("_", " ");
}
function actionText(name) { return state.schema?.actions?.[name] || name.replaceAll("_", " "); }

function fieldSpec(path) { return state.schema.fields.find((f) => f.path === path); }
function idFor(path) { return "f-" + path.replace(/[^a-z0-9]+/gi, "-"); }

function getPath(obj, path) { return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj); }
function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}

function triControl(path, value, onchange, name) {
  const group = h("fieldset", { "data-field": path },
    h("legend", {}, label(path)),
    h("div", { class: "choices" }, ["yes", "no", "unsure", ""].map((v) =>
      h("label", {}, h("input", { type: "radio", name: name || path, value: v, checked: (value ?? "") === v, onchange }),
        v === "" ? "not answered" : v))));
  return group;
}

function fieldControl(spec, value, onchange) {
  const id = idFor(spec.path);
  const text = label(spec.path);
  if (spec.kind === "tri") return triControl(spec.path, value, onchange);
  if (spec.kind === "text") {
    return h("div", {}, h("label", { for: id }, text),
      h("input", { id, type: "text", value: value ?? "", "data-field": spec.path, oninput: onchange }));
  }
  if (spec.kind === "enum") {
    return h("div", {}, h("label", { for: id }, text),
      h("select", { id, "data-field": spec.path, onchange },
        h("option", { value: "" }, "— not answered —"),
        spec.vocabulary.map((v) => h("option", { value: v, selected: value === v }, v.replaceAll("_", " ")))));
  }
  // A list: checkboxes, plus "none" (known to be empty) and "not answered" (unknown).
  const known = Array.isArray(value);
  const boxes = spec.vocabulary.map((v) => h("label", {},
    h("input", { type: "checkbox", name: spec.path, value: v, checked: known && value.includes(v), onchange }),
    v.replaceAll("_", " ")));
  return h("fieldset", { "data-field": spec.path }, h("legend", {}, text),
    h("div", { class: "choices" }, boxes,
      h("label", {}, h("input", { type: "checkbox", name: spec.path, value: "__none", checked: known && value.length === 0, onchange }), h("em", {}, "none"))),
    h("p", { class: "hint" }, "Leave everything unticked if you do not know yet."));
}

function readField(form, spec) {
  if (spec.kind === "tri") {
    const checked = form.querySelector(`input[name="${CSS.escape(spec.path)}"]:checked`);
    return checked && checked.value ? checked.value : undefined;
  }
  if (spec.kind === "text" || spec.kind === "enum") {
    const el = form.querySelector(`#${CSS.escape(idFor(spec.path))}`);
    return el && el.value ? el.value : undefined;
  }
  const ticked = [...form.querySelectorAll(`input[name="${CSS.escape(spec.path)}"]:checked`)].map((b) => b.value);
  if (ticked.includes("__none")) return [];
  return ticked.length ? ticked : undefined;
}

function stageControl(stage, index, onchange, onremove) {
  const usesTool = stage.tool !== undefined;
  const box = h("div", { class: "stage", "data-stage": index, "data-field": "pipeline[]" },
    h("h3", {}, `Stage ${index + 1}`));
  const toolId = `stage-${index}-tool`;
  box.append(h("label", { for: toolId }, "Tool from the registry"),
    h("select", { id: toolId, "data-role": "tool", "data-field": `pipeline[${index}].tool`, onchange },
      h("option", { value: "" }, "— none chosen: describe the tool below —"),
      state.tools.map((t) => h("option", { value: t.id, selected: stage.tool === t.id }, `${t.name || t.id} (${t.id})`))));
  const chosen = state.tools.find((t) => t.id === stage.tool);
  const risks = chosen ? toolRisks(chosen) : [];
  if (risks.length) {
    box.append(h("p", { class: "warning", id: `${toolId}-warning` },
      `${chosen.name || chosen.id} is a consumer tool: it ${risks.join(", and it ")}. ` +
      "Scripts, footage, production images and anything about the cast must not go into it; " +
      "the studio's contact decides whether it may be used at all."));
    box.querySelector(`#${toolId}`).setAttribute("aria-describedby", `${toolId}-warning`);
  }
  const nameId = `stage-${index}-name`;
  box.append(h("label", { for: nameId }, "Name (for a tool not in the registry)"),
    h("input", { id: nameId, type: "text", "data-role": "name", value: stage.name ?? "", oninput: onchange }));
  if (!usesTool) {
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "tri")) {
      box.append(triControl(spec.path, stage[spec.path], onchange, `stage-${index}-${spec.path}`));
    }
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "enum")) {
      const id = `stage-${index}-${spec.path}`;
      box.append(h("label", { for: id }, label(spec.path)),
        h("select", { id, "data-role": spec.path, onchange },
          h("option", { value: "" }, "— not answered —"),
          spec.vocabulary.map((v) => h("option", { value: v, selected: stage[spec.path] === v }, v))));
    }
  }
  box.append(h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: onremove }, "Remove stage")));
  return box;
}

// What makes a registry tool unsafe for production material, as the partner should hear it.
function toolRisks(tool) {
  const risks = [];
  if (tool.trains_on_data === "yes") risks.push("trains on what it is given");
  if (tool.retains_data === "yes" && tool.enterprise_agreement !== "yes") risks.push("keeps what it is given");
  if (tool.enterprise_agreement === "no") risks.push("has no enterprise agreement with the studio");
  return risks;
}

function readStages(form) {
  return [...form.querySelectorAll(".stage")].map((box) => {
    const index = box.getAttribute("data-stage");
    const stage = {};
    const tool = box.querySelector('[data-role="tool"]').value;
    const name = box.querySelector('[data-role="name"]').value;
    if (tool) stage.tool = tool;
    if (name) stage.name = name;
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "tri")) {
      const checked = box.querySelector(`input[name="stage-${index}-${spec.path}"]:checked`);
      if (checked && checked.value) stage[spec.path] = checked.value;
    }
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "enum")) {
      const select = box.querySelector(`[data-role="${spec.path}"]`);
      if (select && select.value) stage[spec.path] = select.value;
    }
    return stage;
  });
}

// What a decision's outcome means for the partner. A triage is not a verdict: it says who looks
// at the case next, so it is never coloured like "approved" or "rejected".
const OUTCOME_TEXT = {
  notify: "notify the studio",
  escalate: "review needed: studio contact",
  written_approval: "review needed: written approval",
};

function outcomeBadge(outcome) {
  if (!outcome) return h("span", { class: "badge muted" }, "—");
  return h("span", { class: "badge outcome", "data-outcome": outcome }, OUTCOME_TEXT[outcome] || outcome);
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

// A rule as a producer reads it: its sentence first; the rule id and the facts it read in a
// "Details" part.
function ruleBlock(r) {
  return h("div", { class: `rule o-${r.outcome}`, "data-rule": r.id },
    h("div", { class: "why" }, r.why),
    h("details", {}, h("summary", {}, "Details"),
      h("p", { class: "muted" }, `Rule ${r.id} (${r.section}): ${OUTCOME_TEXT[r.outcome] || r.outcome}` +
        (r.unknown ? ", because a question is unanswered" : "")),
      r.facts.length ? h("ul", { class: "facts" }, r.facts.map((f) =>
        h("li", {}, `${label(f.field)}: ${f.value === "absent" ? "not answered" : f.value}` +
          (f.stage ? ` (stage "${f.stage}")` : "")))) : null));
}

// The decision's headline (POLICY.md §6) without the rule id and field paths it names for the
// command line: those are in each rule's "Details".
function plainHeadline(headline) {
  const undecided = headline.match(/^([^:]+): \S+ may apply, and .* (is|are) not yet known\.$/);
  if (undecided) return `${undecided[1]}: questions that decide it are not answered yet.`;
  return headline.replace(/ \([A-Z][A-Z0-9]*(-[A-Z0-9]+)+\)\.$/, ".");
}

// Leads with the likely result and what the partner must do; the rules that decided it follow,
// those waiting on unanswered questions and those raising nothing folded away.
function renderDecision(decision) {
  if (!decision) return h("p", { class: "muted" }, "Not triaged yet.");
  const decided = decision.rules.filter((r) => r.outcome !== "notify" && !r.unknown);
  const waiting = decision.rules.filter((r) => r.unknown);
  const quiet = decision.rules.filter((r) => r.outcome === "notify" && !r.unknown);
  return h("div", {},
    h("p", {}, "Likely result: ", outcomeBadge(decision.outcome), " ",
      h("span", { class: "muted" }, `policy ${decision.policy.name} ${decision.policy.version}`)),
    decision.headline ? h("p", { class: "headline" }, plainHeadline(decision.headline)) : null,
    decision.actions.length ? [h("h3", {}, "What needs doing"),
      h("ul", { class: "actions-list" }, decision.actions.map((a) => h("li", { "data-action": a }, actionText(a))))] : null,
    decision.unknown.length ? h("details", { class: "questions" },
      h("summary", {}, `${plural(decision.unknown.length, "question", "questions")} left: ` +
        "each unanswered one counts as unsure and goes to the studio contact"),
      h("ul", {}, decision.unknown.map((path) => h("li", {}, label(path))))) : null,
    decided.length ? [h("h3", {}, "Why"), decided.map(ruleBlock)] : null,
    waiting.length ? h("details", {}, h("summary", {}, `${plural(waiting.length, "rule waits", "rules wait")} on unanswered questions`),
      waiting.map(ruleBlock)) : null,
    quiet.length ? h("details", {}, h("summary", {}, `${plural(quiet.length, "rule asks", "rules ask")} only that the studio is notified`),
      quiet.map(ruleBlock)) : null,
    (decision.notes || []).map((n) => h("p", { class: "hint" }, n)));
}

async function ensureSchema() {
  state.schema = await api("GET", "/schema");  // the pack, so its words, may have changed
  state.tools = (await api("GET", "/tools")).items;
}

// What would lower the likely result, as the partner can act on it (the server's levers).
function leverText(lever) {
  const result = OUTCOME_TEXT[lever.outcome] || lever.outcome;
  const question = label(lever.field).replace(/\.$/, "");
  if (lever.removes) return `Leaving "${lever.removes.replaceAll("_", " ")}" out of "${question}" would make it: ${result}.`;
  return `Answering "${question}" with "${answerText(lever.value)}" would make it: ${result}.`;
}

function answerText(value) {
  return Array.isArray(value) ? (value.map((v) => v.replaceAll("_", " ")).join(", ") || "none") : value.replaceAll("_", " ");
}

// The declaration as the form writes it: the partner's answers, and the answers that follow from
// them (the pack's `otherwise` for questions it does not ask), which the triage applied too.
function withImplied(declaration, implied) {
  const out = structuredClone(declaration);
  for (const [path, value] of Object.entries(implied || {})) setPath(out, path, value);
  return out;
}

async function viewDeclare(productionId, useCase) {
  await ensureSchema();
  const production = (await loadProductions()).find((p) => p.id === productionId);
  let declaration = useCase ? structuredClone(useCase.declaration) : { schema: "clearcut/v1", production: production?.code };
  let step = 0;
  const triage = h("div", { "aria-live": "polite", id: "triage" }, h("p", { class: "muted" }, "Fill in the form: the triage updates as you go."));
  // The likely result, the questions left and what would lower it, in view while the form scrolls.
  const bar = h("div", { class: "outcome-bar", id: "outcome-bar" });
  const form = h("form", { "aria-label": "Declaration" });
  let timer = null;
  let asked = null;  // the server's view of the form: moot, implied and open questions, levers
  let sequence = 0;

  function collect() {
    const out = { schema: "clearcut/v1", production: production?.code };
    for (const section of SECTIONS) {
      for (const path of section.fields) {
        const spec = fieldSpec(path);
        const input = form.querySelector(`[data-section="${section.id}"]`);
        const value = input ? readField(input, spec) : getPath(declaration, path);
        if (value !== undefined) setPath(out, path, value);
      }
    }
    const pipelineBox = form.querySelector('[data-section="pipeline"]');
    const stages = pipelineBox ? readStages(pipelineBox) : declaration.pipeline;
    if (stages && stages.length) out.pipeline = stages;
    return out;
  }

  // Hides the questions the answers make moot, says which and what follows, and counts what is
  // left per section.
  function applyAsked() {
    if (!asked) return;
    const moot = new Set(asked.moot);
    for (const box of form.querySelectorAll("[data-question]")) box.hidden = moot.has(box.dataset.question);
    const note = form.querySelector("#not-asked");
    const notAsked = SECTIONS[step].fields.filter((path) => moot.has(path));
    if (note) {
      note.replaceChildren(notAsked.length
        ? `Not asked, since your answers settle ${notAsked.length === 1 ? "it" : "them"}: ` + notAsked.map((path) =>
          label(path) + (path in asked.implied ? ` (${answerText(asked.implied[path])})` : "")).join("; ") + "."
        : "");
    }
    for (const [i, section] of SECTIONS.entries()) {
      const count = form.querySelector(`[data-left="${i}"]`);
      const left = section.fields.filter((path) => asked.open.includes(path)).length;
      if (count) count.textContent = left ? ` (${left} left)` : "";
    }
  }

  function renderBar(decision) {
    const left = asked.open.length;
    bar.replaceChildren(
      h("p", {}, "Likely result: ", outcomeBadge(decision.outcome), " ",
        h("span", { id: "questions-left" }, left ? `${plural(left, "question", "questions")} left` : "no question left that decides it")),
      asked.levers.length ? h("details", { open: true }, h("summary", {}, "What would lower it"),
        h("ul", { class: "levers" }, asked.levers.map((lever) => h("li", {}, leverText(lever))))) : null);
  }

  // The form's triage: the server applies the answers that follow (so the result is the one the
  // saved declaration gets) and says which questions to ask. Answers arriving out of order are
  // dropped.
  async function assessForm() {
    const mine = ++sequence;
    const decision = await api("POST", "/assess", { declaration, form: true });
    return mine === sequence ? decision : null;
  }

  async function retriage() {
    declaration = collect();
    try {
      const decision = await assessForm();
      if (!decision) return;
      asked = decision.form;
      triage.replaceChildren(renderDecision(decision));
      renderBar(decision);
      applyAsked();
      for (const old of form.querySelectorAll(".error")) old.remove();
      for (const old of form.querySelectorAll("[aria-invalid]")) old.removeAttribute("aria-invalid");
    } catch (error) {
      triage.replaceChildren(h("p", { class: "muted" }, "Triage paused until the form is valid."));
      bar.replaceChildren(h("p", { class: "muted" }, "Triage paused until the form is valid."));
      showError(form, error);
    }
  }
  const changed = () => { clearTimeout(timer); timer = setTimeout(retriage, 250); };

  // Callers collect() the form into `declaration` before changing it and re-rendering.
  // Moving to another section puts focus on its heading (the button pressed is gone).
  function goTo(next) {
    declaration = collect();
    step = next;
    renderStep();
    focusHeading(form.querySelector("[data-section] h2"));
  }

  function renderStep() {
    const section = SECTIONS[step];
    const body = h("div", { "data-section": section.id },
      h("h2", {}, `${step + 1}. ${section.title}`),
      h("p", { class: "hint" }, section.hint));
    if (section.id === "pipeline") {
      const stages = declaration.pipeline || [];
      stages.forEach((stage, i) => body.append(stageControl(stage, i, () => {
        // Choosing a registry tool hides the inline facts: the registry's reviewed facts apply.
        declaration = collect();
        const now = declaration.pipeline?.[i];
        if (now?.tool !== stage.tool) {
          renderStep();
          form.querySelector(`#stage-${i}-tool`)?.focus();
        }
        changed();
      }, () => { declaration = collect(); declaration.pipeline.splice(i, 1); renderStep(); changed(); })));
      body.append(h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => {
        declaration = collect();
        // No tool is chosen for the partner: the first in the registry may be a consumer app.
        (declaration.pipeline ??= []).push({});
        renderStep();
        form.querySelector(`#stage-${declaration.pipeline.length - 1}-tool`)?.focus();
        changed();
      } }, "Add a stage")));
    } else {
      for (const path of section.fields) {
        const spec = fieldSpec(path);
        body.append(h("div", { class: "question", "data-question": path }, fieldControl(spec, getPath(declaration, path), changed),
          spec.help ? h("p", { class: "hint" }, spec.help) : null));
      }
      body.append(h("p", { class: "hint", id: "not-asked" }));
    }
    const stepper = h("nav", { class: "stepper", "aria-label": "Sections" }, SECTIONS.map((s, i) =>
      h("button", { type: "button", "aria-current": i === step ? "step" : null, onclick: () => goTo(i) },
        `${i + 1}. ${s.title}`, h("span", { "data-left": i }))));
    const nav = h("div", { class: "actions" },
      step > 0 ? h("button", { type: "button", class: "secondary", onclick: () => goTo(step - 1) }, "Back") : null,
      step < SECTIONS.length - 1 ? h("button", { type: "button", class: "secondary", onclick: () => goTo(step + 1) }, "Next") : null,
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "secondary", onclick: () => save(false) }, useCase ? "Save changes" : "Save as draft"),
      (!useCase || useCase.state === "draft") ? h("button", { type: "button", onclick: () => save(true) }, "Submit to the studio") : null);
    form.replaceChildren(bar, stepper, body, nav);
    applyAsked();
  }

  // An edit after submission first shows what it changes and which written approvals it
  // outdates (the server's preview; nothing is stored); true when the partner confirms.
  async function confirmEdit(written) {
    const preview = await api("POST", `/use-cases/${useCase.id}/declaration/preview`, { declaration: written, revision: useCase.revision });
    if (!preview.changes.length) return true;
    const outdated = preview.outdated_approvals;
    return new Promise((resolve) => {
      const close = (answer) => { panel.remove(); resolve(answer); };
      const panel = h("section", { class: "card", id: "edit-preview", role: "alertdialog", "aria-labelledby": "edit-preview-title" },
        h("h2", { id: "edit-preview-title" }, "Before you save: what this edit changes"),
        outdated.length
          ? h("p", { class: "error" }, `Saving makes the written approval${outdated.length > 1 ? "s" : ""} ${outdated.map((id) => `#${id}`).join(", ")} outdated: legal must approve the changed declaration before it is used.`)
          : null,
        h("p", {}, `The use case is triaged again: ${preview.state_before} → ${preview.state_after}, outcome ${(preview.outcome_after || "none").replace("_", " ")}.`),
        h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Field"), h("th", {}, "Before"), h("th", {}, "After"))),
          h("tbody", {}, preview.changes.map((c) =>
            h("tr", {}, h("td", {}, h("code", {}, c.field)), h("td", {}, c.from ?? "(absent)"), h("td", {}, c.to ?? "(absent)"))))),
        h("div", { class: "actions" },
          h("button", { type: "button", onclick: () => close(true) }, outdated.length ? "Save and outdate the approval" : "Save the changes"),
          h("button", { type: "button", class: "secondary", onclick: () => close(false) }, "Keep editing")));
      form.prepend(panel);
      panel.querySelector("button").focus();
    });
  }

  async function save(submit) {
    declaration = collect();
    for (const old of form.querySelectorAll("#edit-preview")) old.remove();
    // The studio's contact needs to know what the case is before it reaches them; a draft may
    // be saved without.
    const missing = submit ? ["summary", "purpose"].find((field) => !declaration[field]) : undefined;
    if (missing) {
      if (step !== 0) goTo(0);
      showError(form, new ApiError(422, { field: missing,
        message: missing === "summary" ? "say in one line what the AI is used for before submitting"
                                       : "choose what the output is for before submitting" }));
      return;
    }
    try {
      // The answers that follow from the partner's, from a triage of exactly what is saved.
      clearTimeout(timer);
      let assessed = null;
      while (!assessed) assessed = await assessForm();
      const written = withImplied(declaration, assessed.form.implied);
      let result;
      if (useCase) {
        if (useCase.state !== "draft" && !(await confirmEdit(written))) return;
        result = await api("PUT", `/use-cases/${useCase.id}/declaration`, { declaration: written, revision: useCase.revision });
        if (submit) result = await api("POST", `/use-cases/${useCase.id}/transitions`, { action: "submit", revision: result.revision });
      } else {
        result = await api("POST", `/productions/${productionId}/use-cases`, { declaration: written, submit });
      }
      toast(submit ? `Submitted: ${result.state} (${result.outcome}).`
        : useCase && useCase.state !== "draft" ? `Saved: ${result.state} (${result.outcome}); the history lists the changes.` : "Saved.");
      location.hash = `#/u/${result.id}`;
    } catch (error) {
      showError(form, error);
    }
  }

  const upload = h("input", { type: "file", id: "upload", accept: ".yaml,.yml,.json", onchange: async () => {
    const file = upload.files[0];
    if (!file) return;
    try {
      const text = await file.text();
      const created = await api("POST", `/productions/${productionId}/use-cases`, { declaration: text, submit: false });
      toast("Declaration uploaded as a draft.");
      location.hash = `#/u/${created.id}/edit`;
    } catch (error) {
      showError(form, error);
    }
  } });

  renderStep();
  retriage();
  show(h("h1", {}, useCase ? `Edit use case #${useCase.id}` : `Declare a GenAI use — ${production?.title || ""}`),
    useCase ? null : h("p", {}, h("label", { for: "upload", class: "inline-label" }, "Or upload a declaration file (YAML or JSON): "), upload),
    h("div", { class: "grid" }, h("div", { class: "card" }, form),
      h("aside", { class: "card sticky", "aria-label": "Live triage" }, h("h2", {}, "Triage"), triage)));
}

async function viewEdit(id) {
  const useCase = await api("GET", `/use-cases/${id}`);
  await viewDeclare(useCase.production_id, useCase);
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The checklist that gates written approval: each item with what meets it, and the forms that
// meet it (the contact or legal records evidence; legal waives, with a reason).
function checklistSection(u, items, canRecord, canWaive) {
  const how = { consent: "met by a consent linked to this use case (Consents of the production)",
    registry: "met by the tool registry: every stage's tool reviewed within the pack's review period",
    document: "met by the SHA-256 of the licence or clearance", statement: "met by a statement",
    declaration: "an open question: amend the declaration, or legal waives it" };
  async function post(path, body, form) {
    try {
      await api("POST", `/use-cases/${u.id}/checklist/${path}`, body);
      toast("Recorded in the audit log.");
      route();
    } catch (error) {
      showError(form, error);
    }
  }
  const rows = items.map((item) => {
    // In the producer's words: the declaration's question, the pack's action as it is done.
    const short = item.kind === "question" ? label(item.name) : item.name.replace(/_/g, " ");
    const title = item.kind === "question" ? `Open question: ${short}` : actionText(item.name);
    const forms = [];
    if (item.state === "open" && canRecord && (item.met_by === "statement" || item.met_by === "document")) {
      const id = `ev-${item.id}`;
      // A document item: attaching the file fills in its hash.
      const fileId = `evf-${item.id}`;
      const attachControl = item.met_by === "document" ? [
        h("label", { for: fileId }, `Or attach the licence or clearance file (${short})`),
        h("input", { type: "file", id: fileId, "data-field": "file", onchange: async (event) => {
          const file = event.target.files[0];
          if (!file) return;
          try {
            const attached = await attach(`/use-cases/${u.id}`, file);
            form.querySelector(`#${id}`).value = attached.sha256;
            toast(`Attached ${attached.file_name}; its SHA-256 is filled in.`);
          } catch (error) {
            showError(form, error);
          }
        } }),
      ] : null;
      const form = h("form", { "aria-label": `Record evidence: ${item.name}` },
        h("label", { for: id }, item.met_by === "document" ? `SHA-256 of the licence or clearance (${short})` : `Evidence for ${short}`),
        h("input", { type: "text", id, "data-field": item.met_by === "document" ? "document_sha256" : "text" }),
        attachControl,
        h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Record evidence")));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const value = form.querySelector(`#${id}`).value;
        post(`${item.id}/evidence`, item.met_by === "document" ? { document_sha256: value } : { text: value }, form);
      });
      forms.push(form);
    }
    if (item.state === "open" && canWaive && !(item.met_by === "consent" && !item.conditional)) {
      const id = `wv-${item.id}`;
      const form = h("form", { "aria-label": `Waiver: ${item.name}` },
        h("label", { for: id }, `Reason to waive: ${short}`),
        h("input", { type: "text", id, "data-field": "reason" }),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Waive")));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        post(`${item.id}/waive`, { reason: form.querySelector(`#${id}`).value }, form);
      });
      forms.push(form);
    }
    // The disclosure is planned before approval and made in the cut: then it is confirmed, and
    // until it is a delivery scan fails on this case's outputs.
    const confirmation = item.evidence && item.evidence.confirmation;
    if (item.name === "audience_disclosure" && item.state === "met" && canRecord && !confirmation) {
      const id = `cf-${item.id}`;
      const form = h("form", { "aria-label": "Confirm the disclosure was made" },
        h("label", { for: id }, "Where and how the disclosure was made (card and timecode, credit, caption file, metadata)"),
        h("input", { type: "text", id, "data-field": "text" }),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Confirm the disclosure was made")));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        post(`${item.id}/confirm`, { text: form.querySelector(`#${id}`).value }, form);
      });
      forms.push(form);
    }
    const evidence = item.evidence ? (item.evidence.consent_ids ? `consents ${item.evidence.consent_ids.join(", ")}`
      : item.evidence.tools ? item.evidence.tools.map((t) => `${t.id} reviewed ${t.reviewed_on}`).join("; ")
      : [item.evidence.text, item.evidence.document_sha256].filter(Boolean).join("; ")) : "";
    return h("div", { class: `rule checklist-${item.state}`, "data-item": item.name },
      h("strong", {}, title), " ", h("span", { class: `badge c-${item.state}` }, item.state),
      item.conditional ? h("span", { class: "muted" }, " (if the open facts hold)") : null,
      h("div", { class: "muted" }, `${item.rules.join(", ")}: ${how[item.met_by] || ""}`),
      evidence ? h("div", {}, "Evidence: ", evidence) : null,
      confirmation ? h("div", { class: "disclosure-confirmed" }, `Disclosure made (confirmed ${confirmation.at}): `, confirmation.text)
        : item.name === "audience_disclosure" && item.state === "met"
          ? h("div", { class: "muted" }, "Not yet confirmed as made: a delivery scan fails on this case's outputs until it is.") : null,
      item.note ? h("div", {}, "Open because: ", item.note) : null,
      item.reason ? h("div", {}, "Waived: ", item.reason) : null,
      forms);
  });
  return h("section", { class: "card", "aria-labelledby": "checklist-title" },
    h("h2", { id: "checklist-title" }, "Checklist (gates written approval)"),
    rows.length ? rows : h("p", { class: "muted" }, "Nothing to settle before approval."));
}

// Evidence files attached to the use case: the list with download links and, for the contact and
// legal, an upload control.
function attachmentSection(u, attachments, canAttach) {
  const list = attachments.length
    ? h("ul", { class: "attachments" }, attachments.map((a) => h("li", {},
      h("a", { href: a.download, download: a.file_name }, a.file_name),
      h("span", { class: "muted" }, ` ${a.content_type.split(";")[0]}, ${bytesText(a.size)}, added ${when(a.added_at)}`),
      h("div", {}, h("code", { title: "SHA-256" }, a.sha256)))))
    : h("p", { class: "muted" }, "No files attached.");
  let form = null;
  if (canAttach) {
    form = h("form", { "aria-label": "Attach a file" },
      h("label", { for: "att-file" }, "File to attach (PDF, image, text or office document)"),
      h("input", { id: "att-file", type: "file", "data-field": "file" }),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Attach")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const file = form.querySelector("#att-file").files[0];
        if (!file) throw new ApiError(400, { message: "choose a file", field: "file" });
        await attach(`/use-cases/${u.id}`, file);
        toast("Attached. Recorded in the audit log.");
        route();
      } catch (error) {
        showError(form, error);
      }
    });
  }
  return h("section", { class: "card", "aria-labelledby": "attachments-title" },
    h("h2", { id: "attachments-title" }, "Attachments"), list, form);
}

async function viewUseCase(id) {
  const u = await api("GET", `/use-cases/${id}`);
  const checklist = (await api("GET", `/use-cases/${id}/checklist`)).items;
  const attachments = (await api("GET", `/use-cases/${id}/attachments`)).items;
  const pid = u.production_id;
  const isContact = role(pid, "contact");
  const isLegal = role(pid, "legal");

  async function act(action, note) {
    try {
      await api("POST", `/use-cases/${u.id}/transitions`, { action, revision: u.revision, note: note || undefined });
      toast(`Done: ${action.replace("_", " ")}. Recorded in the audit log.`);
      route();
    } catch (error) {
      if (isStale(error)) staleBanner();
      else toast(error.message);
    }
  }
  const noteInput = h("input", { type: "text", id: "note", "aria-label": "Note for this action" });
  const buttons = [];
  // The server says what this reader may do now (allowed_actions); the page does not guess.
  const may = (action) => (u.allowed_actions || []).includes(action);
  if (may("edit")) buttons.push(h("a", { class: "button secondary", href: `#/u/${u.id}/edit` }, "Edit declaration"));
  if (may("submit")) buttons.push(h("button", { type: "button", onclick: () => act("submit") }, "Submit"));
  if (may("withdraw")) buttons.push(h("button", { type: "button", class: "secondary", onclick: () => act("withdraw", noteInput.value) }, "Withdraw"));
  if (may("acknowledge")) buttons.push(h("button", { type: "button", class: "secondary", onclick: () => act("acknowledge", noteInput.value) }, "Acknowledge"));
  if (may("escalate")) buttons.push(h("button", { type: "button", onclick: () => act("escalate", noteInput.value) }, "Escalate"));
  if (may("request_changes")) buttons.push(h("button", { type: "button", class: "secondary", onclick: () => act("request_changes", noteInput.value) }, "Ask for changes"));
  if (may("reject")) buttons.push(h("button", { type: "button", class: "danger", onclick: () => act("reject", noteInput.value) }, "Reject"));
  buttons.push(h("button", { type: "button", class: "secondary", onclick: () => download(`use-case-${u.id}.json`, JSON.stringify(u.declaration, null, 2)) }, "Download declaration"));

  const approvalForm = may("approve") ? (() => {
    const form = h("form", { class: "card", "aria-label": "Written approval" },
      h("h2", {}, "Written approval"),
      h("label", { for: "a-conditions" }, "Conditions"),
      h("textarea", { id: "a-conditions", "data-field": "conditions" }),
      h("fieldset", { "data-field": "scope" }, h("legend", {}, "Scope"),
        h("label", {}, h("input", { type: "checkbox", id: "a-final" }), " Cleared for final use"),
        h("label", { for: "a-deliverables" }, "Deliverables (comma-separated)"),
        h("input", { type: "text", id: "a-deliverables" })),
      h("label", { for: "a-expires" }, "Expires (optional)"),
      h("input", { type: "date", id: "a-expires", "data-field": "expires_at" }),
      h("label", { for: "a-reason" }, "Reason"),
      h("textarea", { id: "a-reason", "data-field": "reason" }),
      h("label", { for: "a-signer" }, "Your full name (signature)"),
      h("input", { type: "text", id: "a-signer", "data-field": "signer_name", autocomplete: "name" }),
      checklist.some((item) => item.state === "open")
        ? h("p", { class: "error" }, "The checklist has open items: the approval will be refused until each is met or waived.")
        : null,
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Approve in writing")));
    // Signing is two steps: the form, then a summary of exactly what is being approved (the
    // scope, conditions, expiry and the checklist with its evidence) that the approver signs.
    async function sign(body) {
      try {
        await api("POST", `/use-cases/${u.id}/approvals`, body);
        toast("Approved in writing. Recorded in the audit log.");
        route();
      } catch (error) {
        for (const old of form.querySelectorAll("#sign-summary")) old.remove();
        showError(form, error);
      }
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      for (const old of form.querySelectorAll("#sign-summary")) old.remove();
      const deliverables = form.querySelector("#a-deliverables").value.split(",").map((s) => s.trim()).filter(Boolean);
      const expires = form.querySelector("#a-expires").value;
      const body = {
        revision: u.revision,
        conditions: form.querySelector("#a-conditions").value,
        scope: { final_use: form.querySelector("#a-final").checked, deliverables },
        expires_at: expires ? `${expires}T23:59:59Z` : undefined,
        signer_name: form.querySelector("#a-signer").value,
        reason: form.querySelector("#a-reason").value,
      };
      const evidenceOf = (item) => item.evidence ? [item.evidence.text, item.evidence.document_sha256 && `SHA-256 ${item.evidence.document_sha256}`,
        item.evidence.consent_ids && `consents ${item.evidence.consent_ids.join(", ")}`].filter(Boolean).join("; ") : "";
      const summary = h("section", { id: "sign-summary", role: "alertdialog", "aria-labelledby": "sign-summary-title" },
        h("h3", { id: "sign-summary-title" }, `You are approving use case #${u.id} in writing`),
        h("dl", { class: "facts" },
          h("dt", {}, "Declaration"), h("dd", {}, `revision ${u.revision}, SHA-256 `, h("code", { class: "digest" }, u.declaration_digest)),
          h("dt", {}, "Scope"), h("dd", {}, `${body.scope.final_use ? "final use" : "not for final use"}${deliverables.length ? `, ${deliverables.join(", ")}` : ""}`),
          h("dt", {}, "Conditions"), h("dd", {}, body.conditions || "none"),
          h("dt", {}, "Expires"), h("dd", {}, expires || "does not expire"),
          h("dt", {}, "Reason"), h("dd", {}, body.reason || "(none: required)"),
          h("dt", {}, "Signed by"), h("dd", {}, body.signer_name || "(no name: required)")),
        h("h4", {}, "The checklist as it stands"),
        checklist.length ? h("ul", {}, checklist.map((item) => h("li", {},
          `${item.kind === "question" ? label(item.name) : actionText(item.name)} — ${item.state}`,
          item.reason ? ` (waived: ${item.reason})` : "", evidenceOf(item) ? ` (${evidenceOf(item)})` : ""))) : h("p", {}, "Nothing to settle."),
        h("div", { class: "actions" },
          h("button", { type: "button", onclick: () => sign(body) }, "Sign the approval"),
          h("button", { type: "button", class: "secondary", onclick: () => summary.remove() }, "Back to the form")));
      form.append(summary);
      summary.querySelector("button").focus();
    });
    return form;
  })() : null;

  // Who may assign is the server's answer (assignable is empty for others).
  const assignForm = (u.assignable || []).length ? (() => {
    const select = h("select", { id: "assign-to", "data-field": "assignee_id" },
      h("option", { value: "0" }, "Nobody"),
      u.assignable.map((p) => h("option", { value: String(p.id), selected: u.assignee?.id === p.id }, p.name)));
    const form = h("form", { class: "inline-form", "aria-label": "Assign" },
      h("label", { for: "assign-to", class: "inline-label" }, "Assign to "), select, " ",
      h("button", { type: "submit", class: "secondary" }, "Assign"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PUT", `/use-cases/${u.id}/assignee`, { assignee_id: Number(select.value) });
        toast("Assigned. Recorded in the audit log.");
        route();
      } catch (error) {
        showError(form, error);
      }
    });
    return form;
  })() : null;

  const commentForm = h("form", { "aria-label": "Add a comment" },
    h("label", { for: "comment" }, "Comment"),
    h("textarea", { id: "comment", "data-field": "body" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Add comment")));
  commentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/use-cases/${u.id}/comments`, { body: commentForm.querySelector("#comment").value });
      route();
    } catch (error) {
      showError(commentForm, error);
    }
  });

  const facts = [];
  const flatten = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj || {})) {
      if (k === "pipeline") continue;
      const path = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v)) flatten(v, path);
      else facts.push([path, Array.isArray(v) ? (v.length ? v.join(", ") : "none") : String(v)]);
    }
  };
  flatten(u.declaration, "");
  (u.declaration?.pipeline || []).forEach((s, i) => facts.push([`pipeline[${i}]`, Object.entries(s).map(([k, v]) => `${k}: ${v}`).join("; ")]));

  show(
    h("p", {}, h("a", { href: `#/p/${pid}` }, "← Production")),
    h("h1", {}, `#${u.id} ${u.summary || ""}`),
    h("p", {}, badge("s", u.state), " ", outcomeBadge(u.outcome), " ", h("span", { class: "muted" }, `revision ${u.revision}, updated ${when(u.updated_at)}`,
      u.created_by_name ? `, declared by ${u.created_by_name}` : "")),
    h("p", { id: "assignee" }, "Assigned to: ", u.assignee ? h("strong", {}, u.assignee.name) : "nobody"),
    assignForm,
    h("div", { class: "actions" }, buttons, h("span", { class: "spacer" }),
      buttons.length > 1 ? [h("label", { for: "note", class: "inline-label" }, "Note: "), noteInput] : null),
    h("div", { class: "grid" },
      h("div", {},
        h("section", { class: "card", "aria-labelledby": "decision-title" }, h("h2", { id: "decision-title" }, "Decision"), renderDecision(u.decision)),
        h("section", { class: "card", "aria-labelledby": "approvals-title" }, h("h2", { id: "approvals-title" }, "Written approvals"),
          u.approvals.length ? u.approvals.map((a) => h("div", { class: "rule o-notify" },
            h("strong", {}, a.granted ? "Approved" : "Refused"), ` ${when(a.created_at)} by ${a.approver_name || a.signer_name}`,
            a.signer_name && a.signer_name !== a.approver_name ? ` (signed "${a.signer_name}")` : "",
            a.reason ? h("div", {}, "Reason: ", a.reason) : null,
            a.outdated ? h("span", { class: "badge s-rejected" }, "outdated: the declaration changed") : null,
            a.granted ? h("div", {}, h("a", { href: `/api/v1/approvals/${a.id}/certificate.pdf`, download: `approval-${a.id}-certificate.pdf` }, "Download the certificate (PDF)"),
              " or ", h("a", { href: `/api/v1/approvals/${a.id}/certificate`, download: `approval-${a.id}-certificate.json` }, "as JSON"),
              h("span", { class: "muted" }, " (either checks offline with clearcut audit verify-certificate)")) : null,
            h("div", {}, "Conditions: ", a.conditions || "none"),
            h("div", { class: "muted" }, `Scope: ${a.scope?.final_use ? "final use" : "not for final use"}${a.scope?.deliverables?.length ? ", " + a.scope.deliverables.join(", ") : ""}${a.expires_at ? `; expires ${when(a.expires_at)}` : ""}`)))
            : h("p", { class: "muted" }, "None yet.")),
        u.state === "draft" ? null : checklistSection(u, checklist, (isContact || isLegal) && u.state !== "withdrawn" && u.state !== "rejected",
          isLegal && u.state !== "withdrawn" && u.state !== "rejected"),
        attachmentSection(u, attachments, isContact || isLegal),
        approvalForm,
        h("section", { class: "card", "aria-labelledby": "declaration-title" }, h("h2", { id: "declaration-title" }, "Declaration"),
          h("dl", { class: "kv" }, facts.map(([k, v]) => [h("dt", { title: k }, label(k)), h("dd", {}, v)])))),
      h("div", {},
        h("section", { class: "card", "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "History (audit log)"),
          h("ol", {}, u.events.map((e) => h("li", {}, h("strong", {}, e.kind.replace("_", " ")), ` ${e.from_state ? e.from_state + " → " : ""}${e.to_state}`,
            h("div", { class: "muted" }, `${when(e.at)}${e.actor_id ? ` by ${e.actor_name || "someone no longer here"}` : " by the policy"}`), e.note ? h("div", {}, e.note) : null)))),
        h("section", { class: "card", "aria-labelledby": "comments-title" }, h("h2", { id: "comments-title" }, "Comments"),
          u.comments.map((c) => h("div", { class: "rule" }, h("div", { class: "muted" }, `${c.author_name || "someone no longer here"}, ${when(c.created_at)}`), c.body)),
          commentForm))));
}

// ---------- admin ----------

async function viewAdmin() {
  if (!state.me.admin) throw new ApiError(403, { message: "Admins only." });
  const [users, tools, packs, tokens, productions, sso] = await Promise.all([
    api("GET", "/users"), api("GET", "/tools"), api("GET", "/policy-packs"), api("GET", "/tokens"), loadProductions(),
    api("GET", "/sso")]);
  const members = await Promise.all(productions.map((p) => api("GET", `/productions/${p.id}/members`)));
  const mappings = sso.enabled ? (await api("GET", "/sso/mappings")).items : [];
  const productionName = (id) => productions.find((p) => p.id === id)?.title || productions.find((p) => p.id === id)?.code || `#${id}`;

  const productionForm = h("form", { class: "card", "aria-label": "New production" },
    h("h3", {}, "New production"),
    h("label", { for: "p-code" }, "Code (what declarations name)"), h("input", { id: "p-code", type: "text", "data-field": "code" }),
    h("label", { for: "p-title" }, "Title"), h("input", { id: "p-title", type: "text", "data-field": "title" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create production")));
  productionForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/productions", { code: productionForm.querySelector("#p-code").value, title: productionForm.querySelector("#p-title").value });
      toast("Production created.");
      route();
    } catch (error) { showError(productionForm, error); }
  });
  // The answer time My tasks counts due dates with.
  const answerForm = (p) => {
    const id = `answer-${p.id}`;
    const form = h("form", { class: "inline-form", "aria-label": `Answer time of ${p.code}` },
      h("label", { for: id, class: "inline-label" }, "The studio answers within "),
      h("input", { id, type: "number", min: 1, max: 30, value: p.answer_within_days ?? 2, class: "narrow-number", "data-field": "answer_within_days" }),
      " working days ",
      h("button", { type: "submit", class: "secondary" }, "Save"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PATCH", `/productions/${p.id}`, { answer_within_days: Number(form.querySelector("input").value) });
        toast(`${p.code}: answer time saved.`);
        route();
      } catch (error) { showError(form, error); }
    });
    return form;
  };
  const memberTables = productions.map((p, i) => h("section", { "aria-label": `Members of ${p.title || p.code}` },
    h("h3", {}, `${p.title || p.code} (${p.code})`),
    answerForm(p),
    members[i].items.length === 0 ? h("p", { class: "hint" }, "No members yet.") :
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Email"), h("th", {}, "Role"), h("th", {}, h("span", { class: "visually-hidden" }, "Actions")))),
        h("tbody", {}, members[i].items.map((m) => h("tr", {}, h("td", {}, m.name), h("td", {}, m.email), h("td", {}, m.role),
          h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": `Remove ${m.name} from ${p.code}`,
            onclick: async () => {
              try {
                await api("DELETE", `/productions/${p.id}/members/${m.user_id}`);
                toast(`${m.name} no longer has a role on ${p.code}.`);
                route();
              } catch (error) { toast(error.message); }
            } }, "Remove"))))))));

  const mappingForm = h("form", { class: "card", "aria-label": "New single sign-on role mapping" },
    h("h3", {}, "Give a directory group a role"),
    h("label", { for: "m-claim" }, "Claim"), h("input", { id: "m-claim", type: "text", value: "groups", "data-field": "claim" }),
    h("label", { for: "m-value" }, "Value (e.g. the group's name)"), h("input", { id: "m-value", type: "text", "data-field": "value" }),
    h("label", { for: "m-production" }, "Production"), h("select", { id: "m-production", "data-field": "production_id" }, productions.map((p) => h("option", { value: p.id }, p.code))),
    h("label", { for: "m-role" }, "Role"), h("select", { id: "m-role", "data-field": "role" }, ["partner", "contact", "legal"].map((r) => h("option", { value: r }, r))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Add mapping")));
  mappingForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/sso/mappings", { claim: mappingForm.querySelector("#m-claim").value, value: mappingForm.querySelector("#m-value").value,
        production_id: Number(mappingForm.querySelector("#m-production").value), role: mappingForm.querySelector("#m-role").value });
      route();
    } catch (error) { showError(mappingForm, error); }
  });
  const ssoSection = sso.enabled ? [
    h("h2", {}, `Single sign-on (${sso.provider_name})`),
    h("p", { class: "hint" }, "A production with mappings takes its members' roles from the directory at each sign-in: the most senior role among the values a person holds, none when they hold none. Passwords kept here: ",
      { on: "everyone may still use one", admins: "admins only", off: "turned off" }[sso.local_passwords] + "."),
    mappings.length === 0 ? h("p", {}, "No mappings yet.") :
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Claim"), h("th", {}, "Value"), h("th", {}, "Production"), h("th", {}, "Role"), h("th", {}, h("span", { class: "visually-hidden" }, "Actions")))),
        h("tbody", {}, mappings.map((m) => h("tr", {}, h("td", {}, m.claim), h("td", {}, m.value), h("td", {}, productionName(m.production_id)), h("td", {}, m.role),
          h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": `Remove the mapping of ${m.value}`,
            onclick: async () => { await api("DELETE", `/sso/mappings/${m.id}`); route(); } }, "Remove")))))),
    mappingForm] : [];

  const userForm = h("form", { class: "card", "aria-label": "New user" },
    h("h3", {}, "New user"),
    h("label", { for: "u-email" }, "Email"), h("input", { id: "u-email", type: "email", "data-field": "email" }),
    h("label", { for: "u-name" }, "Name"), h("input", { id: "u-name", type: "text", "data-field": "name" }),
    h("label", { for: "u-password" }, "Initial password"), h("input", { id: "u-password", type: "password", "data-field": "password", autocomplete: "new-password" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create user")));
  userForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/users", { email: userForm.querySelector("#u-email").value, name: userForm.querySelector("#u-name").value, password: userForm.querySelector("#u-password").value });
      route();
    } catch (error) { showError(userForm, error); }
  });

  const roleForm = h("form", { class: "card", "aria-label": "Assign a role" },
    h("h3", {}, "Assign a role"),
    h("label", { for: "r-user" }, "User"), h("select", { id: "r-user" }, users.items.map((u) => h("option", { value: u.id }, u.email))),
    h("label", { for: "r-production" }, "Production"), h("select", { id: "r-production" }, productions.map((p) => h("option", { value: p.id }, p.code))),
    h("label", { for: "r-role" }, "Role"), h("select", { id: "r-role", "data-field": "role" }, ["partner", "contact", "legal"].map((r) => h("option", { value: r }, r))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Assign")));
  roleForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("PUT", `/productions/${roleForm.querySelector("#r-production").value}/members/${roleForm.querySelector("#r-user").value}`, { role: roleForm.querySelector("#r-role").value });
      toast("Role assigned.");
    } catch (error) { showError(roleForm, error); }
  });

  const tokenForm = h("form", { class: "card", "aria-label": "New API token" },
    h("h3", {}, "API tokens (yours)"),
    h("ul", {}, tokens.items.map((t) => h("li", {}, `${t.name} — ${t.revoked ? "revoked" : "active"}, created ${when(t.created_at)} `,
      t.revoked ? null : h("button", { type: "button", class: "secondary", onclick: async () => { await api("DELETE", `/tokens/${t.id}`); route(); } }, "Revoke")))),
    h("label", { for: "t-name" }, "Token name"), h("input", { id: "t-name", type: "text", "data-field": "name" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create token")),
    h("p", { id: "t-secret", "aria-live": "polite" }));
  tokenForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const t = await api("POST", "/tokens", { name: tokenForm.querySelector("#t-name").value });
      tokenForm.querySelector("#t-secret").replaceChildren("Copy it now, it is shown once: ", h("code", {}, t.secret));
    } catch (error) { showError(tokenForm, error); }
  });

  const triKeys = ["enterprise_agreement", "trains_on_data", "retains_data", "terms_reviewed"];
  const toolWords = { training_data: ["licensed", "mixed", "unknown"], indemnified: ["yes", "no", "unknown"] };
  const wordKeys = Object.keys(toolWords);
  const toolForm = h("form", { class: "card", "aria-label": "Tool registry entry" },
    h("h3", {}, "Add or update a tool"),
    h("label", { for: "tool-id" }, "Id"), h("input", { id: "tool-id", type: "text" }),
    h("label", { for: "tool-name" }, "Name"), h("input", { id: "tool-name", type: "text", "data-field": "name" }),
    h("label", { for: "tool-vendor" }, "Vendor"), h("input", { id: "tool-vendor", type: "text", "data-field": "vendor" }),
    h("label", { for: "tool-license_tier" }, "Licence tier"), h("input", { id: "tool-license_tier", type: "text", "data-field": "license_tier" }),
    h("label", { for: "tool-reviewed_on" }, "Reviewed on (the review vouches for the tool for the pack's review period)"),
    h("input", { id: "tool-reviewed_on", type: "date", "data-field": "reviewed_on" }),
    triKeys.map((k) => triControl(k, undefined, () => {}, `tool-${k}`)),
    wordKeys.map((k) => h("div", {}, h("label", { for: `tool-${k}` }, label(k)),
      h("select", { id: `tool-${k}`, "data-field": k }, h("option", { value: "" }, "— not recorded —"),
        toolWords[k].map((v) => h("option", { value: v }, v))))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save tool")));
  toolForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: toolForm.querySelector("#tool-name").value, vendor: toolForm.querySelector("#tool-vendor").value,
      license_tier: toolForm.querySelector("#tool-license_tier").value, reviewed_on: toolForm.querySelector("#tool-reviewed_on").value };
    for (const k of triKeys) {
      const c = toolForm.querySelector(`input[name="tool-${k}"]:checked`);
      if (c && c.value) body[k] = c.value;
    }
    for (const k of wordKeys) {
      const v = toolForm.querySelector(`#tool-${k}`).value;
      if (v) body[k] = v;
    }
    try {
      await api("PUT", `/tools/${encodeURIComponent(toolForm.querySelector("#tool-id").value)}`, body);
      route();
    } catch (error) { showError(toolForm, error); }
  });

  const packText = h("textarea", { id: "pack-text", "data-field": "text", rows: 10, spellcheck: "false" });
  const packResult = h("div", { "aria-live": "polite", id: "pack-result" });
  const packFile = h("input", { type: "file", id: "pack-file", accept: ".yaml,.yml", onchange: async () => { packText.value = await packFile.files[0].text(); } });
  const packForm = h("form", { class: "card", "aria-label": "Policy pack" },
    h("h3", {}, "Load a policy pack"),
    h("label", { for: "pack-file" }, "Pack file"), packFile,
    h("label", { for: "pack-text" }, "Or paste it"), packText,
    h("label", { for: "pack-tests" }, "The pack's test case files (clearcut policy test format)"),
    h("input", { type: "file", id: "pack-tests", multiple: true, accept: ".yaml,.yml", "data-field": "cases" }),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: async () => {
        try {
          const r = await api("POST", "/policy-packs/preview", { text: packText.value });
          packResult.replaceChildren(h("p", {}, `Activating would re-triage ${r.changes.length} open use case(s):`),
            h("ul", {}, r.changes.map((c) => h("li", {}, `#${c.use_case_id}: ${c.from} → ${c.to}`))));
        } catch (error) { showError(packForm, error); }
      } }, "Preview re-triage"),
      h("button", { type: "button", class: "secondary", onclick: async () => {
        try {
          const files = [...packForm.querySelector("#pack-tests").files];
          const cases = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
          const r = await api("POST", "/policy-packs/test", { text: packText.value, cases });
          packResult.replaceChildren(h("p", {}, `Pack tests: ${r.passed} passed, ${r.failed} failed`),
            h("ul", {}, r.failures.map((f) => h("li", {}, `${f.file}:${f.line} ${f.name}: ${f.message}`))));
        } catch (error) { showError(packForm, error); }
      } }, "Run the pack's tests"),
      h("button", { type: "submit" }, "Activate")),
    packResult);
  packForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const r = await api("POST", "/policy-packs", { text: packText.value });
      toast(`Pack activated; ${r.changes.length} use case(s) re-triaged.`);
      packResult.replaceChildren(h("p", {}, `Activated. Re-triaged ${r.changes.length} open use case(s):`),
        h("ul", {}, r.changes.map((c) => h("li", {}, `#${c.use_case_id}: ${c.from} → ${c.to}`))));
    } catch (error) { showError(packForm, error); }
  });

  const outbox = await outboxSection();
  show(h("h1", {}, "Admin"),
    h("h2", {}, "Users"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Email"), h("th", {}, "Name"), h("th", {}, "Admin"))),
      h("tbody", {}, users.items.map((u) => h("tr", {}, h("td", {}, u.email), h("td", {}, u.name), h("td", {}, u.admin ? "yes" : ""))))),
    h("div", { class: "grid" }, userForm, roleForm),
    h("h2", {}, "Productions and their members"),
    memberTables,
    productionForm,
    ssoSection,
    outbox,
    tokenForm,
    h("h2", {}, "Tool registry"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Id"), h("th", {}, "Name"), h("th", {}, "Reviewed on"),
      [...triKeys, ...wordKeys].map((k) => h("th", {}, k.replaceAll("_", " "))))),
      h("tbody", {}, tools.items.map((t) => h("tr", {}, h("td", {}, t.id), h("td", {}, t.name), h("td", {}, t.reviewed_on || "never"),
        [...triKeys, ...wordKeys].map((k) => h("td", {}, t[k] ?? "—")))))),
    toolForm,
    h("h2", {}, "Policy packs"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Version"), h("th", {}, "Digest"), h("th", {}, "Loaded"), h("th", {}, "Active"))),
      h("tbody", {}, packs.items.map((p) => h("tr", {}, h("td", {}, p.name), h("td", {}, p.version), h("td", {}, h("code", {}, p.digest.slice(0, 12))), h("td", {}, when(p.loaded_at)), h("td", {}, p.active ? "active" : ""))))),
    packForm);
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
