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

// What found a finding, in words.
const SIGNAL_NAMES = {
  pdq: "perceptual hash (PDQ)",
  watermark: "watermark",
  c2pa: "Content Credentials",
  xmp: "XMP label",
  audio_fingerprint: "audio fingerprint",
};

export function signalText(s) {
  const name = SIGNAL_NAMES[s.kind] || s.kind;
  if (s.kind === "pdq" && s.distance >= 0) return `${name}, distance ${s.distance}`;
  if (s.kind === "audio_fingerprint" && s.detail) return `${name}: ${s.detail}`;
  return name;
}

function isSound(f) {
  return f.track === "audio";
}

// One lane of a file's timeline: a block per finding, coloured by verdict and named in words,
// so that colour is never the only signal.
function lane(file, findings, name, duration) {
  const bar = h("div", {
    class: `timeline${name === "Sound" ? " sound" : ""}`,
    role: "list",
    "aria-label": `${name} of ${file.path}, ${duration.toFixed(1)} s`,
  });
  for (const f of findings) {
    const start = Math.max(0, Math.min(1, f.start_seconds / duration));
    const end = Math.max(start, Math.min(1, f.end_seconds / duration));
    const what = `${isSound(f) ? "sound " : ""}${f.verdict.replaceAll("_", " ")}`;
    const block = h("div", {
      class: `block v-${f.verdict}`,
      role: "listitem",
      title: `${f.start_timecode}–${f.end_timecode} ${what}`,
      "aria-label": `${f.start_timecode} to ${f.end_timecode}: ${what}`,
    });
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    block.style.left = `${(start * 100).toFixed(3)}%`;
    block.style.width = `max(3px, ${((end - start) * 100).toFixed(3)}%)`;
    bar.append(block);
  }
  return h("div", { class: "lane" }, h("span", { class: "lane-name" }, name), bar);
}

// One file's findings on bars as long as the file: picture above, sound below (a file with
// sound searched, or sound found).
export function timeline(file) {
  const duration = file.duration_seconds || file.frames_decoded / (frameRate(file.frame_rate) || 1);
  if (file.kind === "still" || !(duration > 0)) return null;
  const lanes = [];
  if (file.kind !== "audio") {
    lanes.push(
      lane(
        file,
        file.findings.filter((f) => !isSound(f)),
        "Picture",
        duration,
      ),
    );
  }
  const sound = file.findings.filter(isSound);
  if (file.kind === "audio" || sound.length || file.audio?.length) {
    lanes.push(lane(file, sound, "Sound", duration));
  }
  return h(
    "div",
    {},
    ...lanes,
    h(
      "div",
      { class: "timeline-scale" },
      h("span", {}, file.start_timecode || "00:00:00:00"),
      h("span", {}, `${duration.toFixed(1)} s`),
    ),
  );
}

// What a file is, in a line: kind, codec, size, rate, where its timecode starts, its sound.
function fileFacts(file) {
  const rateFrom = {
    delivery: "the delivery's picture rate",
    scan_option: "the rate the scan was given",
    default: "no picture rate to follow",
  };
  return [
    file.kind,
    file.codec,
    file.width ? `${file.width}×${file.height}` : null,
    file.frame_rate && file.kind !== "audio" ? `${file.frame_rate} fps` : null,
    file.kind === "audio" && file.frame_rate
      ? `timecodes at ${file.frame_rate} fps (${rateFrom[file.timecode_rate_from] || file.timecode_rate_from})`
      : null,
    file.start_timecode
      ? `starts at ${file.start_timecode}${file.timecode_from === "bext" ? " (Broadcast WAV time reference)" : ""}`
      : null,
    file.frames_decoded ? `${file.frames_decoded} frames` : null,
    ...(file.audio || []).map(
      (a) =>
        `sound: ${a.codec}, ${(a.sample_rate / 1000).toFixed(1)} kHz, ${a.channels} ch${a.language ? `, ${a.language}` : ""}`,
    ),
  ]
    .filter(Boolean)
    .join(" · ");
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
          h("p", { class: "hint" }, fileFacts(file)),
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
                    h("th", {}, "Track"),
                    h("th", {}, "From"),
                    h("th", {}, "To"),
                    h("th", {}, "Seen / registered"),
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
                      h("td", {}, isSound(f) ? `sound (stream ${f.audio_stream})` : "picture"),
                      h("td", {}, f.start_timecode),
                      h("td", {}, f.end_timecode),
                      h(
                        "td",
                        { class: "thumbs" },
                        f.frame_thumbnail
                          ? h("img", {
                              src: "data:image/jpeg;base64," + f.frame_thumbnail,
                              alt: isSound(f)
                                ? `Waveform of the sound at ${f.start_timecode}`
                                : `Frame at ${f.start_timecode}`,
                            })
                          : null,
                        f.asset_thumbnail
                          ? h("img", {
                              src: "data:image/jpeg;base64," + f.asset_thumbnail,
                              alt: isSound(f) ? `Registered sound #${f.asset_id}` : `Registered asset #${f.asset_id}`,
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
                      h("td", {}, f.signals.map(signalText).join("; ")),
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
