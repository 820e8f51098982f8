// The accounts panel: credits, downloads left, health and why, live from accountEvents when the server
// has it; a captcha token (solveChallenge) or a fresh cookie (updateAccount) handed in from here.
import { request, subscriptions } from "./graphql.js";
import { $, el, errorText, field, formatDate, notify } from "./ui.js";

const PROVIDERS = { 1: "hCaptcha", 2: "Turnstile" };

function stateOf(account) {
  if (account.state) return account.state;
  return account.healthy ? "HEALTHY" : "UNHEALTHY";
}

function reasonOf(account) {
  return account.stateReason || account.unusableReason || account.lastError || "";
}

function downloadsLeft(account) {
  const key = Object.keys(account).find((k) => /^downloads?(Left|Remaining)$/i.test(k));
  return key ? account[key] : null;
}

function fact(label, value) {
  return value === null || value === undefined || value === "" ? null : el("div", {}, el("dt", {}, label), el("dd", {}, String(value)));
}

export class AccountsPanel {
  constructor(root, context) {
    this.root = root;
    this.context = context;
    this.accounts = new Map();
    this.selection = context.schema.selection("SunoAccount", 0);
  }

  async load(refresh = false) {
    try {
      const data = await request(`query($refresh: Boolean!) { account(refresh: $refresh) { creditsLeft accounts ${this.selection} } }`, { refresh });
      this.accounts = new Map(data.account.accounts.map((a) => [a.name, a]));
      $("#credits-total").textContent = data.account.creditsLeft ?? "?";
      this.render();
      // Nothing cached yet (a fresh start): ask Suno once rather than show unknown credits.
      if (!refresh && data.account.creditsLeft === null) await this.load(true);
    } catch (error) {
      notify(errorText(error), "error");
    }
  }

  follow() {
    if (!this.context.schema.subscriptionField("accountEvents")) return;
    subscriptions.subscribe("subscription { accountEvents { account state previousState since reason challengeProvider } }", {}, {
      next: ({ accountEvents: event }) => {
        const account = this.accounts.get(event.account) || { name: event.account };
        this.accounts.set(event.account, { ...account, state: event.state, stateSince: event.since,
          stateReason: event.reason, challengeProvider: event.challengeProvider });
        this.render();
        if (event.previousState && event.previousState !== event.state) this.load();
      },
      error: (error) => notify(errorText(error), "error"),
    });
  }

  // A card is rebuilt only when what it shows changed, so a token being typed is not wiped by an event.
  render() {
    this.cards ||= new Map();
    const cards = [...this.accounts.values()].map((account) => {
      const key = JSON.stringify(account);
      const kept = this.cards.get(account.name);
      if (kept && kept.key === key) return kept.node;
      const node = this.card(account);
      this.cards.set(account.name, { key, node });
      return node;
    });
    this.root.replaceChildren(...(cards.length ? cards : [el("p", { class: "muted" }, "No account.")]));
  }

  card(account) {
    const state = stateOf(account);
    const limit = account.monthlyLimit ? ` / ${account.monthlyLimit}` : "";
    return el("article", { class: "account", dataset: { account: account.name, state } },
      el("h3", {}, account.name, " ", el("span", { class: `badge ${state.toLowerCase()}`, dataset: { state } }, state.replaceAll("_", " "))),
      el("dl", {},
        fact("Credits left", account.creditsLeft !== undefined && account.creditsLeft !== null ? `${account.creditsLeft}${limit}` : null),
        fact("Downloads left", downloadsLeft(account)),
        fact("Why", reasonOf(account)),
        fact("Since", formatDate(account.stateSince)),
        fact("Captcha", state === "CHALLENGE_REQUIRED" ? PROVIDERS[account.challengeProvider] || "yes" : null),
        fact("Running", account.inFlight !== undefined ? `${account.inFlight} of ${account.maxConcurrency}` : null)),
      state === "CHALLENGE_REQUIRED" ? this.challengeForm(account) : null,
      this.cookieForm(account));
  }

  challengeForm(account) {
    if (!this.context.schema.mutationField("solveChallenge")) {
      return el("p", { class: "muted" }, "Solve the captcha on suno.com with this account.");
    }
    const tokenInput = el("textarea", { name: "token", rows: 2, required: true, autocomplete: "off", spellcheck: "false" });
    const provider = el("select", { name: "provider" }, Object.entries(PROVIDERS).map(([value, label]) =>
      el("option", { value, selected: Number(value) === (account.challengeProvider || 1) }, label)));
    const form = el("form", { class: "challenge", dataset: { account: account.name } },
      el("h4", {}, "Captcha token"),
      field("Token", tokenInput, "Solve the captcha on suno.com/create and paste the token here."),
      field("Provider", provider),
      el("button", { type: "submit", class: "primary" }, "Send token"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await request(`mutation($account: String!, $token: String!, $provider: Int!) {
          solveChallenge(account: $account, token: $token, provider: $provider) { name } }`,
        { account: account.name, token: tokenInput.value.trim(), provider: Number(provider.value) });
        tokenInput.value = "";
        notify(`Token sent for ${account.name}.`);
        await this.load();
      } catch (error) {
        notify(errorText(error), "error");
      }
    });
    return form;
  }

  cookieForm(account) {
    if (!this.context.schema.mutationField("updateAccount")) return null;
    // Password fields: the cookie is never shown, and is cleared once sent.
    const cookie = el("input", { type: "password", name: "cookie", required: true, autocomplete: "off" });
    const sessionId = el("input", { type: "password", name: "sessionId", autocomplete: "off" });
    const form = el("form", { class: "cookie" },
      field("Cookie", cookie, "The whole Cookie header of a suno.com request."),
      field("Session id (optional)", sessionId),
      el("button", { type: "submit" }, "Replace cookie"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Taken out of the fields before anything else happens, so the page holds the secret no longer.
      const secrets = { cookie: cookie.value.trim(), sessionId: sessionId.value.trim() || null };
      cookie.value = "";
      sessionId.value = "";
      try {
        await request(`mutation($name: String!, $cookie: String!, $sessionId: String) {
          updateAccount(name: $name, cookie: $cookie, sessionId: $sessionId) { name } }`,
        { name: account.name, ...secrets });
        notify(`New cookie in use for ${account.name}.`);
        await this.load();
      } catch (error) {
        notify(errorText(error), "error");
      }
    });
    return el("details", { class: "cookie-box" }, el("summary", {}, "Fresh cookie"), form);
  }
}
