// A production's page: its use cases, registered outputs, scans, consents and webhooks.

import { route } from "./app.js";
import { ApiError, api, attach, badge, h, loadProductions, role, show, showError, state, toast, when } from "./core.js";
import { dashboardSection } from "./dashboard.js";
import { outcomeBadge } from "./declaration.js";
import { scanVerdict, verdictCounts } from "./scan.js";

export const OUTCOME_RANK = { written_approval: 0, escalate: 1, notify: 2 };

export async function viewProduction(id) {
  id = Number(id);
  const production = (await loadProductions()).find((p) => p.id === id);
  if (!production) throw new ApiError(404, { message: "No such production" });
  const page = await api("GET", `/productions/${id}/use-cases?limit=200`);
  const items = page.items;
  const reviewer = role(id, "contact") || role(id, "legal");
  // The review queue: open cases, highest outcome first, then oldest first.
  const queue = items
    .filter((u) => u.state === "notified" || u.state === "escalated")
    .sort((a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || a.updated_at.localeCompare(b.updated_at));
  const table = (list) =>
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "num" }, "#"),
          h("th", {}, "Use"),
          h("th", {}, "State"),
          h("th", {}, "Outcome"),
          h("th", {}, "Updated"),
        ),
      ),
      h(
        "tbody",
        {},
        list.map((u) =>
          h(
            "tr",
            {},
            h("td", { class: "num" }, u.id),
            h("td", {}, h("a", { href: `#/u/${u.id}` }, u.summary || "(no summary)")),
            h("td", {}, badge("s", u.state)),
            h("td", {}, outcomeBadge(u.outcome)),
            h("td", {}, when(u.updated_at)),
          ),
        ),
      ),
    );
  const sections = [
    h("h1", {}, production.title || production.code),
    await dashboardSection(id),
    role(id, "partner")
      ? h("div", { class: "actions" }, h("a", { class: "button", href: `#/p/${id}/declare` }, "Declare a use"))
      : null,
  ];
  if (reviewer)
    sections.push(h("h2", {}, "Review queue"), queue.length ? table(queue) : h("p", {}, "Nothing waiting."));
  sections.push(h("h2", {}, "All use cases"), items.length ? table(items) : h("p", {}, "No use cases yet."));
  sections.push(await assetSection(id));
  sections.push(await scanSection(id));
  if (role(id, "legal") || role(id, "contact")) sections.push(await consentSection(id));
  if (role(id, "contact") || state.me.admin) sections.push(await webhookSection(id));
  show(...sections);
}

// Registered AI outputs by status, and the disclosure report: what is cleared for final use.
export async function assetSection(productionId) {
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
  const table = h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { class: "num" }, "#"),
        h("th", {}, "File"),
        h("th", {}, "Use case"),
        h("th", {}, "SHA-256"),
        h("th", {}, "Status"),
        legal ? h("th", {}, "Legal") : null,
      ),
    ),
    h(
      "tbody",
      {},
      assets.map((a) =>
        h(
          "tr",
          {},
          h("td", { class: "num" }, a.id),
          h("td", {}, a.file_name || a.media_type || "—"),
          h("td", {}, h("a", { href: `#/u/${a.use_case_id}` }, `#${a.use_case_id}`)),
          h("td", {}, h("code", {}, a.sha256.slice(0, 16) + "…")),
          h(
            "td",
            {},
            h(
              "span",
              {
                class: `badge s-${a.status === "cleared" ? "approved" : a.status === "rejected" ? "rejected" : "draft"}`,
              },
              a.status,
            ),
          ),
          legal
            ? h(
                "td",
                {},
                a.status === "provisional"
                  ? [
                      h(
                        "button",
                        { type: "button", class: "secondary", onclick: () => setStatus(a, "cleared") },
                        "Clear",
                      ),
                      " ",
                      h(
                        "button",
                        { type: "button", class: "secondary", onclick: () => setStatus(a, "rejected") },
                        "Reject",
                      ),
                    ]
                  : "",
              )
            : null,
        ),
      ),
    ),
  );
  const cleared = assets.filter((a) => a.status === "cleared");
  const disclosure = h(
    "section",
    { class: "card", "aria-labelledby": "disclosure-title" },
    h("h3", { id: "disclosure-title" }, "Disclosure report"),
    h(
      "p",
      { class: "hint" },
      "AI-generated material cleared for the final deliverables. The report adds the approvals and where the latest scan found each output, to print or download as CSV or PDF.",
    ),
    cleared.length
      ? h(
          "ul",
          {},
          cleared.map((a) =>
            h("li", {}, `${a.file_name || "output #" + a.id} — use case #${a.use_case_id}, SHA-256 ${a.sha256}`),
          ),
        )
      : h("p", {}, "Nothing cleared for final use yet."),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button secondary", href: `#/p/${productionId}/disclosure` }, "Open the disclosure report"),
    ),
  );
  return h(
    "section",
    {},
    h("h2", {}, "Registered AI outputs"),
    h(
      "div",
      { class: "counts", role: "list", "aria-label": "Outputs by status" },
      statuses.map((st) => h("div", { class: "card", role: "listitem" }, h("strong", {}, counts[st]), st)),
    ),
    assets.length ? table : h("p", {}, "No outputs registered yet (clearcut stamp registers them)."),
    disclosure,
  );
}

// ---------- the title's disclosure report and dossier ----------

// Scans of final deliverables: submit one (paths under the server's scan root), and every scan
// with its verdict.
export async function scanSection(productionId) {
  const scans = (await api("GET", `/productions/${productionId}/scans?limit=50`)).items;
  const paths = h("textarea", {
    id: "scan-paths",
    name: "paths",
    "data-field": "paths[]",
    rows: 3,
    placeholder: "ep101/final_cut.mov\nep101/key_art/",
    "aria-describedby": "scan-paths-hint",
  });
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "scan-form-title",
      onsubmit: async (event) => {
        event.preventDefault();
        const list = paths.value
          .split("\n")
          .map((p) => p.trim())
          .filter((p) => p);
        try {
          const job = await api("POST", `/productions/${productionId}/scans`, { paths: list });
          toast(`Scan #${job.id} queued. Recorded in the audit log.`);
          location.hash = `#/scan/${job.id}`;
        } catch (error) {
          showError(form, error);
        }
      },
    },
    h("h3", { id: "scan-form-title" }, "Scan a delivery"),
    h(
      "div",
      { "data-field": "paths" },
      h("label", { for: "scan-paths" }, "Files or folders to scan"),
      h(
        "p",
        { class: "hint", id: "scan-paths-hint" },
        "One per line, relative to the server's delivery folder. Video, stills and numbered image sequences; every frame is checked against the registered outputs.",
      ),
      paths,
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Scan")),
  );
  const table = h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { class: "num" }, "#"),
        h("th", {}, "Delivery"),
        h("th", {}, "Submitted"),
        h("th", {}, "Verdict"),
        h("th", {}, "Findings"),
      ),
    ),
    h(
      "tbody",
      {},
      scans.map((j) =>
        h(
          "tr",
          {},
          h("td", { class: "num" }, j.id),
          h("td", {}, h("a", { href: `#/scan/${j.id}` }, j.paths.join(", "))),
          h("td", {}, when(j.submitted_at)),
          h("td", {}, scanVerdict(j)),
          h("td", {}, j.state === "error" ? j.error : verdictCounts(j)),
        ),
      ),
    ),
  );
  return h(
    "section",
    { "aria-labelledby": "scans-title" },
    h("h2", { id: "scans-title" }, "Delivery scans"),
    form,
    scans.length ? table : h("p", {}, "No scans yet."),
  );
}

// What a consent covers now, in words: a revoked or expired one covers nothing.
export function consentStatus(c) {
  if (c.revoked_at) return `revoked ${when(c.revoked_at)}`;
  if (c.expires_at && Date.parse(c.expires_at) <= Date.now()) {
    return c.lapsed_at
      ? `expired ${when(c.expires_at)}; approvals it covered suspended`
      : `expired ${when(c.expires_at)}`;
  }
  return c.expires_at ? `in force until ${when(c.expires_at)}` : "in force";
}

// A production's webhooks, for its contacts and the admins: register one (its secret shown once),
// send a signed test, read the delivery log, disable.
export async function webhookSection(productionId) {
  const hooks = (await api("GET", `/productions/${productionId}/webhooks`)).items;
  const log = h("div", { id: "webhook-log" });
  const showLog = async (hook) => {
    const deliveries = (await api("GET", `/webhooks/${hook.id}/deliveries?limit=20`)).items;
    log.replaceChildren(
      h("h3", {}, `Deliveries to ${hook.url}`),
      deliveries.length === 0
        ? h("p", { class: "muted" }, "None yet.")
        : h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", {}, "Event"),
                h("th", {}, "State"),
                h("th", {}, "Attempts"),
                h("th", {}, "Last error"),
                h("th", {}, "Queued"),
              ),
            ),
            h(
              "tbody",
              {},
              deliveries.map((d) =>
                h(
                  "tr",
                  {},
                  h("td", {}, d.event),
                  h("td", {}, d.state === "dead" ? "failed for good" : d.state),
                  h("td", {}, d.attempts),
                  h("td", {}, d.last_error || "—"),
                  h("td", {}, when(d.created_at)),
                ),
              ),
            ),
          ),
    );
  };
  const rows = hooks.map((hook) =>
    h(
      "tr",
      {},
      h("td", {}, hook.url),
      h("td", {}, hook.format === "slack" ? "Slack" : "JSON"),
      h("td", {}, hook.disabled ? "disabled" : "active"),
      h(
        "td",
        {},
        h(
          "div",
          { class: "actions" },
          hook.disabled
            ? null
            : h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  onclick: async () => {
                    try {
                      await api("POST", `/webhooks/${hook.id}/test`);
                      toast("A signed test delivery is queued; its result shows in the deliveries.");
                      await showLog(hook);
                    } catch (error) {
                      toast(error.message);
                    }
                  },
                },
                "Send a test",
              ),
          h("button", { type: "button", class: "secondary", onclick: () => showLog(hook) }, "Deliveries"),
          hook.disabled
            ? null
            : h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  onclick: async () => {
                    try {
                      await api("DELETE", `/webhooks/${hook.id}`);
                      route();
                    } catch (error) {
                      toast(error.message);
                    }
                  },
                },
                "Disable",
              ),
        ),
      ),
    ),
  );
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "hook-new-title" },
    h("h3", { id: "hook-new-title" }, "New webhook"),
    h("label", { for: "hook-url" }, "Address (https://…)"),
    h("input", { id: "hook-url", type: "url", required: true, "data-field": "url" }),
    h("label", { for: "hook-format" }, "Payload"),
    h(
      "select",
      { id: "hook-format", "data-field": "format" },
      h("option", { value: "json" }, "clearcut JSON (signed)"),
      h("option", { value: "slack" }, "Slack-compatible text"),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Add the webhook")),
  );
  const secret = h("div", { id: "webhook-secret" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const hook = await api("POST", `/productions/${productionId}/webhooks`, {
        url: form.querySelector("#hook-url").value,
        format: form.querySelector("#hook-format").value,
      });
      await route();
      const box = document.getElementById("webhook-secret");
      box?.replaceChildren(
        h(
          "p",
          { role: "status" },
          "Its signing secret, shown this once: ",
          h("code", {}, hook.secret),
          ". Receivers check each delivery's X-Clearcut-Signature with it (docs/operations.md).",
        ),
      );
    } catch (error) {
      showError(form, error);
    }
  });
  return h(
    "section",
    { "aria-labelledby": "hooks-title" },
    h("h2", { id: "hooks-title" }, "Webhooks"),
    h(
      "p",
      { class: "hint" },
      "Every notification of this production is also sent to these addresses, signed with HMAC-SHA256.",
    ),
    hooks.length === 0
      ? h("p", { class: "muted" }, "No webhooks.")
      : h(
          "table",
          { id: "webhooks" },
          h(
            "thead",
            {},
            h("tr", {}, h("th", {}, "Address"), h("th", {}, "Payload"), h("th", {}, "State"), h("th", {}, "Actions")),
          ),
          h("tbody", {}, rows),
        ),
    secret,
    log,
    form,
  );
}

export async function consentSection(productionId) {
  const consents = (await api("GET", `/productions/${productionId}/consents`)).items;
  const list = h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Performer"),
        h("th", {}, "Kind"),
        h("th", {}, "Scope"),
        h("th", {}, "Document SHA-256"),
        h("th", {}, "Status"),
      ),
    ),
    h(
      "tbody",
      {},
      consents.map((c) =>
        h(
          "tr",
          {},
          h("td", {}, c.performer),
          h("td", {}, c.kind),
          h("td", {}, c.scope),
          h("td", {}, h("code", {}, c.document_sha256.slice(0, 16) + "…")),
          h("td", {}, consentStatus(c)),
        ),
      ),
    ),
  );
  const section = [h("h2", {}, "Consents"), consents.length ? list : h("p", {}, "No consents recorded.")];
  if (role(productionId, "legal")) {
    const form = h(
      "form",
      { class: "card", "aria-label": "Record a consent" },
      h("label", { for: "c-performer" }, "Performer"),
      h("input", { id: "c-performer", type: "text", "data-field": "performer", required: true }),
      h("label", { for: "c-kind" }, "Kind"),
      h(
        "select",
        { id: "c-kind", "data-field": "kind" },
        ["replica_creation", "replica_use", "alteration"].map((k) => h("option", { value: k }, k.replace("_", " "))),
      ),
      h("label", { for: "c-scope" }, "Specific uses consented to"),
      h("textarea", { id: "c-scope", "data-field": "scope", required: true }),
      h("label", { for: "c-doc" }, "Signed consent document"),
      h(
        "p",
        { class: "hint" },
        "The document is attached to the consent and its SHA-256 recorded (PDF, image, text or office document).",
      ),
      h("input", { id: "c-doc", type: "file", "data-field": "document_sha256", required: true }),
      h("label", { for: "c-expires" }, "Expires (optional)"),
      h("input", { id: "c-expires", type: "date", "data-field": "expires_at" }),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Record consent")),
    );
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
