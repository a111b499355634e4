// Declaring a use and editing a declaration: the guided form with its live triage and outcome bar.

import { ApiError, api, focusHeading, h, label, loadProductions, plural, show, showError, toast } from "./core.js";
import {
  SECTIONS,
  answerText,
  ensureSchema,
  fieldControl,
  fieldSpec,
  getPath,
  leverText,
  outcomeBadge,
  readField,
  readStages,
  renderDecision,
  setPath,
  stageControl,
  withImplied,
} from "./declaration.js";

export async function viewDeclare(productionId, useCase) {
  await ensureSchema();
  const production = (await loadProductions()).find((p) => p.id === productionId);
  let declaration = useCase
    ? structuredClone(useCase.declaration)
    : { schema: "clearcut/v1", production: production?.code };
  let step = 0;
  const triage = h(
    "div",
    { "aria-live": "polite", id: "triage" },
    h("p", { class: "muted" }, "Fill in the form: the triage updates as you go."),
  );
  // The likely result, the questions left and what would lower it, in view while the form scrolls.
  const bar = h("div", { class: "outcome-bar", id: "outcome-bar" });
  const form = h("form", { "aria-label": "Declaration" });
  let timer = null;
  let asked = null; // the server's view of the form: moot, implied and open questions, levers
  let sequence = 0;

  function collect() {
    const out = { schema: "clearcut/v1", production: production?.code };
    for (const section of SECTIONS) {
      for (const path of section.fields) {
        const spec = fieldSpec(path);
        const input = form.querySelector(`[data-section="${section.id}"]`);
        const value = input ? readField(input, spec) : getPath(declaration, path);
        if (value !== undefined) setPath(out, path, value);
      }
    }
    const pipelineBox = form.querySelector('[data-section="pipeline"]');
    const stages = pipelineBox ? readStages(pipelineBox) : declaration.pipeline;
    if (stages && stages.length) out.pipeline = stages;
    return out;
  }

  // Hides the questions the answers make moot, says which and what follows, and counts what is
  // left per section.
  function applyAsked() {
    if (!asked) return;
    const moot = new Set(asked.moot);
    for (const box of form.querySelectorAll("[data-question]")) box.hidden = moot.has(box.dataset.question);
    const note = form.querySelector("#not-asked");
    const notAsked = SECTIONS[step].fields.filter((path) => moot.has(path));
    if (note) {
      note.replaceChildren(
        notAsked.length
          ? `Not asked, since your answers settle ${notAsked.length === 1 ? "it" : "them"}: ` +
              notAsked
                .map((path) => label(path) + (path in asked.implied ? ` (${answerText(asked.implied[path])})` : ""))
                .join("; ") +
              "."
          : "",
      );
    }
    for (const [i, section] of SECTIONS.entries()) {
      const count = form.querySelector(`[data-left="${i}"]`);
      const left = section.fields.filter((path) => asked.open.includes(path)).length;
      if (count) count.textContent = left ? ` (${left} left)` : "";
    }
  }

  function renderBar(decision) {
    const left = asked.open.length;
    bar.replaceChildren(
      h(
        "p",
        {},
        "Likely result: ",
        outcomeBadge(decision.outcome),
        " ",
        h(
          "span",
          { id: "questions-left" },
          left ? `${plural(left, "question", "questions")} left` : "no question left that decides it",
        ),
      ),
      asked.levers.length
        ? h(
            "details",
            { open: true },
            h("summary", {}, "What would lower it"),
            h(
              "ul",
              { class: "levers" },
              asked.levers.map((lever) => h("li", {}, leverText(lever))),
            ),
          )
        : null,
    );
  }

  // The form's triage: the server applies the answers that follow (so the result is the one the
  // saved declaration gets) and says which questions to ask. Answers arriving out of order are
  // dropped.
  async function assessForm() {
    const mine = ++sequence;
    const decision = await api("POST", "/assess", { declaration, form: true });
    return mine === sequence ? decision : null;
  }

  async function retriage() {
    declaration = collect();
    try {
      const decision = await assessForm();
      if (!decision) return;
      asked = decision.form;
      triage.replaceChildren(renderDecision(decision));
      renderBar(decision);
      applyAsked();
      for (const old of form.querySelectorAll(".error")) old.remove();
      for (const old of form.querySelectorAll("[aria-invalid]")) old.removeAttribute("aria-invalid");
    } catch (error) {
      triage.replaceChildren(h("p", { class: "muted" }, "Triage paused until the form is valid."));
      bar.replaceChildren(h("p", { class: "muted" }, "Triage paused until the form is valid."));
      showError(form, error);
    }
  }
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(retriage, 250);
  };

  // Callers collect() the form into `declaration` before changing it and re-rendering.
  // Moving to another section puts focus on its heading (the button pressed is gone).
  function goTo(next) {
    declaration = collect();
    step = next;
    renderStep();
    focusHeading(form.querySelector("[data-section] h2"));
  }

  function renderStep() {
    const section = SECTIONS[step];
    const body = h(
      "div",
      { "data-section": section.id },
      h("h2", {}, `${step + 1}. ${section.title}`),
      h("p", { class: "hint" }, section.hint),
    );
    if (section.id === "pipeline") {
      const stages = declaration.pipeline || [];
      stages.forEach((stage, i) =>
        body.append(
          stageControl(
            stage,
            i,
            () => {
              // Choosing a registry tool hides the inline facts: the registry's reviewed facts apply.
              declaration = collect();
              const now = declaration.pipeline?.[i];
              if (now?.tool !== stage.tool) {
                renderStep();
                form.querySelector(`#stage-${i}-tool`)?.focus();
              }
              changed();
            },
            () => {
              declaration = collect();
              declaration.pipeline.splice(i, 1);
              renderStep();
              changed();
            },
          ),
        ),
      );
      body.append(
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              onclick: () => {
                declaration = collect();
                // No tool is chosen for the partner: the first in the registry may be a consumer app.
                (declaration.pipeline ??= []).push({});
                renderStep();
                form.querySelector(`#stage-${declaration.pipeline.length - 1}-tool`)?.focus();
                changed();
              },
            },
            "Add a stage",
          ),
        ),
      );
    } else {
      for (const path of section.fields) {
        const spec = fieldSpec(path);
        body.append(
          h(
            "div",
            { class: "question", "data-question": path },
            fieldControl(spec, getPath(declaration, path), changed),
            spec.help ? h("p", { class: "hint" }, spec.help) : null,
          ),
        );
      }
      body.append(h("p", { class: "hint", id: "not-asked" }));
    }
    const stepper = h(
      "nav",
      { class: "stepper", "aria-label": "Sections" },
      SECTIONS.map((s, i) =>
        h(
          "button",
          { type: "button", "aria-current": i === step ? "step" : null, onclick: () => goTo(i) },
          `${i + 1}. ${s.title}`,
          h("span", { "data-left": i }),
        ),
      ),
    );
    const nav = h(
      "div",
      { class: "actions" },
      step > 0 ? h("button", { type: "button", class: "secondary", onclick: () => goTo(step - 1) }, "Back") : null,
      step < SECTIONS.length - 1
        ? h("button", { type: "button", class: "secondary", onclick: () => goTo(step + 1) }, "Next")
        : null,
      h("span", { class: "spacer" }),
      h(
        "button",
        { type: "button", class: "secondary", onclick: () => save(false) },
        useCase ? "Save changes" : "Save as draft",
      ),
      !useCase || useCase.state === "draft"
        ? h("button", { type: "button", onclick: () => save(true) }, "Submit to the studio")
        : null,
    );
    form.replaceChildren(bar, stepper, body, nav);
    applyAsked();
  }

  // An edit after submission first shows what it changes and which written approvals it
  // outdates (the server's preview; nothing is stored); true when the partner confirms.
  async function confirmEdit(written) {
    const preview = await api("POST", `/use-cases/${useCase.id}/declaration/preview`, {
      declaration: written,
      revision: useCase.revision,
    });
    if (!preview.changes.length) return true;
    const outdated = preview.outdated_approvals;
    return new Promise((resolve) => {
      const close = (answer) => {
        panel.remove();
        resolve(answer);
      };
      const panel = h(
        "section",
        { class: "card", id: "edit-preview", role: "alertdialog", "aria-labelledby": "edit-preview-title" },
        h("h2", { id: "edit-preview-title" }, "Before you save: what this edit changes"),
        outdated.length
          ? h(
              "p",
              { class: "error" },
              `Saving makes the written approval${outdated.length > 1 ? "s" : ""} ${outdated.map((id) => `#${id}`).join(", ")} outdated: legal must approve the changed declaration before it is used.`,
            )
          : null,
        h(
          "p",
          {},
          `The use case is triaged again: ${preview.state_before} → ${preview.state_after}, outcome ${(preview.outcome_after || "none").replace("_", " ")}.`,
        ),
        h(
          "table",
          {},
          h("thead", {}, h("tr", {}, h("th", {}, "Field"), h("th", {}, "Before"), h("th", {}, "After"))),
          h(
            "tbody",
            {},
            preview.changes.map((c) =>
              h(
                "tr",
                {},
                h("td", {}, h("code", {}, c.field)),
                h("td", {}, c.from ?? "(absent)"),
                h("td", {}, c.to ?? "(absent)"),
              ),
            ),
          ),
        ),
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            { type: "button", onclick: () => close(true) },
            outdated.length ? "Save and outdate the approval" : "Save the changes",
          ),
          h("button", { type: "button", class: "secondary", onclick: () => close(false) }, "Keep editing"),
        ),
      );
      form.prepend(panel);
      panel.querySelector("button").focus();
    });
  }

  async function save(submit) {
    declaration = collect();
    for (const old of form.querySelectorAll("#edit-preview")) old.remove();
    // The studio's contact needs to know what the case is before it reaches them; a draft may
    // be saved without.
    const missing = submit ? ["summary", "purpose"].find((field) => !declaration[field]) : undefined;
    if (missing) {
      if (step !== 0) goTo(0);
      showError(
        form,
        new ApiError(422, {
          field: missing,
          message:
            missing === "summary"
              ? "say in one line what the AI is used for before submitting"
              : "choose what the output is for before submitting",
        }),
      );
      return;
    }
    try {
      // The answers that follow from the partner's, from a triage of exactly what is saved.
      clearTimeout(timer);
      let assessed = null;
      while (!assessed) assessed = await assessForm();
      const written = withImplied(declaration, assessed.form.implied);
      let result;
      if (useCase) {
        if (useCase.state !== "draft" && !(await confirmEdit(written))) return;
        result = await api("PUT", `/use-cases/${useCase.id}/declaration`, {
          declaration: written,
          revision: useCase.revision,
        });
        if (submit)
          result = await api("POST", `/use-cases/${useCase.id}/transitions`, {
            action: "submit",
            revision: result.revision,
          });
      } else {
        result = await api("POST", `/productions/${productionId}/use-cases`, { declaration: written, submit });
      }
      toast(
        submit
          ? `Submitted: ${result.state} (${result.outcome}).`
          : useCase && useCase.state !== "draft"
            ? `Saved: ${result.state} (${result.outcome}); the history lists the changes.`
            : "Saved.",
      );
      location.hash = `#/u/${result.id}`;
    } catch (error) {
      showError(form, error);
    }
  }

  const upload = h("input", {
    type: "file",
    id: "upload",
    accept: ".yaml,.yml,.json",
    onchange: async () => {
      const file = upload.files[0];
      if (!file) return;
      try {
        const text = await file.text();
        const created = await api("POST", `/productions/${productionId}/use-cases`, {
          declaration: text,
          submit: false,
        });
        toast("Declaration uploaded as a draft.");
        location.hash = `#/u/${created.id}/edit`;
      } catch (error) {
        showError(form, error);
      }
    },
  });

  renderStep();
  retriage();
  show(
    h("h1", {}, useCase ? `Edit use case #${useCase.id}` : `Declare a GenAI use — ${production?.title || ""}`),
    useCase
      ? null
      : h(
          "p",
          {},
          h("label", { for: "upload", class: "inline-label" }, "Or upload a declaration file (YAML or JSON): "),
          upload,
        ),
    h(
      "div",
      { class: "grid" },
      h("div", { class: "card" }, form),
      h("aside", { class: "card sticky", "aria-label": "Live triage" }, h("h2", {}, "Triage"), triage),
    ),
  );
}

export async function viewEdit(id) {
  const useCase = await api("GET", `/use-cases/${id}`);
  await viewDeclare(useCase.production_id, useCase);
}
