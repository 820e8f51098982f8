// Small DOM helpers: build elements from data (text only, never HTML strings), and say things aloud.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, "");
    else if (key === "href" || key === "src") node.setAttribute(key, safeUrl(value));
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Links come from the API (and, while a song streams, from Suno): only web and blob URLs become links.
export function safeUrl(value) {
  try {
    const url = new URL(String(value), document.baseURI);
    return ["http:", "https:", "blob:"].includes(url.protocol) ? url.href : "about:blank";
  } catch {
    return "about:blank";
  }
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

// One live region for the whole page: screen readers hear it, everyone sees it.
let noticeTimer = null;
export function notify(message, kind = "info") {
  const box = $("#notice");
  box.textContent = message;
  box.className = `notice ${kind}`;
  box.hidden = !message;
  clearTimeout(noticeTimer);
  // Good news fades; an error stays until the next message.
  if (kind === "info" && message) noticeTimer = setTimeout(() => { box.hidden = true; }, 8000);
}

export function errorText(error) {
  const details = error.errors?.[0]?.extensions;
  const field = details?.field ? ` (${details.field})` : "";
  return `${error.message}${field}`;
}

export function formatDate(value) {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

let unique = 0;
export function uid(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}

// A labelled form control; `control` is an input, select or textarea element.
export function field(label, control, hint = "") {
  control.id ||= uid("f");
  const hintNode = hint ? el("small", { id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return el("div", { class: "field" }, el("label", { for: control.id }, label), control, hintNode);
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API needs a secure context; plain http on a LAN falls back to a selection copy.
    const area = el("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}
