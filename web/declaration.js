// The declaration form's parts (fields in the pack's words, stages, tools) and the triage as a
// producer reads it.

import { actionText, api, h, label, plural, state } from "./core.js";

export const SECTIONS = [
  {
    id: "basics",
    title: "The use",
    fields: ["summary", "purpose", "media"],
    hint: "Say what you want to make and why. Every intended use is shared with the studio contact; low-risk ideation (mood boards, reference images) is usually just a notification.",
  },
  {
    id: "pipeline",
    title: "Tools",
    fields: [],
    hint: "One stage per tool or model. Pick a reviewed tool from the registry, or describe one. Several stages make a custom workflow: every principle applies at every stage.",
  },
  {
    id: "inputs",
    title: "Inputs and references",
    fields: ["inputs", "references"],
    hint: "Scripts, unreleased footage and production images stay in enterprise tools. A prompt 'inspired by' a famous photograph, or a famous performer's nose, references someone else's work or likeness.",
  },
  {
    id: "training",
    title: "Training",
    fields: ["training.trains_model", "training.on", "training.rights_cleared"],
    hint: "Training or fine-tuning on performers' or artists' material needs cleared rights.",
  },
  {
    id: "output",
    title: "The output",
    fields: [
      "output.in_final",
      "output.prominence",
      "output.story_relevant",
      "output.key_creative_element",
      "output.on_screen_element",
      "output.could_be_mistaken_for_real",
      "output.factual_content",
      "output.human_authored_final",
      "output.public",
    ],
    hint: "Anything in the final deliverables needs written approval — even a background poster. A second killer doll beside the first is a key creative element; a fake news segment with a real journalist could be mistaken for real.",
  },
  {
    id: "talent",
    title: "Talent",
    fields: [
      "talent.likeness",
      "talent.digital_replica",
      "talent.replica_use",
      "talent.alteration",
      "talent.replaces_union_work",
      "talent.performer_model_outside_scope",
      "talent.consent_documented",
      "talent.real_person",
      "talent.deceased",
    ],
    hint: "Re-ageing, synthetic voices and visual ADR (changing a performance's delivery) need the performer's documented consent. Customary fixes (cosmetics, noise, timing) do not.",
  },
  {
    id: "principles",
    title: "The five principles",
    fields: [
      "principles.p1_no_infringement",
      "principles.p2_no_training_on_production_data",
      "principles.p3_enterprise_environment",
      "principles.p4_temporary_not_final",
      "principles.p5_no_talent_replacement_without_consent",
    ],
    hint: "Answer each honestly. Any 'no' or 'unsure' goes to the studio contact before you proceed.",
  },
];

export function fieldSpec(path) {
  return state.schema.fields.find((f) => f.path === path);
}

export function idFor(path) {
  return "f-" + path.replace(/[^a-z0-9]+/gi, "-");
}

export function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setPath(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}

export function triControl(path, value, onchange, name) {
  const group = h(
    "fieldset",
    { "data-field": path },
    h("legend", {}, label(path)),
    h(
      "div",
      { class: "choices" },
      ["yes", "no", "unsure", ""].map((v) =>
        h(
          "label",
          {},
          h("input", { type: "radio", name: name || path, value: v, checked: (value ?? "") === v, onchange }),
          v === "" ? "not answered" : v,
        ),
      ),
    ),
  );
  return group;
}

export function fieldControl(spec, value, onchange) {
  const id = idFor(spec.path);
  const text = label(spec.path);
  if (spec.kind === "tri") return triControl(spec.path, value, onchange);
  if (spec.kind === "text") {
    return h(
      "div",
      {},
      h("label", { for: id }, text),
      h("input", { id, type: "text", value: value ?? "", "data-field": spec.path, oninput: onchange }),
    );
  }
  if (spec.kind === "enum") {
    return h(
      "div",
      {},
      h("label", { for: id }, text),
      h(
        "select",
        { id, "data-field": spec.path, onchange },
        h("option", { value: "" }, "— not answered —"),
        spec.vocabulary.map((v) => h("option", { value: v, selected: value === v }, v.replaceAll("_", " "))),
      ),
    );
  }
  // A list: checkboxes, plus "none" (known to be empty) and "not answered" (unknown).
  const known = Array.isArray(value);
  const boxes = spec.vocabulary.map((v) =>
    h(
      "label",
      {},
      h("input", { type: "checkbox", name: spec.path, value: v, checked: known && value.includes(v), onchange }),
      v.replaceAll("_", " "),
    ),
  );
  return h(
    "fieldset",
    { "data-field": spec.path },
    h("legend", {}, text),
    h(
      "div",
      { class: "choices" },
      boxes,
      h(
        "label",
        {},
        h("input", {
          type: "checkbox",
          name: spec.path,
          value: "__none",
          checked: known && value.length === 0,
          onchange,
        }),
        h("em", {}, "none"),
      ),
    ),
    h("p", { class: "hint" }, "Leave everything unticked if you do not know yet."),
  );
}

export function readField(form, spec) {
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

export function stageControl(stage, index, onchange, onremove) {
  const usesTool = stage.tool !== undefined;
  const box = h(
    "div",
    { class: "stage", "data-stage": index, "data-field": "pipeline[]" },
    h("h3", {}, `Stage ${index + 1}`),
  );
  const toolId = `stage-${index}-tool`;
  box.append(
    h("label", { for: toolId }, "Tool from the registry"),
    h(
      "select",
      { id: toolId, "data-role": "tool", "data-field": `pipeline[${index}].tool`, onchange },
      h("option", { value: "" }, "— none chosen: describe the tool below —"),
      state.tools.map((t) =>
        h("option", { value: t.id, selected: stage.tool === t.id }, `${t.name || t.id} (${t.id})`),
      ),
    ),
  );
  const chosen = state.tools.find((t) => t.id === stage.tool);
  const risks = chosen ? toolRisks(chosen) : [];
  if (risks.length) {
    box.append(
      h(
        "p",
        { class: "warning", id: `${toolId}-warning` },
        `${chosen.name || chosen.id} is a consumer tool: it ${risks.join(", and it ")}. ` +
          "Scripts, footage, production images and anything about the cast must not go into it; " +
          "the studio's contact decides whether it may be used at all.",
      ),
    );
    box.querySelector(`#${toolId}`).setAttribute("aria-describedby", `${toolId}-warning`);
  }
  const nameId = `stage-${index}-name`;
  box.append(
    h("label", { for: nameId }, "Name (for a tool not in the registry)"),
    h("input", { id: nameId, type: "text", "data-role": "name", value: stage.name ?? "", oninput: onchange }),
  );
  if (!usesTool) {
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "tri")) {
      box.append(triControl(spec.path, stage[spec.path], onchange, `stage-${index}-${spec.path}`));
    }
    for (const spec of state.schema.stage_fields.filter((f) => f.kind === "enum")) {
      const id = `stage-${index}-${spec.path}`;
      box.append(
        h("label", { for: id }, label(spec.path)),
        h(
          "select",
          { id, "data-role": spec.path, onchange },
          h("option", { value: "" }, "— not answered —"),
          spec.vocabulary.map((v) => h("option", { value: v, selected: stage[spec.path] === v }, v)),
        ),
      );
    }
  }
  box.append(
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: onremove }, "Remove stage"),
    ),
  );
  return box;
}

// What makes a registry tool unsafe for production material, as the partner should hear it.
export function toolRisks(tool) {
  const risks = [];
  if (tool.trains_on_data === "yes") risks.push("trains on what it is given");
  if (tool.retains_data === "yes" && tool.enterprise_agreement !== "yes") risks.push("keeps what it is given");
  if (tool.enterprise_agreement === "no") risks.push("has no enterprise agreement with the studio");
  return risks;
}

export function readStages(form) {
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
export const OUTCOME_TEXT = {
  notify: "notify the studio",
  escalate: "review needed: studio contact",
  written_approval: "review needed: written approval",
};

export function outcomeBadge(outcome) {
  if (!outcome) return h("span", { class: "badge muted" }, "—");
  return h("span", { class: "badge outcome", "data-outcome": outcome }, OUTCOME_TEXT[outcome] || outcome);
}

// A rule as a producer reads it: its sentence first; the rule id and the facts it read in a
// "Details" part.
export function ruleBlock(r) {
  return h(
    "div",
    { class: `rule o-${r.outcome}`, "data-rule": r.id },
    h("div", { class: "why" }, r.why),
    h(
      "details",
      {},
      h("summary", {}, "Details"),
      h(
        "p",
        { class: "muted" },
        `Rule ${r.id} (${r.section}): ${OUTCOME_TEXT[r.outcome] || r.outcome}` +
          (r.unknown ? ", because a question is unanswered" : ""),
      ),
      r.facts.length
        ? h(
            "ul",
            { class: "facts" },
            r.facts.map((f) =>
              h(
                "li",
                {},
                `${label(f.field)}: ${f.value === "absent" ? "not answered" : f.value}` +
                  (f.stage ? ` (stage "${f.stage}")` : ""),
              ),
            ),
          )
        : null,
    ),
  );
}

// The decision's headline (POLICY.md §6) without the rule id and field paths it names for the
// command line: those are in each rule's "Details".
export function plainHeadline(headline) {
  const undecided = headline.match(/^([^:]+): \S+ may apply, and .* (is|are) not yet known\.$/);
  if (undecided) return `${undecided[1]}: questions that decide it are not answered yet.`;
  return headline.replace(/ \([A-Z][A-Z0-9]*(-[A-Z0-9]+)+\)\.$/, ".");
}

// Leads with the likely result and what the partner must do; the rules that decided it follow,
// those waiting on unanswered questions and those raising nothing folded away.
export function renderDecision(decision) {
  if (!decision) return h("p", { class: "muted" }, "Not triaged yet.");
  const decided = decision.rules.filter((r) => r.outcome !== "notify" && !r.unknown);
  const waiting = decision.rules.filter((r) => r.unknown);
  const quiet = decision.rules.filter((r) => r.outcome === "notify" && !r.unknown);
  return h(
    "div",
    {},
    h(
      "p",
      {},
      "Likely result: ",
      outcomeBadge(decision.outcome),
      " ",
      h("span", { class: "muted" }, `policy ${decision.policy.name} ${decision.policy.version}`),
    ),
    decision.headline ? h("p", { class: "headline" }, plainHeadline(decision.headline)) : null,
    decision.actions.length
      ? [
          h("h3", {}, "What needs doing"),
          h(
            "ul",
            { class: "actions-list" },
            decision.actions.map((a) => h("li", { "data-action": a }, actionText(a))),
          ),
        ]
      : null,
    decision.unknown.length
      ? h(
          "details",
          { class: "questions" },
          h(
            "summary",
            {},
            `${plural(decision.unknown.length, "question", "questions")} left: ` +
              "each unanswered one counts as unsure and goes to the studio contact",
          ),
          h(
            "ul",
            {},
            decision.unknown.map((path) => h("li", {}, label(path))),
          ),
        )
      : null,
    decided.length ? [h("h3", {}, "Why"), decided.map(ruleBlock)] : null,
    waiting.length
      ? h(
          "details",
          {},
          h("summary", {}, `${plural(waiting.length, "rule waits", "rules wait")} on unanswered questions`),
          waiting.map(ruleBlock),
        )
      : null,
    quiet.length
      ? h(
          "details",
          {},
          h("summary", {}, `${plural(quiet.length, "rule asks", "rules ask")} only that the studio is notified`),
          quiet.map(ruleBlock),
        )
      : null,
    (decision.notes || []).map((n) => h("p", { class: "hint" }, n)),
  );
}

export async function ensureSchema() {
  state.schema = await api("GET", "/schema"); // the pack, so its words, may have changed
  state.tools = (await api("GET", "/tools")).items;
}

// What would lower the likely result, as the partner can act on it (the server's levers).
export function leverText(lever) {
  const result = OUTCOME_TEXT[lever.outcome] || lever.outcome;
  const question = label(lever.field).replace(/\.$/, "");
  if (lever.removes)
    return `Leaving "${lever.removes.replaceAll("_", " ")}" out of "${question}" would make it: ${result}.`;
  return `Answering "${question}" with "${answerText(lever.value)}" would make it: ${result}.`;
}

export function answerText(value) {
  return Array.isArray(value)
    ? value.map((v) => v.replaceAll("_", " ")).join(", ") || "none"
    : value.replaceAll("_", " ");
}

// The declaration as the form writes it: the partner's answers, and the answers that follow from
// them (the pack's `otherwise` for questions it does not ask), which the triage applied too.
export function withImplied(declaration, implied) {
  const out = structuredClone(declaration);
  for (const [path, value] of Object.entries(implied || {})) setPath(out, path, value);
  return out;
}
