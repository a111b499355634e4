#!/usr/bin/env node
// Side-by-side policy decisions: clearcut against Cedar (wasm) and json-rules-engine on the same
// declarations (bench/README.md). Reads what bench/policy_export wrote, encodes the rules for
// both peers (encode.mjs), and
//   1. checks that every peer reaches clearcut's decision (outcome, fired rules, unknown rules)
//      on every declaration, and fails loudly (exit 1) on the first disagreement it reports;
//   2. unless --agree-only, times each peer on one thread over the declarations marked `timed`
//      (warmed up first), and prints the table, with clearcut's figure taken from policy_bench's
//      JSON output (--clearcut=FILE).
// usage: node compare.mjs EXPORT.json [--agree-only] [--seconds=S] [--clearcut=BENCH.json]
//                                     [--json=OUT.json]

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import {
  cedarContext,
  cedarPolicies,
  decide,
  formulas,
  jreFacts,
  jreRules,
  readFacts,
} from './encode.mjs';

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const { Engine } = require('json-rules-engine');
const jreVersion = require('json-rules-engine/package.json').version;

function parseArgs(argv) {
  const args = { export: null, agreeOnly: false, seconds: 2, clearcut: null, json: null };
  for (const a of argv) {
    if (a === '--agree-only') args.agreeOnly = true;
    else if (a.startsWith('--seconds=')) args.seconds = Number(a.slice('--seconds='.length));
    else if (a.startsWith('--clearcut=')) args.clearcut = a.slice('--clearcut='.length);
    else if (a.startsWith('--json=')) args.json = a.slice('--json='.length);
    else if (!a.startsWith('--') && args.export === null) args.export = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (args.export === null || !(args.seconds > 0)) {
    throw new Error('usage: node compare.mjs EXPORT.json [--agree-only] [--seconds=S] ' +
                    '[--clearcut=BENCH.json] [--json=OUT.json]');
  }
  return args;
}

// --- The peers. Each prepares its input from a declaration's exported facts once (as clearcut
// decides pre-parsed declarations), then run(input) -> {outcome, fired, unknown}.
const POLICY_SET_ID = 'clearcut';
const PRINCIPAL = { type: 'Partner', id: 'p' };
const ACTION = { type: 'Action', id: 'declare' };
const RESOURCE = { type: 'UseCase', id: 'u' };

function cedarHolds(answer) {
  if (answer.type !== 'success') {
    throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
  }
  const { reason, errors } = answer.response.diagnostics;
  if (errors.length > 0) {
    throw new Error(`Cedar policy errors: ${JSON.stringify(errors)}`);
  }
  return new Set(reason);
}

function makeCedar(doc, rules, read, policies) {
  const parsed = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: policies });
  if (parsed.type !== 'success') {
    throw new Error(`Cedar rejected the policies: ${JSON.stringify(parsed.errors)}`);
  }
  // The fastest documented path: the policy set parsed once, then statefulIsAuthorized.
  const prepare = (facts) => ({
    principal: PRINCIPAL,
    action: ACTION,
    resource: RESOURCE,
    context: cedarContext(doc, read, facts),
    preparsedPolicySetId: POLICY_SET_ID,
    entities: [],
  });
  const run = (call) => decide(rules, cedarHolds(cedar.statefulIsAuthorized(call)));
  return { prepare, run };
}

// The plain isAuthorized call, which parses the policy text on every request: for reference.
function makeCedarUnprepared(doc, rules, read, policies) {
  const prepare = (facts) => ({
    principal: PRINCIPAL,
    action: ACTION,
    resource: RESOURCE,
    context: cedarContext(doc, read, facts),
    policies: { staticPolicies: policies },
    entities: [],
  });
  const run = (call) => decide(rules, cedarHolds(cedar.isAuthorized(call)));
  return { prepare, run };
}

function makeJre(doc, rules, read) {
  const engine = new Engine(jreRules(rules), { allowUndefinedFacts: false });
  const prepare = (facts) => jreFacts(doc, read, facts);
  const run = async (facts) => {
    const result = await engine.run(facts);
    return decide(rules, new Set(result.events.map((e) => e.type)));
  };
  return { prepare, run };
}

// --- Agreement.
function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function disagreement(got, want) {
  const problems = [];
  if (got.outcome !== want.outcome) {
    problems.push(`outcome ${got.outcome}, clearcut ${want.outcome}`);
  }
  if (!sameList(got.fired, want.fired)) {
    problems.push(`fired [${got.fired}], clearcut [${want.fired}]`);
  }
  if (!sameList(got.unknown, want.unknown)) {
    problems.push(`unknown [${got.unknown}], clearcut [${want.unknown}]`);
  }
  return problems.join('; ');
}

async function checkAgreement(doc, peers) {
  let failures = 0;
  for (const [name, peer] of Object.entries(peers)) {
    const calls = doc.declarations.map((d) => peer.prepare(d.facts));
    for (let i = 0; i < doc.declarations.length; ++i) {
      const decl = doc.declarations[i];
      const problem = disagreement(await peer.run(calls[i]), decl.clearcut);
      if (problem) {
        if (failures < 20) console.error(`DISAGREE ${name} on ${decl.origin}: ${problem}`);
        ++failures;
      }
    }
  }
  return failures;
}

// --- Timing. CPU time of this (the only JavaScript) thread from the kernel's scheduler
// statistics, as policy_bench reports clearcut's CPU time; wall time beside it.
function threadCpuNs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

async function time(peer, calls, seconds) {
  const pass = async () => {
    for (const c of calls) await peer.run(c);
  };
  const warmUntil = performance.now() + Math.min(1000, seconds * 300);
  while (performance.now() < warmUntil) await pass();
  let decisions = 0;
  const cpu0 = threadCpuNs();
  const t0 = performance.now();
  do {
    await pass();
    decisions += calls.length;
  } while (performance.now() - t0 < seconds * 1000);
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = (threadCpuNs() - cpu0) / 1e9;
  return { decisions, cpu: decisions / cpuS, wall: decisions / wallS };
}

function clearcutFigures(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const runs = report.benchmarks.filter((b) => b.run_name === 'BM_Decide' && !b.error_occurred);
  const pick = runs.find((b) => b.aggregate_name === 'median') ?? runs[0];
  if (!pick) throw new Error(`no BM_Decide in ${file}`);
  const perSecond = { ns: 1e9, us: 1e6, ms: 1e3, s: 1 }[pick.time_unit];
  return {
    cpu: pick.items_per_second,
    wall: perSecond / pick.real_time,
    declarations: pick.declarations,
  };
}

function fmt(x) {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const doc = JSON.parse(readFileSync(args.export, 'utf8'));
  const rules = formulas(doc);
  const policies = cedarPolicies(rules);
  const read = readFacts(doc, rules);
  const peers = {
    cedar: makeCedar(doc, rules, read, policies),
    'json-rules-engine': makeJre(doc, rules, read),
  };

  const failures = await checkAgreement(doc, peers);
  const n = doc.declarations.length;
  if (failures > 0) {
    console.error(`FAIL: ${failures} disagreement(s) over ${n} declarations`);
    process.exit(1);
  }
  console.log(`agree: Cedar ${cedar.getCedarVersion()} and json-rules-engine ${jreVersion} reach ` +
              `clearcut's decision (outcome, fired and unknown rules) on all ${n} declarations ` +
              `(${rules.length} rules as ${Object.keys(policies).length} formulas)`);
  if (args.agreeOnly) return;

  const timed = doc.declarations.map((d, i) => (d.timed ? i : -1)).filter((i) => i >= 0);
  const rows = [];
  const clearcut = args.clearcut ? clearcutFigures(args.clearcut) : null;
  if (clearcut && clearcut.declarations !== timed.length) {
    throw new Error(`policy_bench decided ${clearcut.declarations} declarations, the export ` +
                    `marks ${timed.length} as timed: not the same inputs`);
  }
  if (clearcut) rows.push({ name: 'clearcut (C++, Engine::evaluate)', ...clearcut });
  const runs = [
    ['cedar', `Cedar ${cedar.getCedarVersion()} wasm, statefulIsAuthorized`, peers.cedar],
    ['cedar_unprepared', `Cedar ${cedar.getCedarVersion()} wasm, isAuthorized (reference)`,
     makeCedarUnprepared(doc, rules, read, policies)],
    ['jre', `json-rules-engine ${jreVersion}`, peers['json-rules-engine']],
  ];
  const figures = {};
  for (const [key, name, peer] of runs) {
    const calls = timed.map((i) => peer.prepare(doc.declarations[i].facts));
    const r = await time(peer, calls, args.seconds);
    figures[key] = r;
    rows.push({ name, ...r });
  }

  console.log(`\npolicy decisions per second, one thread, ${timed.length} declarations ` +
              `(policies/tests + examples), pack ${doc.pack.name} ${doc.pack.version}`);
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'engine'.padEnd(w)}  ${'decisions/s (cpu)'.padStart(18)}  ` +
              `${'decisions/s (wall)'.padStart(18)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(w)}  ${fmt(r.cpu).padStart(18)}  ${fmt(r.wall).padStart(18)}`);
  }
  if (clearcut) {
    const ratio = (peer) => `${(clearcut.cpu / peer.cpu).toFixed(0)}x`;
    console.log(`clearcut/Cedar = ${ratio(figures.cedar)}   clearcut/json-rules-engine = ` +
                `${ratio(figures.jre)}   (cpu; target >= 100x Cedar)`);
  }
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ clearcut, ...figures }, null, 1) + '\n');
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
