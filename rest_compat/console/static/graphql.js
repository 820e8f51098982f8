// sunoql's GraphQL API from the browser: queries over HTTP, subscriptions over one graphql-transport-ws
// socket (the protocol of https://github.com/enisdenjo/graphql-ws, written out here: no dependency).
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
    this.code = errors[0]?.extensions?.code || null;
  }
}

const TOKEN_KEY = "sunoql:token";

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function authHeaders() {
  const value = token.get();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

// Relative to the page, so the console also works behind a reverse proxy's path prefix.
const HTTP_URL = new URL("graphql", document.baseURI).href;
const WS_URL = HTTP_URL.replace(/^http/, "ws");

export async function request(query, variables = {}) {
  let response;
  try {
    response = await fetch(HTTP_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...authHeaders() },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60000), // a request never hangs the page
    });
  } catch (error) {
    throw new GraphQLError([{ message: `sunoql is unreachable (${error.message})`, extensions: { code: "NETWORK" } }]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLError([{ message: `HTTP ${response.status}`, extensions: { code: "HTTP" } }]);
  }
  if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
  return body.data;
}

// One socket for every subscription; reconnects with a growing pause and resubscribes.
class Subscriptions {
  constructor() {
    this.socket = null;
    this.acknowledged = false;
    this.active = new Map(); // id → {payload, sink}
    this.nextId = 1;
    this.retry = 0;
    this.onstate = () => {};
  }

  subscribe(query, variables, sink) {
    const id = String(this.nextId++);
    this.active.set(id, { payload: { query, variables }, sink });
    this.open();
    if (this.acknowledged) this.send({ id, type: "subscribe", payload: { query, variables } });
    return () => {
      if (!this.active.delete(id)) return;
      if (this.acknowledged) this.send({ id, type: "complete" });
    };
  }

  // After a new token: the socket's connection_init carried the old one.
  restart() {
    if (this.socket) this.socket.close(1000, "new token");
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  open() {
    if (this.socket) return;
    const socket = new WebSocket(WS_URL, "graphql-transport-ws");
    this.socket = socket;
    this.acknowledged = false;
    socket.onopen = () => this.send({ type: "connection_init", payload: authHeaders() });
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = (event) => this.closed(event);
  }

  receive(message) {
    const entry = message.id ? this.active.get(message.id) : null;
    switch (message.type) {
      case "connection_ack":
        this.acknowledged = true;
        this.retry = 0;
        this.onstate("live");
        for (const [id, { payload }] of this.active) this.send({ id, type: "subscribe", payload });
        break;
      case "ping":
        this.send({ type: "pong" });
        break;
      case "next":
        if (!entry) break;
        if (message.payload.errors) entry.sink.error(new GraphQLError(message.payload.errors));
        else entry.sink.next(message.payload.data);
        break;
      case "error":
        if (!entry) break;
        this.active.delete(message.id);
        entry.sink.error(new GraphQLError(message.payload));
        break;
      case "complete":
        if (!entry) break;
        this.active.delete(message.id);
        entry.sink.complete?.();
        break;
    }
  }

  closed(event) {
    this.socket = null;
    this.acknowledged = false;
    if (event.code === 4403 || event.code === 4401) {
      this.onstate("unauthorized");
      for (const { sink } of this.active.values()) {
        sink.error(new GraphQLError([{ message: "a token is needed", extensions: { code: "UNAUTHENTICATED" } }]));
      }
      this.active.clear();
      return;
    }
    if (!this.active.size) return;
    this.onstate("reconnecting");
    const pause = Math.min(30000, 500 * 2 ** this.retry++);
    setTimeout(() => this.active.size && this.open(), pause);
  }
}

export const subscriptions = new Subscriptions();
