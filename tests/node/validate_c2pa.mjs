#!/usr/bin/env node
// Validates an asset's Content Credentials with the reference C2PA validator (c2pa-rs compiled
// to WebAssembly, @contentauth/c2pa-wasm), offline, and prints its verdict as JSON:
//
//   node tests/node/validate_c2pa.mjs FILE [--trust ROOTS.pem] [--mime TYPE]
//
//   {"file": ..., "mime": ..., "trust": true|false, "state": "Valid"|"Trusted"|"Invalid"|null,
//    "error": null | "C2pa(JumbfNotFound)", "active_manifest": ..., "failure": [codes],
//    "informational": [codes], "success": [codes], "digital_source_types": [uris],
//    "actions": [the active manifest's action labels], "ingredients": [{relationship,
//    active_manifest, title, format}] (the active manifest's), "manifests": [labels],
//    "status": [{code, url, explanation}]}
//
// Exit 0 when a manifest was read (whatever its state), 1 when none could be read, 2 on bad
// usage. Without --trust nothing is trusted, so a good manifest is "Valid" with the single
// failure signingCredential.untrusted; with the signer's root it is "Trusted".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const MIME = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

let wasm = null;

async function load() {
  if (wasm === null) {
    wasm = await import('@contentauth/c2pa-wasm');
    wasm.initSync({ module: fs.readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
  }
  return wasm;
}

export function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] ?? null;
}

// Reader settings (c2pa-rs Settings as JSON): with roots, verify the chain against them.
function context(trustPem) {
  if (!trustPem) {
    return undefined;
  }
  return JSON.stringify({
    trust: { trust_anchors: trustPem },
    verify: { verify_trust: true },
  });
}

// Every digitalSourceType in the actions of every manifest, active first.
function sourceTypes(store) {
  const out = [];
  const labels = Object.keys(store.manifests ?? {});
  labels.sort((a, b) => (a === store.active_manifest ? -1 : b === store.active_manifest ? 1 : 0));
  for (const label of labels) {
    for (const assertion of store.manifests[label].assertions ?? []) {
      if (!String(assertion.label).startsWith('c2pa.actions')) {
        continue;
      }
      for (const action of assertion.data?.actions ?? []) {
        const type = action.digitalSourceType ?? action.parameters?.digitalSourceType;
        if (type && !out.includes(type)) {
          out.push(type);
        }
      }
    }
  }
  return out;
}

export async function validate(bytes, mime, trustPem) {
  const { WasmReader } = await load();
  const result = {
    mime,
    trust: Boolean(trustPem),
    state: null,
    error: null,
    active_manifest: null,
    failure: [],
    informational: [],
    success: [],
    digital_source_types: [],
    actions: [],
    ingredients: [],
    manifests: [],
    status: [],
  };
  let reader;
  try {
    reader = await WasmReader.fromBytes(mime, new Uint8Array(bytes), context(trustPem));
  } catch (e) {
    result.error = String(e?.message ?? e);
    return result;
  }
  try {
    const store = JSON.parse(reader.json());
    result.state = store.validation_state ?? null;
    result.active_manifest = store.active_manifest ?? null;
    result.status = store.validation_status ?? [];
    const active = store.validation_results?.activeManifest ?? {};
    for (const kind of ['failure', 'informational', 'success']) {
      result[kind] = [...new Set((active[kind] ?? []).map((s) => s.code))];
    }
    // Ingredient deltas, if any, count as failures of the asset too.
    for (const delta of store.validation_results?.ingredientDeltas ?? []) {
      for (const s of delta.validationDeltas?.failure ?? []) {
        if (!result.failure.includes(s.code)) {
          result.failure.push(s.code);
        }
      }
    }
    result.digital_source_types = sourceTypes(store);
    result.manifests = Object.keys(store.manifests ?? {});
    const activeManifest = store.manifests?.[store.active_manifest] ?? {};
    for (const assertion of activeManifest.assertions ?? []) {
      if (String(assertion.label).startsWith('c2pa.actions')) {
        result.actions.push(...(assertion.data?.actions ?? []).map((a) => a.action));
      }
    }
    result.ingredients = (activeManifest.ingredients ?? []).map((i) => ({
      relationship: i.relationship ?? null,
      active_manifest: i.active_manifest ?? null,
      title: i.title ?? null,
      format: i.format ?? null,
    }));
  } finally {
    reader.free();
  }
  return result;
}

async function main(argv) {
  const args = argv.slice(2);
  let file = null;
  let trust = null;
  let mime = null;
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--trust') {
      trust = args[++i];
    } else if (args[i] === '--mime') {
      mime = args[++i];
    } else if (file === null && !args[i].startsWith('--')) {
      file = args[i];
    } else {
      file = null;
      break;
    }
  }
  mime = mime ?? (file ? mimeOf(file) : null);
  if (!file || !mime || (trust === undefined)) {
    console.error('usage: validate_c2pa.mjs FILE [--trust ROOTS.pem] [--mime TYPE]');
    return 2;
  }
  const trustPem = trust ? fs.readFileSync(trust, 'utf8') : null;
  const result = await validate(fs.readFileSync(file), mime, trustPem);
  console.log(JSON.stringify({ file, ...result }, null, 2));
  return result.state === null ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = await main(process.argv);
}
