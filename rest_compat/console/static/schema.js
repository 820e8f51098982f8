// What the running server offers, read by introspection: the console shows only what exists.
import { request } from "./graphql.js";

const TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
const INTROSPECTION = `{ __schema {
  queryType { name } mutationType { name } subscriptionType { name }
  types { kind name
    fields { name args { name defaultValue type { ${TYPE_REF} } } type { ${TYPE_REF} } }
    inputFields { name description defaultValue type { ${TYPE_REF} } }
    enumValues { name } } } }`;

export function unwrap(type) {
  let t = type;
  while (t.ofType) t = t.ofType;
  return t;
}

// An argument the caller must give: non-null without a default.
export function needsValue(arg) {
  return isRequired(arg.type) && arg.defaultValue == null;
}

export function isRequired(type) {
  return type.kind === "NON_NULL";
}

export function isList(type) {
  let t = type;
  while (t) {
    if (t.kind === "LIST") return true;
    t = t.ofType;
  }
  return false;
}

export class Schema {
  constructor(raw) {
    this.types = new Map(raw.types.map((t) => [t.name, t]));
    this.query = this.types.get(raw.queryType.name);
    this.mutation = raw.mutationType ? this.types.get(raw.mutationType.name) : null;
    this.subscription = raw.subscriptionType ? this.types.get(raw.subscriptionType.name) : null;
  }

  static async load() {
    const data = await request(INTROSPECTION);
    return new Schema(data.__schema);
  }

  field(typeName, name) {
    return (this.types.get(typeName)?.fields || []).find((f) => f.name === name) || null;
  }

  hasField(typeName, name) {
    return this.field(typeName, name) !== null;
  }

  queryField(name) {
    return this.field(this.query.name, name);
  }

  mutationField(name) {
    return this.mutation ? this.field(this.mutation.name, name) : null;
  }

  subscriptionField(name) {
    return this.subscription ? this.field(this.subscription.name, name) : null;
  }

  inputFields(typeName) {
    return this.types.get(typeName)?.inputFields || [];
  }

  hasInput(typeName, name) {
    return this.inputFields(typeName).some((f) => f.name === name);
  }

  enumValues(typeName) {
    return (this.types.get(typeName)?.enumValues || []).map((v) => v.name);
  }

  // A selection of every scalar and enum field of a type, objects `depth` levels down (no arguments).
  selection(typeName, depth = 1, skip = ["raw"]) {
    const parts = [];
    for (const field of this.types.get(typeName)?.fields || []) {
      if (skip.includes(field.name) || field.args.some(needsValue)) continue;
      const inner = unwrap(field.type);
      if (inner.kind === "SCALAR" || inner.kind === "ENUM") parts.push(field.name);
      else if (inner.kind === "OBJECT" && depth > 0) {
        const sub = this.selection(inner.name, depth - 1, skip);
        if (sub) parts.push(`${field.name} ${sub}`);
      }
    }
    return parts.length ? `{ ${parts.join(" ")} }` : "";
  }

  // Mutations on one song: a single `input` whose type has a required `clipId` (the song operations).
  songOperations() {
    const ops = [];
    for (const field of this.mutation?.fields || []) {
      if (field.args.length !== 1 || field.args[0].name !== "input") continue;
      const inputType = unwrap(field.args[0].type).name;
      const clip = this.inputFields(inputType).find((f) => f.name === "clipId");
      if (clip && isRequired(clip.type)) ops.push({ name: field.name, inputType, returns: unwrap(field.type).name });
    }
    return ops;
  }
}
