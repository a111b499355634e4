// The home page: My tasks and the productions.

import { ageText, api, h, loadProductions, plural, show, state, when } from "./core.js";

// The use cases waiting on the reader: overdue first (said in words, not by colour alone).
export function tasksSection(tasks) {
  const rows = tasks.map((t) =>
    h(
      "tr",
      { class: t.overdue ? "overdue" : null, "data-use-case": t.use_case_id },
      h(
        "td",
        {},
        h("a", { href: `#/u/${t.use_case_id}` }, t.summary || `Use case #${t.use_case_id}`),
        t.on_behalf_of ? h("div", { class: "muted" }, `for ${t.on_behalf_of.name}`) : null,
      ),
      h("td", {}, t.production.title || t.production.code),
      h("td", {}, t.todo),
      h("td", {}, ageText(t.age_seconds)),
      h(
        "td",
        {},
        t.due_at ? when(t.due_at) : "—",
        t.overdue ? h("div", {}, h("strong", { class: "badge s-rejected" }, "Overdue")) : null,
      ),
      h("td", { class: "assignee" }, t.assignee ? t.assignee.name : h("span", { class: "muted" }, "nobody")),
    ),
  );
  return h(
    "section",
    { "aria-labelledby": "tasks-title" },
    h("h1", { id: "tasks-title" }, "My tasks"),
    tasks.length === 0
      ? h("p", { id: "no-tasks" }, "Nothing is waiting on you.")
      : h(
          "table",
          { id: "tasks" },
          h(
            "caption",
            { class: "muted" },
            `${plural(tasks.length, "case waits", "cases wait")} on you; ` +
              `${tasks.filter((t) => t.overdue).length} overdue.`,
          ),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, "Use case"),
              h("th", {}, "Production"),
              h("th", {}, "What to do"),
              h("th", {}, "Waiting"),
              h("th", {}, "Due"),
              h("th", {}, "Assigned to"),
            ),
          ),
          h("tbody", {}, rows),
        ),
  );
}

export async function viewHome() {
  const [tasks, productions] = await Promise.all([api("GET", "/me/tasks"), loadProductions()]);
  const rows = productions.map((p) => {
    const roles = (state.me.roles || []).filter((r) => r.production_id === p.id).map((r) => r.role);
    return h(
      "tr",
      {},
      h("td", {}, h("a", { href: `#/p/${p.id}` }, p.title || p.code)),
      h("td", {}, p.code),
      h("td", {}, roles.join(", ") || (state.me.admin ? "admin" : "")),
    );
  });
  show(
    tasksSection(tasks.items),
    h("h2", {}, "Your productions"),
    productions.length === 0
      ? h("p", {}, "You are not on any production yet. An admin assigns roles.")
      : h(
          "table",
          {},
          h("thead", {}, h("tr", {}, h("th", {}, "Title"), h("th", {}, "Code"), h("th", {}, "Your role"))),
          h("tbody", {}, rows),
        ),
  );
}
