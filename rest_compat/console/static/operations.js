// The song operations the server has (extend, cover, stems, remaster…), found by introspection: every
// mutation taking one `input` with a required `clipId`. Each one's form is built from its input type.
import { request } from "./graphql.js";
import { isRequired, unwrap } from "./schema.js";
import { el, errorText, field, notify } from "./ui.js";

const LABELS = {
  extendMusic: "Extend", coverMusic: "Cover", concatMusic: "Full song (concat)", separateStems: "Stems",
  remasterMusic: "Remaster", addVocals: "Add vocals", addInstrumental: "Add instrumental",
  generateVideo: "Video", createPersona: "Make a persona",
};
const LONG_TEXT = ["prompt", "description", "lyrics"];

export function humanize(name) {
  return LABELS[name] || name.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
}

function control(input, schema) {
  const type = unwrap(input.type);
  const name = input.name;
  if (type.kind === "ENUM") {
    const options = schema.enumValues(type.name).map((v) => el("option", { value: v }, v.toLowerCase()));
    return el("select", { name }, isRequired(input.type) ? null : el("option", { value: "" }, "—"), options);
  }
  if (type.name === "Boolean") return el("input", { type: "checkbox", name, dataset: { kind: "boolean" } });
  if (type.name === "Int" || type.name === "Float") {
    return el("input", { type: "number", name, step: type.name === "Int" ? "1" : "any", dataset: { kind: type.name } });
  }
  if (LONG_TEXT.includes(name)) return el("textarea", { name, rows: 3, required: isRequired(input.type) });
  return el("input", { type: "text", name, required: isRequired(input.type), autocomplete: "off" });
}

function readInput(form, inputs) {
  const values = {};
  for (const input of inputs) {
    const node = form.elements[input.name];
    if (!node) continue;
    if (node.dataset.kind === "boolean") {
      if (node.checked) values[input.name] = true;
    } else if (node.value !== "") {
      values[input.name] = node.dataset.kind === "Int" ? Number.parseInt(node.value, 10)
        : node.dataset.kind === "Float" ? Number.parseFloat(node.value) : node.value;
    }
  }
  return values;
}

function operationForm(operation, clip, context, close) {
  const inputs = context.schema.inputFields(operation.inputType)
    .filter((i) => i.name !== "clipId" && unwrap(i.type).name !== "Upload");
  const form = el("form", { class: "operation-form", dataset: { operation: operation.name } },
    el("h5", {}, `${humanize(operation.name)}: ${clip.title || clip.id}`),
    inputs.map((input) => field(humanize(input.name), control(input, context.schema), input.description || "")),
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary" }, humanize(operation.name)),
      el("button", { type: "button", onclick: close }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const selection = operation.returns === "Task" ? `{ ${context.taskFields} }` : context.schema.selection(operation.returns, 0);
    const mutation = `mutation($input: ${operation.inputType}!) { ${operation.name}(input: $input) ${selection} }`;
    try {
      const data = await request(mutation, { input: { clipId: clip.id, ...readInput(form, inputs) } });
      const result = data[operation.name];
      if (operation.returns === "Task") context.live.follow(result);
      notify(`${humanize(operation.name)} started.`);
      close();
    } catch (error) {
      notify(errorText(error), "error");
    }
  });
  return form;
}

export function operationMenu(clip, context) {
  const operations = context.schema.songOperations();
  if (!operations.length) return null;
  const menu = el("details", { class: "menu" }, el("summary", {}, "Song operations"));
  const slot = el("div", { class: "operation-slot" });
  const list = el("div", { class: "menu-items", role: "group", "aria-label": "Song operations" },
    operations.map((operation) => el("button", { type: "button", class: "small", onclick: () => {
      const close = () => { slot.replaceChildren(); menu.open = false; };
      const form = operationForm(operation, clip, context, close);
      slot.replaceChildren(form);
      form.querySelector("input, textarea, select, button")?.focus();
    } }, humanize(operation.name))));
  menu.append(list, slot);
  return menu;
}
