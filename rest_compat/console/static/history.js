// History: the tasks query, newest first, filtered by status and action on the server and by words on
// the loaded pages; "Load more" follows pageInfo.endCursor.
import { request } from "./graphql.js";
import { $, el, errorText, notify } from "./ui.js";
import { TaskCard } from "./tasks.js";

const PAGE_SIZE = 10;

function words(task) {
  const req = task.request || {};
  const clips = task.clips.flatMap((c) => [c.title, c.tags, c.prompt]);
  return [req.title, req.tags, req.gptDescriptionPrompt, req.prompt, task.lyrics?.title, ...clips]
    .filter(Boolean).join(" ").toLowerCase();
}

export class History {
  constructor(form, list, context) {
    this.form = form;
    this.list = list;
    this.context = context;
    this.cursor = null;
    this.tasks = [];
    this.cards = new Map(); // kept across reloads, so a clip playing in the history keeps playing
    const { schema } = context;
    const fill = (select, type) => select.append(...schema.enumValues(type).map((v) => el("option", { value: v }, v.replaceAll("_", " ").toLowerCase())));
    fill(form.elements.status, "TaskStatus");
    fill(form.elements.action, "TaskAction");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.reload();
    });
    form.elements.status.addEventListener("change", () => this.reload());
    form.elements.action.addEventListener("change", () => this.reload());
    form.elements.search.addEventListener("input", () => this.render());
    $("#history-more").addEventListener("click", () => this.more(false));
  }

  variables(after) {
    const status = this.form.elements.status.value;
    const action = this.form.elements.action.value;
    return { first: PAGE_SIZE, after, status: status ? [status] : null, action: action ? [action] : null };
  }

  // The first page again; what is shown stays until it arrives.
  reload() {
    return this.more(true);
  }

  async more(fromStart = false) {
    // Only the latest request's answer counts (a reload may overtake a "Load more").
    this.ticket = (this.ticket || 0) + 1;
    const ticket = this.ticket;
    try {
      const data = await request(`query($first: Int!, $after: String, $status: [TaskStatus!], $action: [TaskAction!]) {
        tasks(first: $first, after: $after, status: $status, action: $action) {
          nodes { ${this.context.taskFields} } pageInfo { hasNextPage endCursor } } }`, this.variables(fromStart ? null : this.cursor));
      if (ticket !== this.ticket) return;
      if (fromStart) this.tasks = [];
      this.tasks.push(...data.tasks.nodes);
      this.cursor = data.tasks.pageInfo.endCursor;
      $("#history-more").hidden = !data.tasks.pageInfo.hasNextPage;
      this.render();
    } catch (error) {
      notify(errorText(error), "error");
    }
  }

  render() {
    const needle = this.form.elements.search.value.trim().toLowerCase();
    const shown = this.tasks.filter((task) => !needle || words(task).includes(needle));
    const cards = shown.map((task) => {
      const card = this.cards.get(task.id);
      if (card) card.update(task);
      else this.cards.set(task.id, new TaskCard(task, this.context));
      return this.cards.get(task.id).node;
    });
    this.list.replaceChildren(...cards);
    $("#history-empty").hidden = shown.length > 0;
    $("#history-count").textContent = `${shown.length} of ${this.tasks.length} loaded`;
  }
}
