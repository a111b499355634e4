// OpenAPI 3.0 schema objects as JSON Schema for ajv. `nullable: true` admits null; the
// OpenAPI-only keywords go. With `strict`, objects built from `allOf` branches are merged and
// every object schema that lists properties but says nothing about others refuses them, so that
// a field the server sends but the document does not describe is caught. Takes dereferenced
// schemas (SwaggerParser.dereference).

const dropped = new Set([
  "nullable",
  "example",
  "examples",
  "xml",
  "externalDocs",
  "deprecated",
  "discriminator",
  "readOnly",
  "writeOnly",
]);

function mergeAllOf(schema) {
  const branches = schema.allOf.map((b) => (b.allOf ? mergeAllOf(b) : b));
  if (!branches.every((b) => b.type === "object" || b.properties)) {
    return null;
  }
  const merged = { type: "object", properties: {}, required: [] };
  for (const b of branches) {
    Object.assign(merged.properties, b.properties ?? {});
    merged.required.push(...(b.required ?? []));
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key !== "allOf") {
      merged[key] = value;
    }
  }
  return merged;
}

export function toJsonSchema(schema, { strict = false } = {}) {
  const convert = (s) => {
    if (Array.isArray(s)) {
      return s.map(convert);
    }
    if (s === null || typeof s !== "object") {
      return s;
    }
    if (strict && s.allOf) {
      const merged = mergeAllOf(s);
      if (merged) {
        s = merged;
      }
    }
    const out = {};
    for (const [key, value] of Object.entries(s)) {
      if (dropped.has(key)) {
        continue;
      }
      out[key] =
        key === "properties"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]))
          : convert(value);
    }
    if (strict && out.properties && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return s.nullable === true ? { anyOf: [out, { type: "null" }] } : out;
  };
  return convert(schema);
}
