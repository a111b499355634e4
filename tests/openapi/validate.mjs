// Validates docs/openapi.json: against the OpenAPI 3.0 schema (@apidevtools/swagger-parser,
// which also resolves every $ref), then the house rules the schema cannot express (below), then
// every example in the document against the schema it illustrates (ajv).
//
//   node tests/openapi/validate.mjs [path/to/openapi.json]
//
// Exit 0 when valid, 1 with one line per problem otherwise, 77 (skipped) when the packages are
// not installed (`npm ci --prefix tests/openapi`). tests/openapi.cmake runs it.

import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(resolve(here, "node_modules"))) {
  console.log("SKIP: tests/openapi/node_modules is missing; run: npm ci --prefix tests/openapi");
  process.exit(77);
}
const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
const { default: Ajv } = await import("ajv");
const { toJsonSchema } = await import("./json_schema.mjs");

const file = resolve(process.argv[2] ?? resolve(here, "../../docs/openapi.json"));
const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const unsafe = new Set(["put", "post", "delete", "patch"]);
const problems = [];

// 1. The OpenAPI 3.0 schema, and every $ref resolves.
const raw = JSON.parse(readFileSync(file, "utf8"));
try {
  await SwaggerParser.validate(structuredClone(raw));
} catch (error) {
  console.error(`${file}: not a valid OpenAPI document: ${error.message}`);
  process.exit(1);
}
if (raw.openapi !== "3.0.3") {
  problems.push(`openapi is ${raw.openapi}, expected 3.0.3`);
}
const api = await SwaggerParser.dereference(structuredClone(raw));

// 2. House rules.
const operationIds = new Set();
for (const [path, item] of Object.entries(api.paths)) {
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  for (const method of methods.filter((m) => item[m])) {
    const op = item[method];
    const where = `${method.toUpperCase()} ${path}`;
    if (!op.operationId) {
      problems.push(`${where}: no operationId`);
    } else if (operationIds.has(op.operationId)) {
      problems.push(`${where}: operationId ${op.operationId} used twice`);
    }
    operationIds.add(op.operationId);
    if (!op.summary) {
      problems.push(`${where}: no summary`);
    }
    // Path parameters: each template variable declared once, required, and nothing else.
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
    const inPath = params.filter((p) => p.in === "path");
    for (const name of templated) {
      const declared = inPath.filter((p) => p.name === name);
      if (declared.length !== 1 || !declared[0].required) {
        problems.push(`${where}: path parameter {${name}} must be declared once, required`);
      }
    }
    for (const p of inPath) {
      if (!templated.includes(p.name)) {
        problems.push(`${where}: path parameter ${p.name} is not in the path`);
      }
    }
    // Responses: one success (a redirect, for a browser navigation such as single sign-on's),
    // every other status an Error.
    const statuses = Object.keys(op.responses);
    if (!statuses.some((s) => s.startsWith("2") || s === "302" || s === "303")) {
      problems.push(`${where}: no 2xx (or 303) response`);
    }
    for (const status of statuses.filter((s) => /^[45]/.test(s))) {
      const schema = op.responses[status].content?.["application/json"]?.schema;
      if (schema !== api.components.schemas.Error) {
        problems.push(`${where}: ${status} must answer the Error schema`);
      }
    }
    // Security: public, or a bearer token / the session cookie (plus the CSRF header when unsafe).
    const security = op.security ?? api.security;
    if (security.length > 0) {
      const names = security.map((s) => Object.keys(s).sort().join("+"));
      const wanted = unsafe.has(method) ? ["bearerAuth", "csrfToken+sessionCookie"] : ["bearerAuth", "sessionCookie"];
      if (JSON.stringify(names.sort()) !== JSON.stringify(wanted)) {
        problems.push(`${where}: security ${names.join(" | ")}, expected ${wanted.join(" | ")}`);
      }
      if (!op.responses["401"]) {
        problems.push(`${where}: authenticated but no 401`);
      }
      if (unsafe.has(method) && !op.responses["403"]) {
        problems.push(`${where}: unsafe with a session but no 403 (CSRF)`);
      }
    }
    // Bodies: JSON objects read strictly (JsonInput rejects unknown fields), or a file's bytes as
    // they are (an attachment, whose type the server sniffs: 415 for what it refuses).
    if (op.requestBody) {
      const raw = op.requestBody.content?.["application/octet-stream"]?.schema;
      const schema = op.requestBody.content?.["application/json"]?.schema;
      if (raw) {
        if (raw.type !== "string" || raw.format !== "binary" || !op.responses["415"]) {
          problems.push(`${where}: a raw request body is a binary string, with a 415`);
        }
      } else if (!schema || schema.type !== "object" || schema.additionalProperties !== false) {
        problems.push(`${where}: request body must be an object with additionalProperties: false`);
      }
      for (const status of ["400", "413"]) {
        if (!op.responses[status]) {
          problems.push(`${where}: takes a body but has no ${status}`);
        }
      }
    }
  }
}

// Every component is used somewhere (a dead schema is usually a typo in a $ref).
const text = JSON.stringify(raw);
for (const [kind, entries] of Object.entries(raw.components)) {
  if (kind === "securitySchemes") {
    continue;
  }
  for (const name of Object.keys(entries)) {
    if (!text.includes(`"#/components/${kind}/${name}"`)) {
      problems.push(`components.${kind}.${name} is never referenced`);
    }
  }
}

// 3. Examples match their schemas (as JSON Schema: json_schema.mjs).
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
function check(where, schema, value) {
  const validate = ajv.compile(toJsonSchema(schema));
  if (!validate(value)) {
    const why = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    problems.push(`${where}: example does not match its schema: ${why}`);
  }
}
const checked = new WeakSet(); // shared (dereferenced) responses are checked once
function checkMedia(where, media) {
  for (const [type, m] of Object.entries(media ?? {})) {
    if (!m.schema || checked.has(m)) {
      continue;
    }
    checked.add(m);
    if (m.example !== undefined) {
      check(`${where} ${type}`, m.schema, m.example);
    }
    for (const [name, e] of Object.entries(m.examples ?? {})) {
      check(`${where} ${type} example ${name}`, m.schema, e.value);
    }
  }
}
for (const [path, item] of Object.entries(api.paths)) {
  for (const method of methods.filter((m) => item[m])) {
    const op = item[method];
    const where = `${method.toUpperCase()} ${path}`;
    checkMedia(`${where} request`, op.requestBody?.content);
    for (const [status, response] of Object.entries(op.responses)) {
      checkMedia(`${where} ${status}`, response.content);
    }
  }
}
for (const [name, schema] of Object.entries(api.components.schemas)) {
  if (schema.example !== undefined) {
    check(`components.schemas.${name}`, schema, schema.example);
  }
}

if (problems.length > 0) {
  for (const p of problems) {
    console.error(`${file}: ${p}`);
  }
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
const operations = Object.values(api.paths).reduce((n, item) => n + methods.filter((m) => item[m]).length, 0);
console.log(
  `${file}: valid OpenAPI ${raw.openapi}, ${operations} operations, ` +
    `${Object.keys(api.components.schemas).length} schemas`,
);
