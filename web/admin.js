// The administration page: productions, members, tools, packs, accounts and the outbox.

import { route } from "./app.js";
import { ApiError, api, h, label, loadProductions, show, showError, state, toast, when } from "./core.js";
import { triControl } from "./declaration.js";

// The outbox for admins: notifications by state, dead letters sent again on request.
export async function outboxSection() {
  const list = h("div", {});
  const pick = h(
    "select",
    { id: "outbox-state" },
    [
      ["dead", "Failed for good (dead letters)"],
      ["pending", "Waiting to be sent"],
      ["sent", "Sent"],
    ].map(([value, text]) => h("option", { value }, text)),
  );
  const load = async () => {
    const items = (await api("GET", `/outbox?state=${pick.value}&limit=50`)).items;
    list.replaceChildren(
      items.length === 0
        ? h("p", { class: "muted", id: "outbox-empty" }, "None.")
        : h(
            "table",
            { id: "outbox" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", {}, "Event"),
                h("th", {}, "To"),
                h("th", {}, "Attempts"),
                h("th", {}, "Last error"),
                h("th", {}, h("span", { class: "visually-hidden" }, "Action")),
              ),
            ),
            h(
              "tbody",
              {},
              items.map((n) =>
                h(
                  "tr",
                  {},
                  h("td", {}, n.event),
                  h("td", {}, n.address),
                  h("td", {}, n.attempts),
                  h("td", {}, n.last_error || "—"),
                  h(
                    "td",
                    {},
                    n.state === "dead"
                      ? h(
                          "button",
                          {
                            type: "button",
                            class: "secondary",
                            onclick: async () => {
                              try {
                                await api("POST", `/outbox/${n.id}/retry`);
                                toast(`Notification ${n.id} will be sent again.`);
                                await load();
                              } catch (error) {
                                toast(error.message);
                              }
                            },
                          },
                          "Send again",
                        )
                      : null,
                  ),
                ),
              ),
            ),
          ),
    );
  };
  pick.addEventListener("change", load);
  await load();
  return h(
    "section",
    { "aria-labelledby": "outbox-title" },
    h("h2", { id: "outbox-title" }, "Notification outbox"),
    h(
      "p",
      { class: "hint" },
      "E-mails and webhook deliveries. One that failed every attempt (or could not be sent at all, such as e-mail while SMTP is not set up) waits here until it is sent again.",
    ),
    h("label", { for: "outbox-state" }, "Show"),
    pick,
    list,
  );
}

export async function viewAdmin() {
  if (!state.me.admin) throw new ApiError(403, { message: "Admins only." });
  const [users, tools, packs, tokens, productions, sso] = await Promise.all([
    api("GET", "/users"),
    api("GET", "/tools"),
    api("GET", "/policy-packs"),
    api("GET", "/tokens"),
    loadProductions(),
    api("GET", "/sso"),
  ]);
  const members = await Promise.all(productions.map((p) => api("GET", `/productions/${p.id}/members`)));
  const mappings = sso.enabled ? (await api("GET", "/sso/mappings")).items : [];
  const productionName = (id) =>
    productions.find((p) => p.id === id)?.title || productions.find((p) => p.id === id)?.code || `#${id}`;

  const productionForm = h(
    "form",
    { class: "card", "aria-label": "New production" },
    h("h3", {}, "New production"),
    h("label", { for: "p-code" }, "Code (what declarations name)"),
    h("input", { id: "p-code", type: "text", "data-field": "code" }),
    h("label", { for: "p-title" }, "Title"),
    h("input", { id: "p-title", type: "text", "data-field": "title" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create production")),
  );
  productionForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/productions", {
        code: productionForm.querySelector("#p-code").value,
        title: productionForm.querySelector("#p-title").value,
      });
      toast("Production created.");
      route();
    } catch (error) {
      showError(productionForm, error);
    }
  });
  // The answer time My tasks counts due dates with.
  const answerForm = (p) => {
    const id = `answer-${p.id}`;
    const form = h(
      "form",
      { class: "inline-form", "aria-label": `Answer time of ${p.code}` },
      h("label", { for: id, class: "inline-label" }, "The studio answers within "),
      h("input", {
        id,
        type: "number",
        min: 1,
        max: 30,
        value: p.answer_within_days ?? 2,
        class: "narrow-number",
        "data-field": "answer_within_days",
      }),
      " working days ",
      h("button", { type: "submit", class: "secondary" }, "Save"),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("PATCH", `/productions/${p.id}`, { answer_within_days: Number(form.querySelector("input").value) });
        toast(`${p.code}: answer time saved.`);
        route();
      } catch (error) {
        showError(form, error);
      }
    });
    return form;
  };
  const memberTables = productions.map((p, i) =>
    h(
      "section",
      { "aria-label": `Members of ${p.title || p.code}` },
      h("h3", {}, `${p.title || p.code} (${p.code})`),
      answerForm(p),
      members[i].items.length === 0
        ? h("p", { class: "hint" }, "No members yet.")
        : h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", {}, "Name"),
                h("th", {}, "Email"),
                h("th", {}, "Role"),
                h("th", {}, h("span", { class: "visually-hidden" }, "Actions")),
              ),
            ),
            h(
              "tbody",
              {},
              members[i].items.map((m) =>
                h(
                  "tr",
                  {},
                  h("td", {}, m.name),
                  h("td", {}, m.email),
                  h("td", {}, m.role),
                  h(
                    "td",
                    {},
                    h(
                      "button",
                      {
                        type: "button",
                        class: "secondary",
                        "aria-label": `Remove ${m.name} from ${p.code}`,
                        onclick: async () => {
                          try {
                            await api("DELETE", `/productions/${p.id}/members/${m.user_id}`);
                            toast(`${m.name} no longer has a role on ${p.code}.`);
                            route();
                          } catch (error) {
                            toast(error.message);
                          }
                        },
                      },
                      "Remove",
                    ),
                  ),
                ),
              ),
            ),
          ),
    ),
  );

  const mappingForm = h(
    "form",
    { class: "card", "aria-label": "New single sign-on role mapping" },
    h("h3", {}, "Give a directory group a role"),
    h("label", { for: "m-claim" }, "Claim"),
    h("input", { id: "m-claim", type: "text", value: "groups", "data-field": "claim" }),
    h("label", { for: "m-value" }, "Value (e.g. the group's name)"),
    h("input", { id: "m-value", type: "text", "data-field": "value" }),
    h("label", { for: "m-production" }, "Production"),
    h(
      "select",
      { id: "m-production", "data-field": "production_id" },
      productions.map((p) => h("option", { value: p.id }, p.code)),
    ),
    h("label", { for: "m-role" }, "Role"),
    h(
      "select",
      { id: "m-role", "data-field": "role" },
      ["partner", "contact", "legal"].map((r) => h("option", { value: r }, r)),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Add mapping")),
  );
  mappingForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/sso/mappings", {
        claim: mappingForm.querySelector("#m-claim").value,
        value: mappingForm.querySelector("#m-value").value,
        production_id: Number(mappingForm.querySelector("#m-production").value),
        role: mappingForm.querySelector("#m-role").value,
      });
      route();
    } catch (error) {
      showError(mappingForm, error);
    }
  });
  const ssoSection = sso.enabled
    ? [
        h("h2", {}, `Single sign-on (${sso.provider_name})`),
        h(
          "p",
          { class: "hint" },
          "A production with mappings takes its members' roles from the directory at each sign-in: the most senior role among the values a person holds, none when they hold none. Passwords kept here: ",
          { on: "everyone may still use one", admins: "admins only", off: "turned off" }[sso.local_passwords] + ".",
        ),
        mappings.length === 0
          ? h("p", {}, "No mappings yet.")
          : h(
              "table",
              {},
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  h("th", {}, "Claim"),
                  h("th", {}, "Value"),
                  h("th", {}, "Production"),
                  h("th", {}, "Role"),
                  h("th", {}, h("span", { class: "visually-hidden" }, "Actions")),
                ),
              ),
              h(
                "tbody",
                {},
                mappings.map((m) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, m.claim),
                    h("td", {}, m.value),
                    h("td", {}, productionName(m.production_id)),
                    h("td", {}, m.role),
                    h(
                      "td",
                      {},
                      h(
                        "button",
                        {
                          type: "button",
                          class: "secondary",
                          "aria-label": `Remove the mapping of ${m.value}`,
                          onclick: async () => {
                            await api("DELETE", `/sso/mappings/${m.id}`);
                            route();
                          },
                        },
                        "Remove",
                      ),
                    ),
                  ),
                ),
              ),
            ),
        mappingForm,
      ]
    : [];

  const userForm = h(
    "form",
    { class: "card", "aria-label": "New user" },
    h("h3", {}, "New user"),
    h("label", { for: "u-email" }, "Email"),
    h("input", { id: "u-email", type: "email", "data-field": "email" }),
    h("label", { for: "u-name" }, "Name"),
    h("input", { id: "u-name", type: "text", "data-field": "name" }),
    h("label", { for: "u-password" }, "Initial password"),
    h("input", { id: "u-password", type: "password", "data-field": "password", autocomplete: "new-password" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create user")),
  );
  userForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", "/users", {
        email: userForm.querySelector("#u-email").value,
        name: userForm.querySelector("#u-name").value,
        password: userForm.querySelector("#u-password").value,
      });
      route();
    } catch (error) {
      showError(userForm, error);
    }
  });

  const roleForm = h(
    "form",
    { class: "card", "aria-label": "Assign a role" },
    h("h3", {}, "Assign a role"),
    h("label", { for: "r-user" }, "User"),
    h(
      "select",
      { id: "r-user" },
      users.items.map((u) => h("option", { value: u.id }, u.email)),
    ),
    h("label", { for: "r-production" }, "Production"),
    h(
      "select",
      { id: "r-production" },
      productions.map((p) => h("option", { value: p.id }, p.code)),
    ),
    h("label", { for: "r-role" }, "Role"),
    h(
      "select",
      { id: "r-role", "data-field": "role" },
      ["partner", "contact", "legal"].map((r) => h("option", { value: r }, r)),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Assign")),
  );
  roleForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api(
        "PUT",
        `/productions/${roleForm.querySelector("#r-production").value}/members/${roleForm.querySelector("#r-user").value}`,
        { role: roleForm.querySelector("#r-role").value },
      );
      toast("Role assigned.");
    } catch (error) {
      showError(roleForm, error);
    }
  });

  const tokenForm = h(
    "form",
    { class: "card", "aria-label": "New API token" },
    h("h3", {}, "API tokens (yours)"),
    h(
      "ul",
      {},
      tokens.items.map((t) =>
        h(
          "li",
          {},
          `${t.name} — ${t.revoked ? "revoked" : "active"}, created ${when(t.created_at)} `,
          t.revoked
            ? null
            : h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  onclick: async () => {
                    await api("DELETE", `/tokens/${t.id}`);
                    route();
                  },
                },
                "Revoke",
              ),
        ),
      ),
    ),
    h("label", { for: "t-name" }, "Token name"),
    h("input", { id: "t-name", type: "text", "data-field": "name" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Create token")),
    h("p", { id: "t-secret", "aria-live": "polite" }),
  );
  tokenForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const t = await api("POST", "/tokens", { name: tokenForm.querySelector("#t-name").value });
      tokenForm.querySelector("#t-secret").replaceChildren("Copy it now, it is shown once: ", h("code", {}, t.secret));
    } catch (error) {
      showError(tokenForm, error);
    }
  });

  const triKeys = ["enterprise_agreement", "trains_on_data", "retains_data", "terms_reviewed"];
  const toolWords = { training_data: ["licensed", "mixed", "unknown"], indemnified: ["yes", "no", "unknown"] };
  const wordKeys = Object.keys(toolWords);
  const toolForm = h(
    "form",
    { class: "card", "aria-label": "Tool registry entry" },
    h("h3", {}, "Add or update a tool"),
    h("label", { for: "tool-id" }, "Id"),
    h("input", { id: "tool-id", type: "text" }),
    h("label", { for: "tool-name" }, "Name"),
    h("input", { id: "tool-name", type: "text", "data-field": "name" }),
    h("label", { for: "tool-vendor" }, "Vendor"),
    h("input", { id: "tool-vendor", type: "text", "data-field": "vendor" }),
    h("label", { for: "tool-license_tier" }, "Licence tier"),
    h("input", { id: "tool-license_tier", type: "text", "data-field": "license_tier" }),
    h(
      "label",
      { for: "tool-reviewed_on" },
      "Reviewed on (the review vouches for the tool for the pack's review period)",
    ),
    h("input", { id: "tool-reviewed_on", type: "date", "data-field": "reviewed_on" }),
    triKeys.map((k) => triControl(k, undefined, () => {}, `tool-${k}`)),
    wordKeys.map((k) =>
      h(
        "div",
        {},
        h("label", { for: `tool-${k}` }, label(k)),
        h(
          "select",
          { id: `tool-${k}`, "data-field": k },
          h("option", { value: "" }, "— not recorded —"),
          toolWords[k].map((v) => h("option", { value: v }, v)),
        ),
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Save tool")),
  );
  toolForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: toolForm.querySelector("#tool-name").value,
      vendor: toolForm.querySelector("#tool-vendor").value,
      license_tier: toolForm.querySelector("#tool-license_tier").value,
      reviewed_on: toolForm.querySelector("#tool-reviewed_on").value,
    };
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
    } catch (error) {
      showError(toolForm, error);
    }
  });

  const packText = h("textarea", { id: "pack-text", "data-field": "text", rows: 10, spellcheck: "false" });
  const packResult = h("div", { "aria-live": "polite", id: "pack-result" });
  const packFile = h("input", {
    type: "file",
    id: "pack-file",
    accept: ".yaml,.yml",
    onchange: async () => {
      packText.value = await packFile.files[0].text();
    },
  });
  const packForm = h(
    "form",
    { class: "card", "aria-label": "Policy pack" },
    h("h3", {}, "Load a policy pack"),
    h("label", { for: "pack-file" }, "Pack file"),
    packFile,
    h("label", { for: "pack-text" }, "Or paste it"),
    packText,
    h("label", { for: "pack-tests" }, "The pack's test case files (clearcut policy test format)"),
    h("input", { type: "file", id: "pack-tests", multiple: true, accept: ".yaml,.yml", "data-field": "cases" }),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => {
            try {
              const r = await api("POST", "/policy-packs/preview", { text: packText.value });
              packResult.replaceChildren(
                h("p", {}, `Activating would re-triage ${r.changes.length} open use case(s):`),
                h(
                  "ul",
                  {},
                  r.changes.map((c) => h("li", {}, `#${c.use_case_id}: ${c.from} → ${c.to}`)),
                ),
              );
            } catch (error) {
              showError(packForm, error);
            }
          },
        },
        "Preview re-triage",
      ),
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => {
            try {
              const files = [...packForm.querySelector("#pack-tests").files];
              const cases = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
              const r = await api("POST", "/policy-packs/test", { text: packText.value, cases });
              packResult.replaceChildren(
                h("p", {}, `Pack tests: ${r.passed} passed, ${r.failed} failed`),
                h(
                  "ul",
                  {},
                  r.failures.map((f) => h("li", {}, `${f.file}:${f.line} ${f.name}: ${f.message}`)),
                ),
              );
            } catch (error) {
              showError(packForm, error);
            }
          },
        },
        "Run the pack's tests",
      ),
      h("button", { type: "submit" }, "Activate"),
    ),
    packResult,
  );
  packForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const r = await api("POST", "/policy-packs", { text: packText.value });
      toast(`Pack activated; ${r.changes.length} use case(s) re-triaged.`);
      packResult.replaceChildren(
        h("p", {}, `Activated. Re-triaged ${r.changes.length} open use case(s):`),
        h(
          "ul",
          {},
          r.changes.map((c) => h("li", {}, `#${c.use_case_id}: ${c.from} → ${c.to}`)),
        ),
      );
    } catch (error) {
      showError(packForm, error);
    }
  });

  const outbox = await outboxSection();
  show(
    h("h1", {}, "Admin"),
    h("h2", {}, "Users"),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", {}, "Email"), h("th", {}, "Name"), h("th", {}, "Admin"))),
      h(
        "tbody",
        {},
        users.items.map((u) =>
          h("tr", {}, h("td", {}, u.email), h("td", {}, u.name), h("td", {}, u.admin ? "yes" : "")),
        ),
      ),
    ),
    h("div", { class: "grid" }, userForm, roleForm),
    h("h2", {}, "Productions and their members"),
    memberTables,
    productionForm,
    ssoSection,
    outbox,
    tokenForm,
    h("h2", {}, "Tool registry"),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Id"),
          h("th", {}, "Name"),
          h("th", {}, "Reviewed on"),
          [...triKeys, ...wordKeys].map((k) => h("th", {}, k.replaceAll("_", " "))),
        ),
      ),
      h(
        "tbody",
        {},
        tools.items.map((t) =>
          h(
            "tr",
            {},
            h("td", {}, t.id),
            h("td", {}, t.name),
            h("td", {}, t.reviewed_on || "never"),
            [...triKeys, ...wordKeys].map((k) => h("td", {}, t[k] ?? "—")),
          ),
        ),
      ),
    ),
    toolForm,
    h("h2", {}, "Policy packs"),
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Name"),
          h("th", {}, "Version"),
          h("th", {}, "Digest"),
          h("th", {}, "Loaded"),
          h("th", {}, "Active"),
        ),
      ),
      h(
        "tbody",
        {},
        packs.items.map((p) =>
          h(
            "tr",
            {},
            h("td", {}, p.name),
            h("td", {}, p.version),
            h("td", {}, h("code", {}, p.digest.slice(0, 12))),
            h("td", {}, when(p.loaded_at)),
            h("td", {}, p.active ? "active" : ""),
          ),
        ),
      ),
    ),
    packForm,
  );
}
