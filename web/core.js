// clearcut web UI, the shared core: state, DOM building with h() (never from HTML strings, so data
// from the API is always text), the API client, messages and errors.

import { route } from "./app.js";

export const state = { me: null, csrf: null, schema: null, productions: [], tools: [] };

// ---------- DOM and API helpers ----------

export function h(tag, attrs, ...children) {
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

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code;
    this.field = body.field;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch("/api/v1" + path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Attaches `file` to a use case, consent, approval or tool (`parentPath`: "/use-cases/3"): the
// body is the file's bytes; the server reads its type from them.
export async function attach(parentPath, file) {
  const headers = { Accept: "application/json", "Content-Type": "application/octet-stream" };
  if (state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(`/api/v1${parentPath}/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers,
    credentials: "same-origin",
    body: file,
  });
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, { ...data, field: "file" });
  return data;
}

export function bytesText(n) {
  return n < 1024 ? `${n} bytes` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

export function toast(message) {
  const box = document.getElementById("toast");
  const item = h("div", {}, message);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}

// Puts a view in <main>: the page is titled after the view's heading, and focus moves to that
// heading so that a screen reader announces where the user is.
export function show(...nodes) {
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

export function focusHeading(heading) {
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
}

export function badge(kind, value) {
  if (!value) return h("span", { class: "badge muted" }, "—");
  return h("span", { class: `badge ${kind}-${value}` }, value.replace("_", " "));
}

export function when(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, " UTC") : "";
}

// True when the server refused because the case changed since the page read it (someone else
// acted): the answer names the `revision` field.
export function isStale(error) {
  return error instanceof ApiError && error.status === 409 && error.field === "revision";
}

// A banner that stays until the user reloads the case, leaving what they typed in place (a
// toast would vanish, and redrawing at once would lose it).
export function staleBanner() {
  const main = document.getElementById("main");
  main.querySelector("#stale-banner")?.remove();
  const banner = h(
    "div",
    { class: "card banner", id: "stale-banner", role: "alert" },
    h(
      "p",
      {},
      "This case changed since you opened it: someone else acted on it. Nothing of yours was saved. " +
        "What you typed is still here; copy what you want to keep, then reload to see the case as it is now.",
    ),
    h("button", { type: "button", onclick: () => route() }, "Reload the case"),
  );
  main.prepend(banner);
  banner.querySelector("button").focus();
}

// Shows an API error beside the form control it names (data-field), or at the form's top.
export function showError(form, error) {
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
  const note = h(
    "p",
    { class: "error", role: "alert", id: "error-" + Math.random().toString(36).slice(2) },
    field ? `${field}: ${message}` : message,
  );
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

export function role(productionId, name) {
  return (state.me?.roles || []).some((r) => r.production_id === productionId && r.role === name);
}

// ---------- routing ----------

export async function loadProductions() {
  state.productions = (await api("GET", "/productions")).items;
  return state.productions;
}

// "3 h", "2 d": how long a task has waited.
export function ageText(seconds) {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

// A field's question and an action's sentence come from the active policy pack (GET /schema), so
// that a studio's own pack words its form; what a pack does not word shows as its name.
export function label(path) {
  const schema = state.schema;
  const spec =
    schema && (schema.fields.find((f) => f.path === path) || schema.stage_fields.find((f) => f.path === path));
  return spec?.question || path.replace(/^[a-z]+\./, "").replaceAll("_", " ");
}

export function actionText(name) {
  return state.schema?.actions?.[name] || name.replaceAll("_", " ");
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
