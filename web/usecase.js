// A use case: decision, checklist, attachments, approvals, declaration and history.

import { route } from "./app.js";
import {
  ApiError,
  actionText,
  api,
  attach,
  badge,
  bytesText,
  download,
  h,
  isStale,
  label,
  role,
  show,
  showError,
  staleBanner,
  toast,
  when,
} from "./core.js";
import { outcomeBadge, renderDecision } from "./declaration.js";

// The checklist that gates written approval: each item with what meets it, and the forms that
// meet it (the contact or legal records evidence; legal waives, with a reason).
export function checklistSection(u, items, canRecord, canWaive) {
  const how = {
    consent: "met by a consent linked to this use case (Consents of the production)",
    registry: "met by the tool registry: every stage's tool reviewed within the pack's review period",
    document: "met by the SHA-256 of the licence or clearance",
    statement: "met by a statement",
    declaration: "an open question: amend the declaration, or legal waives it",
  };
  async function post(path, body, form) {
    try {
      await api("POST", `/use-cases/${u.id}/checklist/${path}`, body);
      toast("Recorded in the audit log.");
      route();
    } catch (error) {
      showError(form, error);
    }
  }
  const rows = items.map((item) => {
    // In the producer's words: the declaration's question, the pack's action as it is done.
    const short = item.kind === "question" ? label(item.name) : item.name.replace(/_/g, " ");
    const title = item.kind === "question" ? `Open question: ${short}` : actionText(item.name);
    const forms = [];
    if (item.state === "open" && canRecord && (item.met_by === "statement" || item.met_by === "document")) {
      const id = `ev-${item.id}`;
      // A document item: attaching the file fills in its hash.
      const fileId = `evf-${item.id}`;
      const attachControl =
        item.met_by === "document"
          ? [
              h("label", { for: fileId }, `Or attach the licence or clearance file (${short})`),
              h("input", {
                type: "file",
                id: fileId,
                "data-field": "file",
                onchange: async (event) => {
                  const file = event.target.files[0];
                  if (!file) return;
                  try {
                    const attached = await attach(`/use-cases/${u.id}`, file);
                    form.querySelector(`#${id}`).value = attached.sha256;
                    toast(`Attached ${attached.file_name}; its SHA-256 is filled in.`);
                  } catch (error) {
                    showError(form, error);
                  }
                },
              }),
            ]
          : null;
      const form = h(
        "form",
        { "aria-label": `Record evidence: ${item.name}` },
        h(
          "label",
          { for: id },
          item.met_by === "document" ? `SHA-256 of the licence or clearance (${short})` : `Evidence for ${short}`,
        ),
        h("input", { type: "text", id, "data-field": item.met_by === "document" ? "document_sha256" : "text" }),
        attachControl,
        h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Record evidence")),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const value = form.querySelector(`#${id}`).value;
        post(`${item.id}/evidence`, item.met_by === "document" ? { document_sha256: value } : { text: value }, form);
      });
      forms.push(form);
    }
    if (item.state === "open" && canWaive && !(item.met_by === "consent" && !item.conditional)) {
      const id = `wv-${item.id}`;
      const form = h(
        "form",
        { "aria-label": `Waiver: ${item.name}` },
        h("label", { for: id }, `Reason to waive: ${short}`),
        h("input", { type: "text", id, "data-field": "reason" }),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Waive")),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        post(`${item.id}/waive`, { reason: form.querySelector(`#${id}`).value }, form);
      });
      forms.push(form);
    }
    // The disclosure is planned before approval and made in the cut: then it is confirmed, and
    // until it is a delivery scan fails on this case's outputs.
    const confirmation = item.evidence && item.evidence.confirmation;
    if (item.name === "audience_disclosure" && item.state === "met" && canRecord && !confirmation) {
      const id = `cf-${item.id}`;
      const form = h(
        "form",
        { "aria-label": "Confirm the disclosure was made" },
        h(
          "label",
          { for: id },
          "Where and how the disclosure was made (card and timecode, credit, caption file, metadata)",
        ),
        h("input", { type: "text", id, "data-field": "text" }),
        h(
          "div",
          { class: "actions" },
          h("button", { type: "submit", class: "secondary" }, "Confirm the disclosure was made"),
        ),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        post(`${item.id}/confirm`, { text: form.querySelector(`#${id}`).value }, form);
      });
      forms.push(form);
    }
    const evidence = item.evidence
      ? item.evidence.consent_ids
        ? `consents ${item.evidence.consent_ids.join(", ")}`
        : item.evidence.tools
          ? item.evidence.tools.map((t) => `${t.id} reviewed ${t.reviewed_on}`).join("; ")
          : [item.evidence.text, item.evidence.document_sha256].filter(Boolean).join("; ")
      : "";
    return h(
      "div",
      { class: `rule checklist-${item.state}`, "data-item": item.name },
      h("strong", {}, title),
      " ",
      h("span", { class: `badge c-${item.state}` }, item.state),
      item.conditional ? h("span", { class: "muted" }, " (if the open facts hold)") : null,
      h("div", { class: "muted" }, `${item.rules.join(", ")}: ${how[item.met_by] || ""}`),
      evidence ? h("div", {}, "Evidence: ", evidence) : null,
      confirmation
        ? h(
            "div",
            { class: "disclosure-confirmed" },
            `Disclosure made (confirmed ${confirmation.at}): `,
            confirmation.text,
          )
        : item.name === "audience_disclosure" && item.state === "met"
          ? h(
              "div",
              { class: "muted" },
              "Not yet confirmed as made: a delivery scan fails on this case's outputs until it is.",
            )
          : null,
      item.note ? h("div", {}, "Open because: ", item.note) : null,
      item.reason ? h("div", {}, "Waived: ", item.reason) : null,
      forms,
    );
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "checklist-title" },
    h("h2", { id: "checklist-title" }, "Checklist (gates written approval)"),
    rows.length ? rows : h("p", { class: "muted" }, "Nothing to settle before approval."),
  );
}

// Evidence files attached to the use case: the list with download links and, for the contact and
// legal, an upload control.
export function attachmentSection(u, attachments, canAttach) {
  const list = attachments.length
    ? h(
        "ul",
        { class: "attachments" },
        attachments.map((a) =>
          h(
            "li",
            {},
            h("a", { href: a.download, download: a.file_name }, a.file_name),
            h(
              "span",
              { class: "muted" },
              ` ${a.content_type.split(";")[0]}, ${bytesText(a.size)}, added ${when(a.added_at)}`,
            ),
            h("div", {}, h("code", { title: "SHA-256" }, a.sha256)),
          ),
        ),
      )
    : h("p", { class: "muted" }, "No files attached.");
  let form = null;
  if (canAttach) {
    form = h(
      "form",
      { "aria-label": "Attach a file" },
      h("label", { for: "att-file" }, "File to attach (PDF, image, text or office document)"),
      h("input", { id: "att-file", type: "file", "data-field": "file" }),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Attach")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const file = form.querySelector("#att-file").files[0];
        if (!file) throw new ApiError(400, { message: "choose a file", field: "file" });
        await attach(`/use-cases/${u.id}`, file);
        toast("Attached. Recorded in the audit log.");
        route();
      } catch (error) {
        showError(form, error);
      }
    });
  }
  return h(
    "section",
    { class: "card", "aria-labelledby": "attachments-title" },
    h("h2", { id: "attachments-title" }, "Attachments"),
    list,
    form,
  );
}

export async function viewUseCase(id) {
  const u = await api("GET", `/use-cases/${id}`);
  const checklist = (await api("GET", `/use-cases/${id}/checklist`)).items;
  const attachments = (await api("GET", `/use-cases/${id}/attachments`)).items;
  const pid = u.production_id;
  const isContact = role(pid, "contact");
  const isLegal = role(pid, "legal");

  async function act(action, note) {
    try {
      await api("POST", `/use-cases/${u.id}/transitions`, { action, revision: u.revision, note: note || undefined });
      toast(`Done: ${action.replace("_", " ")}. Recorded in the audit log.`);
      route();
    } catch (error) {
      if (isStale(error)) staleBanner();
      else toast(error.message);
    }
  }
  const noteInput = h("input", { type: "text", id: "note", "aria-label": "Note for this action" });
  const buttons = [];
  // The server says what this reader may do now (allowed_actions); the page does not guess.
  const may = (action) => (u.allowed_actions || []).includes(action);
  if (may("edit")) buttons.push(h("a", { class: "button secondary", href: `#/u/${u.id}/edit` }, "Edit declaration"));
  if (may("submit")) buttons.push(h("button", { type: "button", onclick: () => act("submit") }, "Submit"));
  if (may("withdraw"))
    buttons.push(
      h("button", { type: "button", class: "secondary", onclick: () => act("withdraw", noteInput.value) }, "Withdraw"),
    );
  if (may("acknowledge"))
    buttons.push(
      h(
        "button",
        { type: "button", class: "secondary", onclick: () => act("acknowledge", noteInput.value) },
        "Acknowledge",
      ),
    );
  if (may("escalate"))
    buttons.push(h("button", { type: "button", onclick: () => act("escalate", noteInput.value) }, "Escalate"));
  if (may("request_changes"))
    buttons.push(
      h(
        "button",
        { type: "button", class: "secondary", onclick: () => act("request_changes", noteInput.value) },
        "Ask for changes",
      ),
    );
  if (may("reject"))
    buttons.push(
      h("button", { type: "button", class: "danger", onclick: () => act("reject", noteInput.value) }, "Reject"),
    );
  buttons.push(
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        onclick: () => download(`use-case-${u.id}.json`, JSON.stringify(u.declaration, null, 2)),
      },
      "Download declaration",
    ),
  );

  const approvalForm = may("approve")
    ? (() => {
        const form = h(
          "form",
          { class: "card", "aria-label": "Written approval" },
          h("h2", {}, "Written approval"),
          h("label", { for: "a-conditions" }, "Conditions"),
          h("textarea", { id: "a-conditions", "data-field": "conditions" }),
          h(
            "fieldset",
            { "data-field": "scope" },
            h("legend", {}, "Scope"),
            h("label", {}, h("input", { type: "checkbox", id: "a-final" }), " Cleared for final use"),
            h("label", { for: "a-deliverables" }, "Deliverables (comma-separated)"),
            h("input", { type: "text", id: "a-deliverables" }),
          ),
          h("label", { for: "a-expires" }, "Expires (optional)"),
          h("input", { type: "date", id: "a-expires", "data-field": "expires_at" }),
          h("label", { for: "a-reason" }, "Reason"),
          h("textarea", { id: "a-reason", "data-field": "reason" }),
          h("label", { for: "a-signer" }, "Your full name (signature)"),
          h("input", { type: "text", id: "a-signer", "data-field": "signer_name", autocomplete: "name" }),
          checklist.some((item) => item.state === "open")
            ? h(
                "p",
                { class: "error" },
                "The checklist has open items: the approval will be refused until each is met or waived.",
              )
            : null,
          h("div", { class: "actions" }, h("button", { type: "submit" }, "Approve in writing")),
        );
        // Signing is two steps: the form, then a summary of exactly what is being approved (the
        // scope, conditions, expiry and the checklist with its evidence) that the approver signs.
        async function sign(body) {
          try {
            await api("POST", `/use-cases/${u.id}/approvals`, body);
            toast("Approved in writing. Recorded in the audit log.");
            route();
          } catch (error) {
            for (const old of form.querySelectorAll("#sign-summary")) old.remove();
            showError(form, error);
          }
        }
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          for (const old of form.querySelectorAll("#sign-summary")) old.remove();
          const deliverables = form
            .querySelector("#a-deliverables")
            .value.split(",")
            .map((s) => s.trim())
            .filter(Boolean);
          const expires = form.querySelector("#a-expires").value;
          const body = {
            revision: u.revision,
            conditions: form.querySelector("#a-conditions").value,
            scope: { final_use: form.querySelector("#a-final").checked, deliverables },
            expires_at: expires ? `${expires}T23:59:59Z` : undefined,
            signer_name: form.querySelector("#a-signer").value,
            reason: form.querySelector("#a-reason").value,
          };
          const evidenceOf = (item) =>
            item.evidence
              ? [
                  item.evidence.text,
                  item.evidence.document_sha256 && `SHA-256 ${item.evidence.document_sha256}`,
                  item.evidence.consent_ids && `consents ${item.evidence.consent_ids.join(", ")}`,
                ]
                  .filter(Boolean)
                  .join("; ")
              : "";
          const summary = h(
            "section",
            { id: "sign-summary", role: "alertdialog", "aria-labelledby": "sign-summary-title" },
            h("h3", { id: "sign-summary-title" }, `You are approving use case #${u.id} in writing`),
            h(
              "dl",
              { class: "facts" },
              h("dt", {}, "Declaration"),
              h("dd", {}, `revision ${u.revision}, SHA-256 `, h("code", { class: "digest" }, u.declaration_digest)),
              h("dt", {}, "Scope"),
              h(
                "dd",
                {},
                `${body.scope.final_use ? "final use" : "not for final use"}${deliverables.length ? `, ${deliverables.join(", ")}` : ""}`,
              ),
              h("dt", {}, "Conditions"),
              h("dd", {}, body.conditions || "none"),
              h("dt", {}, "Expires"),
              h("dd", {}, expires || "does not expire"),
              h("dt", {}, "Reason"),
              h("dd", {}, body.reason || "(none: required)"),
              h("dt", {}, "Signed by"),
              h("dd", {}, body.signer_name || "(no name: required)"),
            ),
            h("h4", {}, "The checklist as it stands"),
            checklist.length
              ? h(
                  "ul",
                  {},
                  checklist.map((item) =>
                    h(
                      "li",
                      {},
                      `${item.kind === "question" ? label(item.name) : actionText(item.name)} — ${item.state}`,
                      item.reason ? ` (waived: ${item.reason})` : "",
                      evidenceOf(item) ? ` (${evidenceOf(item)})` : "",
                    ),
                  ),
                )
              : h("p", {}, "Nothing to settle."),
            h(
              "div",
              { class: "actions" },
              h("button", { type: "button", onclick: () => sign(body) }, "Sign the approval"),
              h("button", { type: "button", class: "secondary", onclick: () => summary.remove() }, "Back to the form"),
            ),
          );
          form.append(summary);
          summary.querySelector("button").focus();
        });
        return form;
      })()
    : null;

  // Who may assign is the server's answer (assignable is empty for others).
  const assignForm = (u.assignable || []).length
    ? (() => {
        const select = h(
          "select",
          { id: "assign-to", "data-field": "assignee_id" },
          h("option", { value: "0" }, "Nobody"),
          u.assignable.map((p) => h("option", { value: String(p.id), selected: u.assignee?.id === p.id }, p.name)),
        );
        const form = h(
          "form",
          { class: "inline-form", "aria-label": "Assign" },
          h("label", { for: "assign-to", class: "inline-label" }, "Assign to "),
          select,
          " ",
          h("button", { type: "submit", class: "secondary" }, "Assign"),
        );
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          try {
            await api("PUT", `/use-cases/${u.id}/assignee`, { assignee_id: Number(select.value) });
            toast("Assigned. Recorded in the audit log.");
            route();
          } catch (error) {
            showError(form, error);
          }
        });
        return form;
      })()
    : null;

  const commentForm = h(
    "form",
    { "aria-label": "Add a comment" },
    h("label", { for: "comment" }, "Comment"),
    h("textarea", { id: "comment", "data-field": "body" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "secondary" }, "Add comment")),
  );
  commentForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("POST", `/use-cases/${u.id}/comments`, { body: commentForm.querySelector("#comment").value });
      route();
    } catch (error) {
      showError(commentForm, error);
    }
  });

  const facts = [];
  const flatten = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj || {})) {
      if (k === "pipeline") continue;
      const path = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === "object" && !Array.isArray(v)) flatten(v, path);
      else facts.push([path, Array.isArray(v) ? (v.length ? v.join(", ") : "none") : String(v)]);
    }
  };
  flatten(u.declaration, "");
  (u.declaration?.pipeline || []).forEach((s, i) =>
    facts.push([
      `pipeline[${i}]`,
      Object.entries(s)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; "),
    ]),
  );

  show(
    h("p", {}, h("a", { href: `#/p/${pid}` }, "← Production")),
    h("h1", {}, `#${u.id} ${u.summary || ""}`),
    h(
      "p",
      {},
      badge("s", u.state),
      " ",
      outcomeBadge(u.outcome),
      " ",
      h(
        "span",
        { class: "muted" },
        `revision ${u.revision}, updated ${when(u.updated_at)}`,
        u.created_by_name ? `, declared by ${u.created_by_name}` : "",
      ),
    ),
    h("p", { id: "assignee" }, "Assigned to: ", u.assignee ? h("strong", {}, u.assignee.name) : "nobody"),
    assignForm,
    h(
      "div",
      { class: "actions" },
      buttons,
      h("span", { class: "spacer" }),
      buttons.length > 1 ? [h("label", { for: "note", class: "inline-label" }, "Note: "), noteInput] : null,
    ),
    h(
      "div",
      { class: "grid" },
      h(
        "div",
        {},
        h(
          "section",
          { class: "card", "aria-labelledby": "decision-title" },
          h("h2", { id: "decision-title" }, "Decision"),
          renderDecision(u.decision),
        ),
        h(
          "section",
          { class: "card", "aria-labelledby": "approvals-title" },
          h("h2", { id: "approvals-title" }, "Written approvals"),
          u.approvals.length
            ? u.approvals.map((a) =>
                h(
                  "div",
                  { class: "rule o-notify" },
                  h("strong", {}, a.granted ? "Approved" : "Refused"),
                  ` ${when(a.created_at)} by ${a.approver_name || a.signer_name}`,
                  a.signer_name && a.signer_name !== a.approver_name ? ` (signed "${a.signer_name}")` : "",
                  a.reason ? h("div", {}, "Reason: ", a.reason) : null,
                  a.outdated ? h("span", { class: "badge s-rejected" }, "outdated: the declaration changed") : null,
                  a.granted
                    ? h(
                        "div",
                        {},
                        h(
                          "a",
                          {
                            href: `/api/v1/approvals/${a.id}/certificate.pdf`,
                            download: `approval-${a.id}-certificate.pdf`,
                          },
                          "Download the certificate (PDF)",
                        ),
                        " or ",
                        h(
                          "a",
                          {
                            href: `/api/v1/approvals/${a.id}/certificate`,
                            download: `approval-${a.id}-certificate.json`,
                          },
                          "as JSON",
                        ),
                        h(
                          "span",
                          { class: "muted" },
                          " (either checks offline with clearcut audit verify-certificate)",
                        ),
                      )
                    : null,
                  h("div", {}, "Conditions: ", a.conditions || "none"),
                  h(
                    "div",
                    { class: "muted" },
                    `Scope: ${a.scope?.final_use ? "final use" : "not for final use"}${a.scope?.deliverables?.length ? ", " + a.scope.deliverables.join(", ") : ""}${a.expires_at ? `; expires ${when(a.expires_at)}` : ""}`,
                  ),
                ),
              )
            : h("p", { class: "muted" }, "None yet."),
        ),
        u.state === "draft"
          ? null
          : checklistSection(
              u,
              checklist,
              (isContact || isLegal) && u.state !== "withdrawn" && u.state !== "rejected",
              isLegal && u.state !== "withdrawn" && u.state !== "rejected",
            ),
        attachmentSection(u, attachments, isContact || isLegal),
        approvalForm,
        h(
          "section",
          { class: "card", "aria-labelledby": "declaration-title" },
          h("h2", { id: "declaration-title" }, "Declaration"),
          h(
            "dl",
            { class: "kv" },
            facts.map(([k, v]) => [h("dt", { title: k }, label(k)), h("dd", {}, v)]),
          ),
        ),
      ),
      h(
        "div",
        {},
        h(
          "section",
          { class: "card", "aria-labelledby": "history-title" },
          h("h2", { id: "history-title" }, "History (audit log)"),
          h(
            "ol",
            {},
            u.events.map((e) =>
              h(
                "li",
                {},
                h("strong", {}, e.kind.replace("_", " ")),
                ` ${e.from_state ? e.from_state + " → " : ""}${e.to_state}`,
                h(
                  "div",
                  { class: "muted" },
                  `${when(e.at)}${e.actor_id ? ` by ${e.actor_name || "someone no longer here"}` : " by the policy"}`,
                ),
                e.note ? h("div", {}, e.note) : null,
              ),
            ),
          ),
        ),
        h(
          "section",
          { class: "card", "aria-labelledby": "comments-title" },
          h("h2", { id: "comments-title" }, "Comments"),
          u.comments.map((c) =>
            h(
              "div",
              { class: "rule" },
              h("div", { class: "muted" }, `${c.author_name || "someone no longer here"}, ${when(c.created_at)}`),
              c.body,
            ),
          ),
          commentForm,
        ),
      ),
    ),
  );
}

// ---------- admin ----------
