// The create form: inspiration, custom (with lyrics, which Suno can write) and instrumental modes, the
// model picker and the v6 controls, each shown only when the server's GenerateMusicInput has it.
import { request, subscriptions } from "./graphql.js";
import { needsValue, unwrap } from "./schema.js";
import { $, el, errorText, field, notify } from "./ui.js";

const INPUT = "GenerateMusicInput";
// [field, label, attributes, hint]; numbers left blank are not sent (Suno's default).
const V6_CONTROLS = [
  ["weirdness", "Weirdness", { type: "number", min: 0, max: 1, step: 0.05 }, "0 – 1"],
  ["styleWeight", "Style weight", { type: "number", min: 0, max: 1, step: 0.05 }, "0 – 1"],
  ["audioWeight", "Audio weight", { type: "number", min: 0, max: 1, step: 0.05 }, "0 – 1"],
  ["variety", "Variety", { type: "number", min: 0, max: 4, step: 1 }, "0 – 4"],
  ["durationSeconds", "Duration (s)", { type: "number", min: 10, max: 360, step: 1 }, "10 – 360"],
  ["maxMode", "Max mode", { type: "checkbox" }, ""],
  ["mumble", "Mumble", { type: "checkbox" }, ""],
];
const FLOATS = ["weirdness", "styleWeight", "audioWeight"];

async function loadModels(schema) {
  const models = schema.queryField("models");
  if (models && !models.args.some(needsValue)) {
    const type = unwrap(models.type).name;
    const data = await request(`{ models ${schema.selection(type, 1)} }`);
    // Each account lists its models: one entry per key, usable or default when any account says so.
    const byKey = new Map();
    for (const m of data.models) {
      const value = m.key ?? m.name;
      const seen = byKey.get(value);
      const entry = {
        value, label: m.name && m.name !== m.key ? `${m.name} (${m.key})` : m.key,
        isDefault: Boolean(m.default) || Boolean(seen?.isDefault), usable: m.usable !== false || Boolean(seen?.usable),
      };
      byKey.set(value, entry);
    }
    return [...byKey.values()];
  }
  const data = await request("{ knownModels }");
  return data.knownModels.map((name, index) => ({ value: name, label: name, isDefault: index === 0, usable: true }));
}

function modelPicker(models) {
  return el("select", { name: "model", id: "model" }, models.map((m) =>
    el("option", { value: m.value, selected: m.isDefault, disabled: !m.usable }, m.usable ? m.label : `${m.label} — not available`)));
}

// A persona (a voice made from one of your songs) when the server has both the input and the list.
async function personaPicker(schema) {
  if (!schema.hasInput(INPUT, "personaId") || !schema.queryField("personas")) return null;
  const data = await request("{ personas { id name } }");
  if (!data.personas.length) return null;
  return field("Persona", el("select", { name: "personaId", id: "persona" }, el("option", { value: "" }, "None"),
    ...data.personas.map((p) => el("option", { value: p.id }, p.name))));
}

function v6Fieldset(schema) {
  const controls = V6_CONTROLS.filter(([name]) => schema.hasInput(INPUT, name));
  if (!controls.length) return null;
  return el("details", { class: "v6" }, el("summary", {}, "Advanced (v6 controls)"),
    el("div", { class: "grid" }, controls.map(([name, label, attrs, hint]) =>
      field(label, el("input", { name, id: `c-${name}`, ...attrs }), hint))));
}

function readControls(form, schema) {
  const input = {};
  for (const [name, , attrs] of V6_CONTROLS) {
    const node = form.elements[name];
    if (!node || !schema.hasInput(INPUT, name)) continue;
    if (attrs.type === "checkbox") {
      if (node.checked) input[name] = true;
    } else if (node.value !== "") {
      input[name] = FLOATS.includes(name) ? Number.parseFloat(node.value) : Number.parseInt(node.value, 10);
    }
  }
  return input;
}

export function readSong(form, schema) {
  const mode = form.elements.mode.value;
  const value = (name) => form.elements[name].value.trim();
  const input = { model: value("model"), ...readControls(form, schema) };
  if (mode === "inspiration") {
    input.gptDescriptionPrompt = value("description");
    if (form.elements.inspirationInstrumental.checked) input.makeInstrumental = true;
  } else {
    input.title = value("title");
    input.tags = value("tags");
    if (mode === "custom") input.prompt = value("lyrics");
    else input.makeInstrumental = true;
  }
  if (value("negativeTags")) input.negativeTags = value("negativeTags");
  // A voice (gender or persona) only for a song that has one.
  const sung = mode !== "instrumental" && !input.makeInstrumental;
  if (sung && form.elements.personaId?.value) input.personaId = form.elements.personaId.value;
  if (sung && value("vocalGender")) input.vocalGender = value("vocalGender");
  return input;
}

function showMode(form) {
  const mode = form.elements.mode.value;
  for (const part of form.querySelectorAll("[data-mode]")) part.hidden = !part.dataset.mode.split(" ").includes(mode);
  form.elements.description.required = mode === "inspiration";
}

// Suno writes lyrics from a few words; the form waits for them on taskProgress, not by polling.
async function writeLyrics(form, taskFields) {
  const about = form.elements.lyricsAbout.value.trim();
  if (!about) return notify("Say what the lyrics should be about.", "error");
  const button = $("#write-lyrics");
  button.disabled = true;
  try {
    const data = await request(`mutation($input: GenerateLyricsInput!) { generateLyrics(input: $input) { id } }`, { input: { prompt: about } });
    notify("Suno is writing lyrics…");
    const stop = subscriptions.subscribe(`subscription($id: ID!) { taskProgress(id: $id) { ${taskFields} } }`,
      { id: data.generateLyrics.id }, {
        next: ({ taskProgress: task }) => {
          if (task.status === "FAILURE") notify(`Lyrics failed: ${task.failReason}`, "error");
          if (task.status === "SUCCESS" || task.status === "FAILURE") button.disabled = false;
          if (task.status !== "SUCCESS" || !task.lyrics) return;
          form.elements.lyrics.value = task.lyrics.text;
          if (!form.elements.title.value) form.elements.title.value = task.lyrics.title;
          notify("Lyrics written: edit them as you like.");
          stop();
        },
        error: (error) => notify(errorText(error), "error"),
        complete: () => { button.disabled = false; },
      });
  } catch (error) {
    notify(errorText(error), "error");
    button.disabled = false;
  }
}

export async function buildCreateForm(form, context) {
  const { schema } = context;
  const models = await loadModels(schema);
  $("#model-slot").replaceChildren(field("Model", modelPicker(models)));
  const persona = await personaPicker(schema);
  if (persona) $("#persona-slot").replaceChildren(persona);
  const v6 = v6Fieldset(schema);
  if (v6) $("#v6-slot").replaceChildren(v6);
  const genders = schema.enumValues("VocalGender");
  form.elements.vocalGender.replaceChildren(el("option", { value: "" }, "Any"),
    ...genders.map((g) => el("option", { value: g }, g.toLowerCase())));
  for (const radio of form.elements.mode) radio.addEventListener("change", () => showMode(form));
  showMode(form);
  $("#write-lyrics").addEventListener("click", () => writeLyrics(form, context.taskFields));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = $("button[type=submit]", form);
    submit.disabled = true;
    try {
      const data = await request(`mutation($input: ${INPUT}!) { generateMusic(input: $input) { ${context.taskFields} } }`,
        { input: readSong(form, schema) });
      context.live.follow(data.generateMusic);
      notify("Song started: follow it under “Now cooking”.");
    } catch (error) {
      notify(errorText(error), "error");
    } finally {
      submit.disabled = false;
    }
  });
  form.hidden = false;
  $("#create-waiting").hidden = true;
}
