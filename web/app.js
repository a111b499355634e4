// clearcut web UI: a small single-page app over the REST API (/api/v1), ES modules by view with no
// build step and no external requests. This entry module routes hash URLs to views.

import { logout, viewForgot, viewLogin, viewReset, viewSettings } from "./account.js";
import { viewAdmin } from "./admin.js";
import { ApiError, api, h, show, state } from "./core.js";
import { viewCases, viewOverview } from "./dashboard.js";
import { viewDeclare, viewEdit } from "./declare.js";
import { viewDisclosure } from "./disclosure.js";
import { viewHome } from "./home.js";
import { viewProduction } from "./production.js";
import { viewScan } from "./scan.js";
import { viewUseCase } from "./usecase.js";

export const routes = [
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
  [/^#\/overview$/, viewOverview],
  [/^#\/p\/(\d+)\/cases\/([a-z]+)$/, viewCases],
  [/^#\/p\/(\d+)\/disclosure$/, viewDisclosure],
];

export let shownRoute = null;

export async function route() {
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

export function renderChrome() {
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
  nav.replaceChildren(
    ...[
      link("#/", "My tasks"),
      several ? link("#/overview", "Overview") : null,
      state.me.admin ? link("#/admin", "Admin") : null,
    ].filter(Boolean),
  );
  who.replaceChildren(
    h(
      "a",
      { href: "#/settings", "aria-current": here === "#/settings" ? "page" : null, title: "Your settings" },
      `${state.me.name || state.me.email}`,
    ),
    h("button", { type: "button", onclick: logout }, "Sign out"),
  );
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
