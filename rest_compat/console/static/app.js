// The console's start: the shell is already on screen; ask for the token only when the API wants one.
import { subscriptions, token } from "./graphql.js";
import { Schema } from "./schema.js";
import { $, errorText, notify } from "./ui.js";
import { AccountsPanel } from "./accounts.js";
import { buildCreateForm } from "./create.js";
import { History } from "./history.js";
import { LiveTasks, TASK_FIELDS } from "./tasks.js";
import { wireUpload } from "./upload.js";

function askForToken(message) {
  const dialog = $("#token-dialog");
  $("#token-message").textContent = message;
  dialog.hidden = false;
  $("#token-input").focus();
}

function wireTokenForm() {
  $("#token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("#token-input").value.trim();
    $("#token-input").value = "";
    if (!value) return;
    token.set(value);
    // Already running with the old token: start over, so every panel and the socket use the new one.
    if (started) return location.reload();
    $("#token-dialog").hidden = true;
    subscriptions.restart();
    start();
  });
  $("#forget-token").addEventListener("click", () => {
    token.clear();
    location.reload();
  });
}

let started = false;

async function start() {
  if (started) return;
  let schema;
  try {
    schema = await Schema.load();
  } catch (error) {
    if (error.code === "UNAUTHENTICATED") {
      askForToken(token.get() ? "That token was refused: enter the server's SECRET_TOKEN." : "This server needs its token (SECRET_TOKEN).");
      token.clear();
    } else notify(errorText(error), "error");
    return;
  }
  started = true;
  document.body.dataset.ready = "loading";
  $("#forget-token").hidden = !token.get();
  const context = { schema, taskFields: TASK_FIELDS };
  context.live = new LiveTasks($("#live-list"), context);
  const history = new History($("#history-form"), $("#history-list"), context);
  const accounts = new AccountsPanel($("#accounts-list"), context);
  context.history = history;
  let refresh = null;
  context.onFinished = () => {
    // A finished song shows up in the history and moves the credits: refresh both, once per burst.
    clearTimeout(refresh);
    refresh = setTimeout(() => { history.reload(); accounts.load(); }, 300);
  };
  subscriptions.onstate = (state) => {
    $("#live-state").textContent = state === "live" ? "live" : state;
    if (state === "unauthorized") askForToken("The token was refused.");
  };
  $("#clear-finished").addEventListener("click", () => context.live.clearFinished());
  $("#accounts-refresh").addEventListener("click", () => accounts.load(true));
  try {
    await Promise.all([buildCreateForm($("#create-form"), context), context.live.resume(), history.reload(), accounts.load()]);
    accounts.follow();
    wireUpload(context);
  } catch (error) {
    notify(errorText(error), "error");
  }
  document.body.dataset.ready = "true";
}

wireTokenForm();
start();
