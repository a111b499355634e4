// Signing in and out, password reset, and each person's settings (notifications, away).

import { renderChrome, route } from "./app.js";
import { api, focusHeading, h, show, showError, state, toast, when } from "./core.js";

export async function logout() {
  try {
    await api("DELETE", "/session");
  } catch {
    /* already gone */
  }
  state.me = null;
  state.csrf = null;
  location.hash = "#/login";
}

// ---------- views ----------

// Asks for a reset link by e-mail. The answer is the same whether or not the address has an
// account, so the page says what happens in either case.
export async function viewForgot() {
  renderChrome();
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "forgot-title" },
    h("h1", { id: "forgot-title" }, "Reset your password"),
    h(
      "p",
      { class: "hint" },
      "Enter the e-mail address you sign in with. If it has an account here, we send it a link to choose a new password.",
    ),
    h("label", { for: "forgot-email" }, "Email"),
    h("input", { id: "forgot-email", type: "email", autocomplete: "username", required: true, "data-field": "email" }),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit" }, "Send the link"),
      h("a", { href: "#/login" }, "Back to sign in"),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await api("POST", "/password-reset", { email: form.querySelector("#forgot-email").value });
      form.replaceChildren(
        h("h1", { id: "forgot-title" }, "Check your e-mail"),
        h("p", { id: "forgot-sent", role: "status" }, result.message),
        h("p", {}, h("a", { href: "#/login" }, "Back to sign in")),
      );
      focusHeading(form.querySelector("h1"));
    } catch (error) {
      showError(form, error);
    }
  });
  show(h("div", { class: "narrow" }, form));
}

// The page a reset link opens: a new password, typed twice.
export async function viewReset(token) {
  renderChrome();
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "reset-title" },
    h("h1", { id: "reset-title" }, "Choose a new password"),
    h(
      "p",
      { class: "hint" },
      "At least 12 characters. Signing in elsewhere ends: every session of your account is closed.",
    ),
    h("label", { for: "reset-password" }, "New password"),
    h("input", {
      id: "reset-password",
      type: "password",
      autocomplete: "new-password",
      required: true,
      minlength: "12",
      "data-field": "password",
    }),
    h("label", { for: "reset-again" }, "The same password again"),
    h("input", { id: "reset-again", type: "password", autocomplete: "new-password", required: true, minlength: "12" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Change the password")),
  );
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
      form.replaceChildren(
        h("h1", { id: "reset-title" }, "Password changed"),
        h("p", { id: "reset-done", role: "status" }, result.message),
        h("p", {}, h("a", { class: "button", href: "#/login" }, "Sign in")),
      );
      focusHeading(form.querySelector("h1"));
    } catch (error) {
      showError(form, error);
    }
  });
  show(h("div", { class: "narrow" }, form));
}

// The signed-in person's own settings: how they hear of each kind of event.
export async function viewSettings() {
  const prefs = await api("GET", "/me/notifications");
  const choices = [
    ["immediate", "Each at once"],
    ["digest", "In a daily digest"],
    ["off", "Not by e-mail"],
  ];
  const rows = prefs.topics.map((t) => {
    const id = `pref-${t.topic}`;
    const select = h(
      "select",
      { id, "data-topic": t.topic },
      choices.map(([value, text]) => h("option", { value, selected: value === t.delivery ? "" : null }, text)),
    );
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
    h(
      "section",
      { "aria-labelledby": "prefs-title" },
      h("h2", { id: "prefs-title" }, "E-mail notifications"),
      h(
        "p",
        { class: "hint" },
        "Choose how you hear of each kind of event. A daily digest gathers the day's e-mails into one, sent each morning. Webhooks of your productions are not affected.",
      ),
      h(
        "table",
        { id: "preferences" },
        h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "E-mail"))),
        h("tbody", {}, rows),
      ),
    ),
    await awaySection(),
  );
}

export async function viewLogin(query) {
  renderChrome();
  // What the server offers: single sign-on with the studio's identity provider, passwords kept
  // here, or both. A sign-in that failed at the provider comes back with ?sso_error=.
  let sso = { enabled: false, local_passwords: "on" };
  try {
    sso = await api("GET", "/sso");
  } catch {
    /* an older server: passwords only */
  }
  const failure = new URLSearchParams(query || "").get("sso_error");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Sign in"),
    failure ? h("p", { class: "error", role: "alert", id: "sso-error" }, `Single sign-on failed: ${failure}.`) : null,
    sso.enabled
      ? h(
          "p",
          { class: "actions" },
          h(
            "a",
            { class: "button", id: "sso-sign-in", href: `/api/v1/sso/login?return_to=${encodeURIComponent("/#/")}` },
            `Sign in with ${sso.provider_name}`,
          ),
        )
      : null,
    sso.enabled && sso.local_passwords !== "off"
      ? h(
          "p",
          { class: "hint" },
          sso.local_passwords === "admins"
            ? "Or, for administrators only, with a password:"
            : "Or, without an account at the studio's sign-in, with your e-mail and password:",
        )
      : null,
  );
  if (sso.local_passwords !== "off") {
    form.append(
      h("label", { for: "email" }, "Email"),
      h("input", {
        id: "email",
        name: "email",
        type: "email",
        autocomplete: "username",
        required: true,
        "data-field": "email",
      }),
      h("label", { for: "password" }, "Password"),
      h("input", {
        id: "password",
        name: "password",
        type: "password",
        autocomplete: "current-password",
        required: true,
        "data-field": "password",
      }),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit" }, "Sign in"),
        h("a", { href: "#/forgot", id: "forgot-link" }, "Forgot your password?"),
      ),
    );
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

// Away, on the settings page: who gets the reader's tasks and notifications until when. The
// delegate acts with their own roles; nothing is borrowed.
export async function awaySection() {
  const { delegation } = await api("GET", "/me/delegation");
  const form = h(
    "form",
    { "aria-labelledby": "away-form-title" },
    h("h3", { id: "away-form-title" }, delegation ? "Change your delegate" : "Name a delegate"),
    h("label", { for: "d-email" }, "Delegate's e-mail (someone in your organization)"),
    h("input", { id: "d-email", type: "email", autocomplete: "off", "data-field": "delegate_email" }),
    h("label", { for: "d-until" }, "Until (the end of this day, UTC)"),
    h("input", { id: "d-until", type: "date", "data-field": "until" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save delegate")),
  );
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
  return h(
    "section",
    { class: "card", "aria-labelledby": "away-title", id: "away" },
    h("h2", { id: "away-title" }, "Away"),
    h(
      "p",
      { class: "hint" },
      "While you are away, your delegate sees your tasks in their My tasks (marked as yours) and receives the notifications addressed to you. " +
        "They act with their own roles on the productions they are a member of: nothing of yours is borrowed.",
    ),
    delegation
      ? h(
          "div",
          { id: "delegation" },
          h(
            "p",
            {},
            `Your delegate: ${delegation.delegate.name} until ${when(delegation.until)}`,
            delegation.active ? "" : " (ended)",
          ),
          h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                onclick: async () => {
                  await api("DELETE", "/me/delegation");
                  toast("Delegation ended.");
                  route();
                },
              },
              "End the delegation",
            ),
          ),
        )
      : h("p", { id: "delegation" }, "You have no delegate."),
    form,
  );
}
