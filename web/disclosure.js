// A title's disclosure report: each cleared output with its approval and where the latest scan
// found it, then what that scan found that is not cleared; links to the CSV, the PDF and the
// clearance dossier.

import { api, h, role, show, state, when } from "./core.js";
import { outcomeBadge } from "./declaration.js";

export function verdictText(verdict) {
  return String(verdict || "").replaceAll("_", " ");
}

export function foundList(found) {
  return h(
    "ul",
    { class: "plain" },
    found.map((f) =>
      h(
        "li",
        {},
        h("code", {}, f.path),
        ` ${f.start_timecode}–${f.end_timecode}`,
        f.track === "audio" ? " (sound)" : "",
        f.verdict === "cleared" ? "" : ` [${verdictText(f.verdict)}]`,
      ),
    ),
  );
}

// The per-title disclosure report (GET /productions/{id}/disclosure): each cleared output with
// its approval and where the latest scan found it, then what that scan found that is not
// cleared. Printing shows the report alone (app.css, @media print).
export async function viewDisclosure(id) {
  id = Number(id);
  const report = await api("GET", `/productions/${id}/disclosure`);
  const p = report.production;
  const title = p.title ? `${p.title} (${p.code})` : p.code;
  const dossier = role(id, "contact") || role(id, "legal") || state.me.admin;
  const scan = report.scan;
  const scanLine = scan
    ? h(
        "p",
        {},
        "Timecodes from ",
        h("a", { href: `#/scan/${scan.id}` }, `scan #${scan.id}`),
        ` of ${scan.paths.join(", ")}, finished ${when(scan.finished_at)}: the delivery `,
        h("strong", {}, scan.passes ? "passes" : "fails"),
        ".",
      )
    : h("p", {}, "No delivery scan of this production has finished yet, so no timecodes are given.");
  const cleared = h(
    "table",
    { class: "report-table" },
    h("caption", { class: "visually-hidden" }, "Cleared AI outputs"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Output"),
        h("th", { scope: "col" }, "Use case"),
        h("th", { scope: "col" }, "Approval"),
        h("th", { scope: "col" }, "Found in the scan at"),
      ),
    ),
    h(
      "tbody",
      {},
      report.cleared.map((o) => {
        const a = o.approval;
        return h(
          "tr",
          {},
          h(
            "td",
            { "data-label": "Output" },
            h("strong", {}, o.asset.file_name || `output #${o.asset.id}`),
            h("div", { class: "hint" }, `#${o.asset.id} ${o.asset.media_type || ""}`),
            h("div", { class: "hint" }, "Source type: ", o.digital_source_type || "not read by the scan"),
            h("div", { class: "hint digest" }, `SHA-256 ${o.asset.sha256}`),
          ),
          h(
            "td",
            { "data-label": "Use case" },
            h("a", { href: `#/u/${o.use_case.id}` }, `#${o.use_case.id}`),
            " ",
            h("span", { class: "pre-line" }, o.use_case.summary),
            h("div", {}, outcomeBadge(o.use_case.outcome)),
          ),
          h(
            "td",
            { "data-label": "Approval" },
            a
              ? [
                  h("div", {}, `#${a.id} by ${a.approver_name}, signed “${a.signer_name}”`),
                  h("div", { class: "hint" }, when(a.created_at)),
                  h("div", {}, `Scope: ${a.scope_text}`),
                  h("div", {}, "Conditions: ", a.conditions || "none"),
                  h("div", {}, `Expires: ${a.expires_at ? when(a.expires_at) : "never"}`),
                  a.in_force ? null : h("p", { class: "warning" }, "This approval no longer clears the output."),
                ]
              : h("p", { class: "warning" }, "No approval on record."),
          ),
          h(
            "td",
            { "data-label": "Found at" },
            o.found.length ? foundList(o.found) : scan ? "Not found in the scan." : "No scan.",
          ),
        );
      }),
    ),
  );
  const problems = h(
    "table",
    { class: "report-table" },
    h("caption", { class: "visually-hidden" }, "Found and not cleared"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "File"),
        h("th", { scope: "col" }, "Timecodes"),
        h("th", { scope: "col" }, "Material"),
        h("th", { scope: "col" }, "Verdict"),
        h("th", { scope: "col" }, "Why"),
      ),
    ),
    h(
      "tbody",
      {},
      report.not_cleared.map((f) =>
        h(
          "tr",
          {},
          h("td", { "data-label": "File" }, h("code", {}, f.path)),
          h(
            "td",
            { "data-label": "Timecodes" },
            `${f.start_timecode}–${f.end_timecode}${f.track === "audio" ? " (sound)" : ""}`,
          ),
          h(
            "td",
            { "data-label": "Material" },
            f.asset_id ? `#${f.asset_id} ${f.asset_name || ""}` : "not registered for this production",
          ),
          h("td", { "data-label": "Verdict" }, verdictText(f.verdict)),
          h("td", { "data-label": "Why" }, f.reason),
        ),
      ),
    ),
  );
  const link = (href, text, file) =>
    h("a", { class: "button secondary", href: `/api/v1${href}`, download: file }, text);
  show(
    h(
      "div",
      { class: "report" },
      h("p", { class: "actions" }, h("a", { href: `#/p/${id}` }, `← ${title}`)),
      h("h1", {}, `AI disclosure report: ${title}`),
      h("p", {}, `Generated ${when(report.generated_at)}.`),
      scanLine,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: () => window.print() }, "Print"),
        link(`/productions/${id}/disclosure.csv`, "Download CSV", `production-${id}-disclosure.csv`),
        link(`/productions/${id}/disclosure.pdf`, "Download PDF", `production-${id}-disclosure.pdf`),
        dossier
          ? link(`/productions/${id}/dossier.pdf`, "Clearance dossier (PDF)", `production-${id}-dossier.pdf`)
          : null,
        dossier
          ? link(`/productions/${id}/dossier`, "Clearance dossier (JSON)", `production-${id}-dossier.json`)
          : null,
      ),
      h(
        "section",
        { "aria-labelledby": "cleared-title" },
        h("h2", { id: "cleared-title" }, `Cleared AI outputs (${report.cleared.length})`),
        report.cleared.length ? cleared : h("p", {}, "No output of this production is cleared for final use."),
      ),
      h(
        "section",
        { "aria-labelledby": "not-cleared-title" },
        h("h2", { id: "not-cleared-title" }, `Found in the latest scan and not cleared (${report.not_cleared.length})`),
        !scan
          ? h("p", {}, "No scan: nothing to list.")
          : report.not_cleared.length
            ? problems
            : h("p", {}, `Every finding of scan #${scan.id} is cleared.`),
      ),
    ),
  );
}

// ---------- delivery scans ----------
