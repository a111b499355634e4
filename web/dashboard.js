// Dashboards (issue #17): a production's figures (funnel, ageing, risk, outputs, scans,
// deliverables), its filtered case lists, and the Overview across productions. Every figure is also
// text: bars and shapes are drawn for the eye and hidden from screen readers, which read the
// sentence beside them. No chart library, no inline styles (the CSP allows none: widths are set
// through the CSSOM).

import { ApiError, api, badge, h, loadProductions, plural, show, when } from "./core.js";
import { outcomeBadge } from "./declaration.js";

export const STAGE_NAMES = { draft: "Draft", review: "In review", approved: "Approved" };

export const CASE_FILTERS = {
  draft: ["draft"],
  review: ["submitted", "notified", "escalated"],
  approved: ["approved"],
  notified: ["notified"],
  escalated: ["escalated"],
  rejected: ["rejected"],
  withdrawn: ["withdrawn"],
};

// A bar of `parts` ([count, class]) out of `total`, for the eye only.
export function dashBar(parts, total) {
  const track = h("div", { class: "dash-track", "aria-hidden": "true" });
  for (const [count, cls] of parts) {
    if (!(count > 0)) continue;
    const fill = h("div", { class: `dash-fill ${cls}` });
    fill.style.width = `${Math.max(2, (100 * count) / Math.max(1, total)).toFixed(2)}%`;
    track.append(fill);
  }
  return track;
}

export function casesLink(productionId, filter, text) {
  return h("a", { href: `#/p/${productionId}/cases/${filter}` }, text);
}

// Draft → in review → approved, each stage as wide as its share, and those that left it.
export function funnelFigure(productionId, funnel) {
  const top = Math.max(1, ...funnel.stages.map((s) => s.count));
  const s = funnel.by_state;
  return h(
    "section",
    { class: "card dash-card", "aria-labelledby": "dash-funnel" },
    h("h3", { id: "dash-funnel" }, "Use cases, draft to approved"),
    h(
      "ol",
      { class: "funnel" },
      funnel.stages.map((stage) => {
        const bar = dashBar([[stage.count, `stage-${stage.stage}`]], top);
        bar.classList.add("funnel-bar");
        return h(
          "li",
          { "data-stage": stage.stage },
          h(
            "span",
            { class: "funnel-label" },
            casesLink(productionId, stage.stage, `${STAGE_NAMES[stage.stage]}: ${stage.count}`),
          ),
          bar,
        );
      }),
    ),
    h(
      "p",
      { class: "hint" },
      "In review: ",
      casesLink(productionId, "notified", `${s.notified} notified`),
      " (the contact is told), ",
      casesLink(productionId, "escalated", `${s.escalated} escalated`),
      " (legal decides). Left the funnel: ",
      casesLink(productionId, "rejected", `${s.rejected} rejected`),
      ", ",
      casesLink(productionId, "withdrawn", `${s.withdrawn} withdrawn`),
      ".",
    ),
  );
}

// How long the use cases waiting on someone have waited, in working days.
export function ageingFigure(dashboard) {
  const a = dashboard.ageing;
  const top = Math.max(1, ...a.buckets.map((b) => b.count));
  const who = (b) =>
    ["contact", "legal", "partner"]
      .filter((w) => b.waiting_on[w] > 0)
      .map((w) => `${b.waiting_on[w]} on ${w === "partner" ? "the partner" : w === "legal" ? "legal" : "a contact"}`);
  return h(
    "section",
    { class: "card dash-card", "aria-labelledby": "dash-ageing" },
    h("h3", { id: "dash-ageing" }, "Waiting, by working days"),
    h(
      "p",
      { id: "dash-waiting" },
      `${plural(a.waiting, "use case waits", "use cases wait")} on someone; `,
      h("strong", {}, `${a.overdue} overdue`),
      ` (the studio answers within ${plural(dashboard.answer_within_days, "working day", "working days")})`,
      a.oldest_since ? `; the oldest since ${when(a.oldest_since)}.` : ".",
    ),
    h(
      "ul",
      { class: "dash-rows" },
      a.buckets.map((b) =>
        h(
          "li",
          { "data-bucket": b.bucket },
          h(
            "span",
            { class: "dash-row-label" },
            `${b.label}: ${b.count}`,
            b.count ? h("span", { class: "muted" }, ` (${who(b).join(", ")})`) : null,
          ),
          dashBar(
            [
              [b.waiting_on.contact, "who-contact"],
              [b.waiting_on.legal, "who-legal"],
              [b.waiting_on.partner, "who-partner"],
            ],
            top,
          ),
        ),
      ),
    ),
    h(
      "p",
      { class: "legend", "aria-hidden": "true" },
      h("span", { class: "key who-contact" }),
      " contact ",
      h("span", { class: "key who-legal" }),
      " legal ",
      h("span", { class: "key who-partner" }),
      " partner",
    ),
  );
}

// Use cases by the kinds of risk the active pack names, from their latest decisions.
export function riskFigure(risk) {
  const body =
    risk.categories.length === 0
      ? h("p", {}, `The active policy pack (${risk.policy.name} ${risk.policy.version}) names no risk categories.`)
      : h(
          "ul",
          { class: "dash-rows" },
          risk.categories.map((c) =>
            h(
              "li",
              { "data-category": c.name },
              h(
                "span",
                { class: "dash-row-label" },
                `${c.label}: ${c.in_review + c.approved}`,
                h(
                  "span",
                  { class: "muted" },
                  ` (${c.in_review} in review, ${c.approved} approved` +
                    (c.unsettled ? `; ${c.unsettled} more still to settle` : "") +
                    ")",
                ),
              ),
              dashBar(
                [
                  [c.in_review, "risk-review"],
                  [c.approved, "risk-approved"],
                  [c.unsettled, "risk-unsettled"],
                ],
                Math.max(1, risk.assessed),
              ),
            ),
          ),
        );
  const legend =
    risk.categories.length === 0
      ? null
      : h(
          "p",
          { class: "legend", "aria-hidden": "true" },
          h("span", { class: "key risk-review" }),
          " in review ",
          h("span", { class: "key risk-approved" }),
          " approved ",
          h("span", { class: "key risk-unsettled" }),
          " still to settle",
        );
  return h(
    "section",
    { class: "card dash-card", "aria-labelledby": "dash-risk" },
    h("h3", { id: "dash-risk" }, "Risk by category"),
    h(
      "p",
      { class: "hint" },
      `Of ${plural(risk.assessed, "use case", "use cases")} in review or approved, how many each kind of risk applies to, ` +
        "by the rules their latest decision fired. \u201cStill to settle\u201d: the rules could apply once open questions are answered.",
    ),
    body,
    legend,
  );
}

export function outputsFigure(outputs) {
  const items = [
    ["provisional", "Provisional (not yet cleared)"],
    ["cleared", "Cleared for final use"],
    ["rejected", "Rejected"],
  ];
  return h(
    "section",
    { class: "card dash-card", "aria-labelledby": "dash-outputs" },
    h("h3", { id: "dash-outputs" }, "AI outputs by status"),
    h(
      "ul",
      { class: "dash-rows" },
      items.map(([status, label]) =>
        h(
          "li",
          { "data-status": status },
          h("span", { class: "dash-row-label" }, `${label}: ${outputs[status]}`),
          dashBar([[outputs[status], `out-${status}`]], Math.max(1, outputs.total)),
        ),
      ),
    ),
  );
}

// The latest scans, oldest first: a shape per scan (a circle passes, a cross fails, a triangle
// could not run), its verdict in words beneath, each a link to its report.
export function scansFigure(scans) {
  const counts = { pass: 0, fail: 0, error: 0 };
  for (const s of scans) counts[s.verdict]++;
  const words = { pass: "passes", fail: "fails", error: "did not run" };
  const shapes = { pass: "\u25CF", fail: "\u2716", error: "\u25B2" };
  return h(
    "section",
    { class: "card dash-card", "aria-labelledby": "dash-scans" },
    h("h3", { id: "dash-scans" }, "Scans over time"),
    scans.length === 0
      ? h("p", {}, "No scan has finished yet.")
      : [
          h(
            "p",
            { id: "dash-scan-summary" },
            `Last ${plural(scans.length, "scan", "scans")}: ${counts.pass} passed, ${counts.fail} failed` +
              (counts.error ? `, ${counts.error} could not run` : "") +
              ".",
          ),
          h(
            "ol",
            { class: "scan-dots" },
            scans.map((s) =>
              h(
                "li",
                { "data-verdict": s.verdict },
                h(
                  "a",
                  {
                    href: `#/scan/${s.id}`,
                    "aria-label":
                      `Scan #${s.id}, ${when(s.finished_at)}: ${words[s.verdict]}, ` +
                      `${plural(s.files, "file", "files")}, ${plural(s.findings, "finding", "findings")}`,
                  },
                  h("span", { class: `shape v-${s.verdict}`, "aria-hidden": "true" }, shapes[s.verdict]),
                  h("span", { class: "dot-text", "aria-hidden": "true" }, s.verdict),
                  h("span", { class: "dot-text muted", "aria-hidden": "true" }, s.finished_at.slice(5, 10)),
                ),
              ),
            ),
          ),
        ],
  );
}

// Each deliverable's latest verdict, grouped by episode (a path's first folder).
export function deliverablesFigure(deliverables) {
  return h(
    "section",
    { class: "card dash-card dash-wide", "aria-labelledby": "dash-deliverables" },
    h("h3", { id: "dash-deliverables" }, "Clearance by deliverable"),
    h(
      "p",
      { class: "hint" },
      "Each file the recent scans named, with its latest verdict; an episode is a file's first folder.",
    ),
    deliverables.length === 0
      ? h("p", {}, "No deliverable scanned yet.")
      : h(
          "table",
          { id: "deliverables", class: "cards" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Episode"),
              h("th", {}, "Deliverable"),
              h("th", {}, "Latest scan"),
              h("th", {}, "Verdict"),
              h("th", {}, "Findings"),
            ),
          ),
          h(
            "tbody",
            {},
            deliverables.map((d) =>
              h(
                "tr",
                {},
                h("td", { "data-label": "Episode" }, d.episode || "—"),
                h("td", { "data-label": "Deliverable", class: "path" }, d.path),
                h(
                  "td",
                  { "data-label": "Latest scan" },
                  h("a", { href: `#/scan/${d.scan_id}` }, `#${d.scan_id}`),
                  ` ${d.scanned_at.slice(0, 10)}`,
                ),
                h(
                  "td",
                  { "data-label": "Verdict" },
                  h(
                    "span",
                    {},
                    h(
                      "span",
                      { class: `badge ${d.passes ? "s-approved" : "s-rejected"}` },
                      d.passes ? "passes" : "fails",
                    ),
                    d.per_file ? null : h("span", { class: "hint" }, " (the whole delivery's verdict)"),
                  ),
                ),
                h("td", { "data-label": "Findings" }, d.findings),
              ),
            ),
          ),
        ),
  );
}

// The production page's lead: its figures, each with its words.
export async function dashboardSection(productionId) {
  const d = await api("GET", `/productions/${productionId}/dashboard`);
  const f = d.funnel;
  return h(
    "section",
    { id: "dashboard", "aria-labelledby": "dashboard-title" },
    h("h2", { id: "dashboard-title", class: "visually-hidden" }, "Dashboard"),
    h(
      "ul",
      { class: "counts headline", "aria-label": "At a glance" },
      [
        [f.total, "use cases"],
        [d.ageing.waiting, "waiting"],
        [d.ageing.overdue, "overdue"],
        [f.by_state.approved, "approved"],
        [d.outputs.provisional, "outputs not cleared"],
      ].map(([n, what]) => h("li", { class: "card" }, h("strong", {}, n), what)),
    ),
    h(
      "div",
      { class: "dash-grid" },
      funnelFigure(productionId, f),
      ageingFigure(d),
      riskFigure(d.risk),
      outputsFigure(d.outputs),
      scansFigure(d.scans),
      deliverablesFigure(d.deliverables),
    ),
    h("p", { class: "hint" }, `Figures as of ${when(d.as_of)}.`),
  );
}

// A production's use cases in some states: what a dashboard figure counts.
// Every use case of a production in one state, page by page (the API gives at most 200 a page).
export async function useCasesIn(productionId, state) {
  const items = [];
  let after = 0;
  for (;;) {
    const page = await api("GET", `/productions/${productionId}/use-cases?state=${state}&limit=200&after=${after}`);
    items.push(...page.items);
    if (!page.next_after) return items;
    after = page.next_after;
  }
}

export async function viewCases(id, filter) {
  id = Number(id);
  const states = CASE_FILTERS[filter];
  const production = (await loadProductions()).find((p) => p.id === id);
  if (!production || !states) throw new ApiError(404, { message: "No such list" });
  const lists = await Promise.all(states.map((s) => useCasesIn(id, s)));
  const items = lists.flat().sort((a, b) => a.id - b.id);
  const name = STAGE_NAMES[filter] || filter[0].toUpperCase() + filter.slice(1);
  show(
    h("p", {}, h("a", { href: `#/p/${id}` }, "\u2190 " + (production.title || production.code))),
    h("h1", {}, `${production.title || production.code}: ${name.toLowerCase()} (${items.length})`),
    items.length === 0
      ? h("p", {}, "None.")
      : h(
          "table",
          { id: "cases", class: "cards" },
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
            items.map((u) =>
              h(
                "tr",
                {},
                h("td", { class: "num", "data-label": "#" }, u.id),
                h("td", { "data-label": "Use" }, h("a", { href: `#/u/${u.id}` }, u.summary || "(no summary)")),
                h("td", { "data-label": "State" }, badge("s", u.state)),
                h("td", { "data-label": "Outcome" }, outcomeBadge(u.outcome)),
                h("td", { "data-label": "Updated" }, when(u.updated_at)),
              ),
            ),
          ),
        ),
  );
}

// Every production the reader may see, one row each, with totals: for executives and admins.
export async function viewOverview() {
  const d = await api("GET", "/dashboard");
  const cells = (r) => [
    h("td", { "data-label": "Use cases" }, r.use_cases),
    h("td", { "data-label": "In review" }, r.in_review),
    h("td", { "data-label": "Waiting" }, r.waiting),
    h("td", { "data-label": "Overdue" }, r.overdue ? h("strong", {}, `${r.overdue} overdue`) : "0"),
    h("td", { "data-label": "Approved" }, r.approved),
    h("td", { "data-label": "Outputs not cleared" }, r.outputs_provisional),
    h(
      "td",
      { "data-label": "Failing deliverables" },
      r.failing_deliverables ? h("strong", {}, `${r.failing_deliverables} failing`) : "0",
    ),
  ];
  const lastScan = (s) =>
    !s
      ? "none yet"
      : [
          h("a", { href: `#/scan/${s.id}` }, `#${s.id}`),
          ` ${s.finished_at.slice(0, 10)} `,
          h(
            "span",
            { class: `badge ${s.verdict === "pass" ? "s-approved" : "s-rejected"}` },
            { pass: "passes", fail: "fails", error: "did not run" }[s.verdict],
          ),
        ];
  show(
    h("h1", {}, "Overview"),
    h(
      "p",
      { class: "hint" },
      `Every production you may see, as of ${when(d.as_of)}. Overdue: waiting on the studio past the production's answer time. ` +
        "Failing: deliverables whose latest scan fails.",
    ),
    d.items.length === 0
      ? h("p", {}, "You are not on any production yet.")
      : h(
          "table",
          { id: "overview", class: "cards" },
          h(
            "caption",
            { class: "muted" },
            `${plural(d.totals.productions, "production", "productions")}: ` +
              `${d.totals.in_review} in review, ${d.totals.overdue} overdue, ${d.totals.failing_deliverables} failing deliverables.`,
          ),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              [
                "Production",
                "Use cases",
                "In review",
                "Waiting",
                "Overdue",
                "Approved",
                "Outputs not cleared",
                "Failing deliverables",
                "Last scan",
              ].map((t) => h("th", { scope: "col" }, t)),
            ),
          ),
          h(
            "tbody",
            {},
            d.items.map((r) =>
              h(
                "tr",
                { "data-production": r.production.id },
                h(
                  "th",
                  { scope: "row" },
                  h("a", { href: `#/p/${r.production.id}` }, r.production.title || r.production.code),
                ),
                cells(r),
                h("td", { "data-label": "Last scan" }, h("span", {}, lastScan(r.last_scan))),
              ),
            ),
          ),
          h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "All productions"), cells(d.totals), h("td", {}))),
        ),
  );
}
