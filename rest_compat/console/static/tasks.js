// Task cards: status, progress and waiting reason, then each clip's cover, player, lyrics, downloads and
// song operations. Cards update in place, so a playing clip keeps playing while its task changes.
import { request, subscriptions } from "./graphql.js";
import { $, copyText, el, errorText, formatDate, formatSeconds, notify } from "./ui.js";
import { operationMenu } from "./operations.js";

export const TASK_FIELDS = `id action status progress failReason waitingReason submittedAt finishedAt
  clips { id title status audioUrl imageUrl duration tags prompt modelName
    assets { kind state reason url contentType } }
  lyrics { title text status }
  request { __typename ... on MusicRequest { title tags gptDescriptionPrompt model makeInstrumental }
    ... on LyricsRequest { prompt } }`;
export const TERMINAL = ["SUCCESS", "FAILURE"];
const DOWNLOAD_LABELS = { audio: "MP3", wav: "WAV", video: "Video", image: "Cover" };

function taskTitle(task) {
  const clipTitle = task.clips.find((c) => c.title)?.title;
  const req = task.request || {};
  return clipTitle || req.title || task.lyrics?.title || req.gptDescriptionPrompt || req.prompt || "Untitled";
}

function readyAsset(clip, kind) {
  return clip.assets.find((a) => a.kind === kind && a.state === "ready") || null;
}

function clipKey(clip) {
  const assets = clip.assets.map((a) => `${a.kind}:${a.state}:${a.url.split("?")[0]}`).join(",");
  return [clip.id, clip.status, clip.title, clip.duration, assets, (clip.audioUrl || "").split("?")[0]].join("|");
}

function player(clip) {
  const audio = readyAsset(clip, "audio");
  if (audio) {
    return el("audio", { controls: true, preload: "metadata", src: audio.url, "aria-label": `Play ${clip.title || clip.id}` });
  }
  if (clip.audioUrl && clip.status === "streaming") {
    // Suno's own stream, fetched only when the listener presses play (the page loads nothing from Suno).
    return el("div", { class: "stream" },
      el("audio", { controls: true, preload: "none", src: clip.audioUrl, "aria-label": `Live stream of ${clip.title || clip.id}` }),
      el("small", {}, "Live stream from Suno while the song is made"));
  }
  const copy = clip.assets.find((a) => a.kind === "audio");
  if (copy) return el("p", { class: "muted" }, `Audio: ${copy.state}${copy.reason ? ` (${copy.reason})` : ""}`);
  return el("p", { class: "muted" }, clip.status === "complete" ? "No playable copy yet." : `Audio: ${clip.status}`);
}

function downloads(clip, schema) {
  const links = clip.assets
    .filter((a) => a.state === "ready")
    .map((a) => el("a", { class: "button small", href: a.url, download: "", rel: "noopener" }, DOWNLOAD_LABELS[a.kind] || a.kind));
  const audio = readyAsset(clip, "audio");
  if (audio) {
    links.push(el("button", { type: "button", class: "small", onclick: async () => {
      await copyText(new URL(audio.url, document.baseURI).href);
      notify("Link copied (it is signed and expires).");
    } }, "Copy link"));
  }
  if (schema.queryField("alignedLyrics") && clip.status === "complete") {
    links.push(el("button", { type: "button", class: "small", onclick: () => downloadLrc(clip) }, "LRC"));
  }
  return links.length ? el("div", { class: "downloads" }, links) : null;
}

async function downloadLrc(clip) {
  try {
    const data = await request("query($id: ID!) { alignedLyrics(clipId: $id) { lrc } }", { id: clip.id });
    if (!data.alignedLyrics) return notify("Suno has no timed lyrics for this clip.", "error");
    const url = URL.createObjectURL(new Blob([data.alignedLyrics.lrc], { type: "text/plain" }));
    el("a", { href: url, download: `${clip.title || clip.id}.lrc` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (error) {
    notify(errorText(error), "error");
  }
}

function clipView(clip, context) {
  const cover = readyAsset(clip, "image");
  return el("article", { class: "clip", dataset: { clipId: clip.id, key: clipKey(clip) } },
    cover
      ? el("img", { class: "cover", src: cover.url, alt: `Cover of ${clip.title || "the clip"}`, loading: "lazy" })
      : el("div", { class: "cover placeholder", "aria-hidden": "true" }, "♪"),
    el("div", { class: "clip-body" },
      el("h4", {}, clip.title || "Untitled clip", " ",
        el("span", { class: "muted" }, [formatSeconds(clip.duration), clip.modelName].filter(Boolean).join(" · "))),
      clip.tags ? el("p", { class: "tags" }, clip.tags) : null,
      player(clip),
      clip.prompt ? el("details", { class: "lyrics" }, el("summary", {}, "Lyrics"), el("pre", {}, clip.prompt)) : null,
      downloads(clip, context.schema),
      clip.status === "complete" ? operationMenu(clip, context) : null));
}

function statusLine(task) {
  return el("p", { class: "status-line" },
    el("span", { class: `badge ${task.status.toLowerCase()}`, dataset: { status: task.status } }, task.status.replace("_", " ")),
    " ", el("span", { class: "progress" }, task.progress),
    task.waitingReason ? el("span", { class: "waiting" }, ` — ${task.waitingReason}`) : null,
    task.failReason ? el("span", { class: "fail" }, ` — ${task.failReason}`) : null);
}

function progressBar(task) {
  const value = Number.parseInt(task.progress, 10);
  return el("progress", { max: 100, value: Number.isNaN(value) ? 0 : value, "aria-label": "Progress" });
}

// One card per task, updated in place.
export class TaskCard {
  constructor(task, context) {
    this.context = context;
    this.seen = [];
    this.node = el("li", { class: "task", dataset: { taskId: task.id } });
    this.update(task);
  }

  update(task) {
    this.task = task;
    if (this.seen.at(-1) !== task.status) this.seen.push(task.status);
    this.node.dataset.status = task.status;
    this.node.dataset.seen = this.seen.join(" ");
    const header = el("header", {},
      el("h3", {}, taskTitle(task)),
      el("p", { class: "muted" }, `${task.action.toLowerCase()} · ${formatDate(task.submittedAt)}`),
      statusLine(task), TERMINAL.includes(task.status) ? null : progressBar(task),
      this.seen.length > 1 ? el("p", { class: "timeline muted" }, `Seen here: ${this.seen.map((s) => s.replace("_", " ").toLowerCase()).join(" → ")}`) : null,
      task.lyrics?.text ? el("details", {}, el("summary", {}, "Lyrics written"), el("pre", {}, task.lyrics.text)) : null);
    const old = $("header", this.node);
    if (old) old.replaceWith(header);
    else this.node.append(header);
    this.updateClips(task.clips);
  }

  updateClips(clips) {
    let list = $(".clips", this.node);
    if (!list) {
      list = el("div", { class: "clips" });
      this.node.append(list);
    }
    for (const clip of clips) {
      const existing = list.querySelector(`[data-clip-id="${CSS.escape(clip.id)}"]`);
      const playing = existing && [...existing.querySelectorAll("audio")].some((a) => !a.paused);
      if (existing && (existing.dataset.key === clipKey(clip) || playing)) continue;
      const view = clipView(clip, this.context);
      if (existing) existing.replaceWith(view);
      else list.append(view);
    }
  }
}

// The live list: tasks made here or still running at load, followed by subscription, never polled.
export class LiveTasks {
  constructor(list, context) {
    this.list = list;
    this.context = context;
    this.cards = new Map();
    this.stops = new Map();
  }

  show(task) {
    let card = this.cards.get(task.id);
    // Screen readers hear each status move of a song being made (the cards change silently).
    if (card && card.task.status !== task.status) {
      $("#announce").textContent = `${taskTitle(task)}: ${task.status.replace("_", " ").toLowerCase()}`;
    }
    if (card) card.update(task);
    else {
      card = new TaskCard(task, this.context);
      this.cards.set(task.id, card);
      this.list.prepend(card.node);
      $("#live-empty").hidden = true;
    }
    if (TERMINAL.includes(task.status)) {
      this.context.onFinished?.(task);
      this.awaitMirror(task, 0);
    }
    return card;
  }

  // sunoql copies a finished song's media right after SUCCESS, and no task event says when the copy is
  // ready: ask again a few times, further apart each time, until no clip's copy is pending.
  awaitMirror(task, attempt) {
    const pending = task.clips.some((c) => c.assets.some((a) => a.state === "pending"));
    if (!pending || attempt >= 8 || this.mirrorWaits?.has(task.id)) return;
    this.mirrorWaits ||= new Set();
    this.mirrorWaits.add(task.id);
    setTimeout(async () => {
      this.mirrorWaits.delete(task.id);
      try {
        const data = await request(`query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`, { id: task.id });
        if (!data.task) return;
        this.cards.get(task.id)?.update(data.task);
        const stillPending = data.task.clips.some((c) => c.assets.some((a) => a.state === "pending"));
        if (stillPending) this.awaitMirror(data.task, attempt + 1);
        else this.context.onFinished?.(data.task);
      } catch (error) {
        notify(errorText(error), "error");
      }
    }, 500 * 2 ** attempt);
  }

  follow(task) {
    this.show(task);
    if (TERMINAL.includes(task.status) || this.stops.has(task.id)) return;
    const stop = subscriptions.subscribe(
      `subscription($id: ID!) { taskProgress(id: $id) { ${TASK_FIELDS} } }`, { id: task.id }, {
        next: (data) => this.show(data.taskProgress),
        error: (error) => notify(errorText(error), "error"),
        complete: () => this.stops.delete(task.id),
      });
    this.stops.set(task.id, stop);
  }

  // Everything still running when the page opens, in one tasksProgress subscription.
  async resume() {
    const running = this.context.schema.enumValues("TaskStatus").filter((s) => !TERMINAL.includes(s));
    const data = await request(`query($status: [TaskStatus!]) { tasks(first: 20, status: $status) { nodes { ${TASK_FIELDS} } } }`, { status: running });
    const tasks = data.tasks.nodes.reverse();
    tasks.forEach((task) => this.show(task));
    if (!tasks.length) return;
    const ids = tasks.map((t) => t.id);
    const stop = subscriptions.subscribe(
      `subscription($ids: [ID!]!) { tasksProgress(ids: $ids) { ${TASK_FIELDS} } }`, { ids }, {
        next: (data) => this.show(data.tasksProgress),
        error: (error) => notify(errorText(error), "error"),
      });
    ids.forEach((id) => this.stops.set(id, stop));
  }

  clearFinished() {
    for (const [id, card] of this.cards) {
      if (!TERMINAL.includes(card.task.status)) continue;
      card.node.remove();
      this.cards.delete(id);
    }
    $("#live-empty").hidden = this.cards.size > 0;
  }
}

