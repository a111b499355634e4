// A delivery scan: its verdicts, timeline per file and findings.

import { route } from "./app.js";
import { api, h, loadProductions, show, when } from "./core.js";

export const VERDICTS = [
  "cleared",
  "provisional_in_final",
  "rejected",
  "expired_approval",
  "disclosure_unconfirmed",
  "undeclared_ai",
];

export function scanVerdict(job) {
  if (job.state === "finished") {
    return h("span", { class: `badge ${job.passes ? "s-approved" : "s-rejected"}` }, job.passes ? "passes" : "fails");
  }
  if (job.state === "error") return h("span", { class: "badge s-rejected" }, "error");
  return h(
    "span",
    { class: "badge s-draft" },
    job.state === "running" ? `running ${job.files_done}/${job.files_total}` : "queued",
  );
}

export function verdictCounts(job) {
  if (!job.summary) return "—";
  const parts = VERDICTS.filter((v) => job.summary.by_verdict[v] > 0).map(
    (v) => `${job.summary.by_verdict[v]} ${v.replaceAll("_", " ")}`,
  );
  return parts.length ? parts.join(", ") : "no AI material found";
}

export function frameRate(text) {
  const [num, den] = String(text || "")
    .split("/")
    .map(Number);
  return num > 0 ? num / (den > 0 ? den : 1) : 0;
}

// One file's findings on a bar as long as the file: a block per finding, coloured by verdict
// and named in words, so that colour is never the only signal.
export function timeline(file) {
  const duration = file.duration_seconds || file.frames_decoded / (frameRate(file.frame_rate) || 1);
  if (file.kind === "still" || !(duration > 0)) return null;
  const bar = h("div", {
    class: "timeline",
    role: "list",
    "aria-label": `Timeline of ${file.path}, ${duration.toFixed(1)} s`,
  });
  for (const f of file.findings) {
    const start = Math.max(0, Math.min(1, f.start_seconds / duration));
    const end = Math.max(start, Math.min(1, f.end_seconds / duration));
    const block = h("div", {
      class: `block v-${f.verdict}`,
      role: "listitem",
      title: `${f.start_timecode}–${f.end_timecode} ${f.verdict.replaceAll("_", " ")}`,
      "aria-label": `${f.start_timecode} to ${f.end_timecode}: ${f.verdict.replaceAll("_", " ")}`,
    });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    block.style.left = `${(start * 100).toFixed(3)}%`;
    block.style.width = `max(3px, ${((end - start) * 100).toFixed(3)}%)`;
    bar.append(block);
  }
  return h(
    "div",
    {},
    bar,
    h("div", { class: "timeline-scale" }, h("span", {}, "00:00:00:00"), h("span", {}, `${duration.toFixed(1)} s`)),
  );
}

export async function viewScan(id) {
  const job = await api("GET", `/scans/${id}`);
  const production = (await loadProductions()).find((p) => p.id === job.production_id);
  const sections = [
    h("p", {}, h("a", { href: `#/p/${job.production_id}` }, "← " + (production?.title || "Production"))),
    h("h1", {}, `Delivery scan #${job.id} `, scanVerdict(job)),
    h(
      "dl",
      { class: "kv card" },
      h("dt", {}, "Delivery"),
      h("dd", {}, job.paths.join(", ")),
      h("dt", {}, "Submitted"),
      h("dd", {}, when(job.submitted_at)),
      h("dt", {}, "State"),
      h("dd", {}, job.state + (job.worker ? ` (worker ${job.worker})` : "")),
      job.finished_at ? [h("dt", {}, "Finished"), h("dd", {}, when(job.finished_at))] : null,
      h("dt", {}, "Findings"),
      h("dd", {}, job.state === "error" ? job.error : verdictCounts(job)),
    ),
  ];
  if (job.state === "queued" || job.state === "running") {
    sections.push(
      h(
        "p",
        { role: "status" },
        job.state === "queued"
          ? "Waiting for a scan worker…"
          : `Scanning: ${job.files_done} of ${job.files_total} file(s) done…`,
      ),
    );
    setTimeout(() => {
      if (location.hash === `#/scan/${id}`) route();
    }, 1500);
    show(...sections);
    return;
  }
  if (job.state === "finished") {
    const report = await api("GET", `/scans/${id}/report`);
    sections.push(
      h(
        "div",
        { class: "actions" },
        h(
          "a",
          { class: "button secondary", href: `/api/v1/scans/${id}/report.html`, target: "_blank", rel: "noopener" },
          "Full report (HTML)",
        ),
        h(
          "a",
          { class: "button secondary", href: `/api/v1/scans/${id}/report`, target: "_blank", rel: "noopener" },
          "JSON",
        ),
      ),
    );
    sections.push(
      h(
        "p",
        { class: "legend" },
        "Timeline: ",
        h("span", { class: "block-key v-cleared" }, "cleared"),
        " ",
        h("span", { class: "block-key v-provisional_in_final" }, "not cleared (fails)"),
      ),
    );
    for (const file of report.files) {
      sections.push(
        h(
          "section",
          { class: "card", "aria-label": file.path },
          h(
            "h2",
            {},
            file.path,
            " ",
            file.error
              ? h("span", { class: "badge s-rejected" }, "error")
              : h(
                  "span",
                  {
                    class: `badge ${file.findings.every((f) => f.verdict === "cleared") ? "s-approved" : "s-rejected"}`,
                  },
                  file.findings.every((f) => f.verdict === "cleared") ? "passes" : "fails",
                ),
          ),
          file.error ? h("p", { class: "error" }, file.error) : null,
          h(
            "p",
            { class: "hint" },
            [
              file.kind,
              file.codec,
              file.width ? `${file.width}×${file.height}` : null,
              file.frame_rate ? `${file.frame_rate} fps` : null,
              file.frames_decoded ? `${file.frames_decoded} frames` : null,
            ]
              .filter(Boolean)
              .join(" · "),
          ),
          timeline(file),
          file.findings.length
            ? h(
                "table",
                {},
                h(
                  "thead",
                  {},
                  h(
                    "tr",
                    {},
                    h("th", {}, "From"),
                    h("th", {}, "To"),
                    h("th", {}, "Frame / registered"),
                    h("th", {}, "Asset"),
                    h("th", {}, "Verdict"),
                    h("th", {}, "Found by"),
                    h("th", {}, "Why"),
                  ),
                ),
                h(
                  "tbody",
                  {},
                  file.findings.map((f) =>
                    h(
                      "tr",
                      {},
                      h("td", {}, f.start_timecode),
                      h("td", {}, f.end_timecode),
                      h(
                        "td",
                        { class: "thumbs" },
                        f.frame_thumbnail
                          ? h("img", {
                              src: "data:image/jpeg;base64," + f.frame_thumbnail,
                              alt: `Frame at ${f.start_timecode}`,
                            })
                          : null,
                        f.asset_thumbnail
                          ? h("img", {
                              src: "data:image/jpeg;base64," + f.asset_thumbnail,
                              alt: `Registered asset #${f.asset_id}`,
                            })
                          : null,
                      ),
                      h("td", {}, f.asset_id ? `#${f.asset_id} ${f.asset_name || ""}` : "unregistered"),
                      h(
                        "td",
                        {},
                        h(
                          "span",
                          { class: `badge ${f.verdict === "cleared" ? "s-approved" : "s-rejected"}` },
                          f.verdict.replaceAll("_", " "),
                        ),
                      ),
                      h(
                        "td",
                        {},
                        f.signals.map((s) => s.kind + (s.distance >= 0 ? ` (distance ${s.distance})` : "")).join(", "),
                      ),
                      h("td", {}, f.reason),
                    ),
                  ),
                ),
              )
            : h("p", {}, "No AI material found."),
          file.unchecked.length
            ? h(
                "ul",
                { class: "hint" },
                file.unchecked.map((u) => h("li", {}, "Not checked: " + u)),
              )
            : null,
        ),
      );
    }
    sections.push(
      h(
        "section",
        { class: "card", "aria-labelledby": "scan-disclosure" },
        h("h2", { id: "scan-disclosure" }, "Disclosure list"),
        report.disclosure.length
          ? h(
              "ul",
              {},
              report.disclosure.map((d) =>
                h(
                  "li",
                  {},
                  `${d.path} ${d.start_timecode}–${d.end_timecode}: asset #${d.asset_id} ${d.asset_name || ""}`,
                ),
              ),
            )
          : h("p", {}, "No cleared AI material in this delivery."),
      ),
    );
  }
  show(...sections);
}
