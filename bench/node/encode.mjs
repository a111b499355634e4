// Turns clearcut's exported rule trees (bench/policy_export) into Cedar policies and
// json-rules-engine rules with the SAME three-valued semantics, and declarations into the facts
// each peer reads. Neither peer has an "unknown" truth value, so every clearcut rule becomes two
// two-valued formulas, one for "the condition is true" and one for "the condition is false",
// by the Kleene recursion:
//   T(a and b) = T(a) ∧ T(b)     F(a and b) = F(a) ∨ F(b)
//   T(a or b)  = T(a) ∨ T(b)     F(a or b)  = F(a) ∧ F(b)
//   T(not a)   = F(a)            F(not a)   = T(a)
// A test on an unknown fact is neither true nor false; a rule whose formulas both fail is
// unknown. stated(x) is two-valued: a scalar fact is "unknown" when absent and "unsure" when
// declared so, and a list is stated when it is known. Cedar has no quantifier over a set of records, so any()/all() over the pipeline are
// unrolled over `maxStages` stage slots, guarded by the stage count:
//   T(any(p, c)) = known(p) ∧ ∨_i (i < n ∧ T_i(c))
//   F(any(p, c)) = known(p) ∧ ∧_i (i ≥ n ∨ F_i(c))
//   T(all(p, c)) = known(p) ∧ ∧_i (i ≥ n ∨ T_i(c))
//   F(all(p, c)) = known(p) ∧ ∨_i (i < n ∧ F_i(c))
// Both peers get the same formulas (one small expression language, rendered twice) and the same
// facts, flat: scalars as their word or "unknown", lists as arrays, the pipeline as a stage
// count and stage slots s0_<field> .. s{max-1}_<field>. Only facts some rule reads are passed.
// json-rules-engine gets every slot and a `_known` flag per list and for the pipeline; Cedar,
// whose per-request cost grows with every context attribute, gets no attribute for an unknown
// list or pipeline (tested with `has`) and no slot for a stage that does not exist (its tests
// sit behind `context.stages > i`, and && short-circuits).

export const UNKNOWN = '?unknown';  // never a vocabulary word (`unknown` is one)
const UNSURE = 'unsure';

const OUTCOMES = ['notify', 'escalate', 'written_approval'];

// A field path as an identifier both peers accept: output.in_final -> output_in_final.
export function ident(path) {
  return path.replaceAll('.', '_');
}

function stageIdent(stage, name) {
  return `s${stage}_${name}`;
}

// --- The expression language shared by both renderings.
//   {k: 'const', v}                     true or false
//   {k: 'in', fact, words}               a scalar fact's word is one of `words`
//   {k: 'flag', fact}                    a boolean fact (list or pipeline known)
//   {k: 'some' | 'every', fact, words}   a list fact holds some / every one of `words`
//   {k: 'stages', cmp, v}                the stage count compared with v
//   {k: 'not', a}                        only over some / every / stages / flag
//   {k: 'and' | 'or', xs}
const TRUE = { k: 'const', v: true };
const FALSE = { k: 'const', v: false };

function and(...xs) {
  const out = [];
  for (const x of xs) {
    if (x.k === 'const') {
      if (!x.v) return FALSE;
      continue;
    }
    if (x.k === 'and') out.push(...x.xs);
    else out.push(x);
  }
  if (out.length === 0) return TRUE;
  return out.length === 1 ? out[0] : { k: 'and', xs: out };
}

function or(...xs) {
  const out = [];
  for (const x of xs) {
    if (x.k === 'const') {
      if (x.v) return TRUE;
      continue;
    }
    if (x.k === 'or') out.push(...x.xs);
    else out.push(x);
  }
  if (out.length === 0) return FALSE;
  return out.length === 1 ? out[0] : { k: 'or', xs: out };
}

const PIPELINE_KNOWN = { k: 'flag', fact: 'pipeline_known' };

// T and F of node `index` of `rule`, reading stage slot `stage` inside a quantifier.
function truthFormulas(doc, rule) {
  const stageVocab = doc.fields.stage;
  const scalarVocab = doc.fields.scalars;
  const complement = (vocab, words) => vocab.filter((w) => !words.includes(w));

  function tf(index, stage) {
    const n = rule.nodes[index];
    const kids = n.children;
    switch (n.op) {
      case 'const':
        return n.value ? [TRUE, FALSE] : [FALSE, TRUE];
      case 'scalar_in': {
        const fact = ident(n.field);
        return [
          { k: 'in', fact, words: n.words },
          { k: 'in', fact, words: complement(scalarVocab[n.field], n.words) },
        ];
      }
      case 'stage_scalar_in': {
        if (stage === undefined) throw new Error(`${rule.id}: a stage test outside any()/all()`);
        const fact = stageIdent(stage, n.field);
        return [
          { k: 'in', fact, words: n.words },
          { k: 'in', fact, words: complement(stageVocab[n.field], n.words) },
        ];
      }
      case 'list_any':
      case 'list_all': {
        const fact = ident(n.field);
        const known = { k: 'flag', fact: `${fact}_known` };
        const test = { k: n.op === 'list_any' ? 'some' : 'every', fact, words: n.words };
        return [and(known, test), and(known, { k: 'not', a: test })];
      }
      case 'stated': {
        if (n.kind === 'list') {
          const known = { k: 'flag', fact: `${ident(n.field)}_known` };
          return [known, { k: 'not', a: known }];
        }
        if (n.kind === 'stage' && stage === undefined) {
          throw new Error(`${rule.id}: a stage test outside any()/all()`);
        }
        const fact = n.kind === 'stage' ? stageIdent(stage, n.field) : ident(n.field);
        const vocab = n.kind === 'stage' ? stageVocab[n.field] : scalarVocab[n.field];
        return [
          { k: 'in', fact, words: [...vocab, UNSURE] },
          { k: 'in', fact, words: [UNKNOWN] },
        ];
      }
      case 'pipeline_len': {
        const test = { k: 'stages', cmp: n.cmp, v: n.value };
        return [and(PIPELINE_KNOWN, test), and(PIPELINE_KNOWN, { k: 'not', a: test })];
      }
      case 'not': {
        const [t, f] = tf(kids[0], stage);
        return [f, t];
      }
      case 'and':
      case 'or': {
        const parts = kids.map((c) => tf(c, stage));
        const ts = parts.map((p) => p[0]);
        const fs = parts.map((p) => p[1]);
        return n.op === 'and' ? [and(...ts), or(...fs)] : [or(...ts), and(...fs)];
      }
      case 'any':
      case 'all': {
        if (stage !== undefined) throw new Error(`${rule.id}: nested any()/all()`);
        const present = [];
        const absent = [];
        const ts = [];
        const fs = [];
        for (let i = 0; i < doc.max_stages; ++i) {
          const [t, f] = tf(kids[0], i);
          present.push({ k: 'stages', cmp: '>', v: i });
          absent.push({ k: 'stages', cmp: '<=', v: i });
          ts.push(t);
          fs.push(f);
        }
        const exists = (xs) => or(...xs.map((x, i) => and(present[i], x)));
        const forall = (xs) => and(...xs.map((x, i) => or(absent[i], x)));
        return n.op === 'any'
          ? [and(PIPELINE_KNOWN, exists(ts)), and(PIPELINE_KNOWN, forall(fs))]
          : [and(PIPELINE_KNOWN, forall(ts)), and(PIPELINE_KNOWN, exists(fs))];
      }
      default:
        throw new Error(`${rule.id}: unknown op ${n.op}`);
    }
  }
  return tf(0, undefined);
}

// [{id, outcome, t, f}] for every rule of the export, in pack order.
export function formulas(doc) {
  return doc.rules.map((rule) => {
    const [t, f] = truthFormulas(doc, rule);
    return { id: rule.id, outcome: rule.outcome, t, f };
  });
}

// --- Cedar.
function cedarExpr(x) {
  const str = (w) => JSON.stringify(w);
  switch (x.k) {
    case 'const':
      return x.v ? 'true' : 'false';
    case 'in':
      if (x.words.length === 0) return 'false';
      if (x.words.length === 1) return `context.${x.fact} == ${str(x.words[0])}`;
      return `[${x.words.map(str).join(', ')}].contains(context.${x.fact})`;
    case 'flag':
      // An unknown list or pipeline has no attribute at all.
      if (x.fact === 'pipeline_known') return 'context has stages';
      return `context has ${x.fact.replace(/_known$/, '')}`;
    case 'some':
      return `context.${x.fact}.containsAny([${x.words.map(str).join(', ')}])`;
    case 'every':
      return `context.${x.fact}.containsAll([${x.words.map(str).join(', ')}])`;
    case 'stages':
      return `context.stages ${x.cmp} ${x.v}`;
    case 'not':
      return `!(${cedarExpr(x.a)})`;
    case 'and':
      return `(${x.xs.map(cedarExpr).join(' && ')})`;
    case 'or':
      return `(${x.xs.map(cedarExpr).join(' || ')})`;
    default:
      throw new Error(`cannot render ${x.k}`);
  }
}

// The policy set: `T:<id>` permits when the rule's condition is true, `F:<id>` when false.
// One authorization call then names, in diagnostics.reason, every formula that holds.
export function cedarPolicies(rules) {
  const policies = {};
  for (const r of rules) {
    for (const [kind, x] of [
      ['T', r.t],
      ['F', r.f],
    ]) {
      const when = cedarExpr(x);
      policies[`${kind}:${r.id}`] = `permit (principal, action, resource) when { ${when} };`;
    }
  }
  return policies;
}

// --- json-rules-engine.
const JRE_CMP = {
  '==': 'equal',
  '!=': 'notEqual',
  '<': 'lessThan',
  '<=': 'lessThanInclusive',
  '>': 'greaterThan',
  '>=': 'greaterThanInclusive',
};
const NEGATED_CMP = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function jreCondition(x) {
  switch (x.k) {
    case 'const':
      return { fact: 'always', operator: 'equal', value: x.v };
    case 'in':
      return x.words.length === 1
        ? { fact: x.fact, operator: 'equal', value: x.words[0] }
        : { fact: x.fact, operator: 'in', value: x.words };
    case 'flag':
      return { fact: x.fact, operator: 'equal', value: true };
    case 'some':
      return { fact: x.fact, operator: 'someValue:contains', value: x.words };
    case 'every':
      return { fact: x.fact, operator: 'everyValue:contains', value: x.words };
    case 'stages':
      return { fact: 'stages', operator: JRE_CMP[x.cmp], value: x.v };
    case 'not': {
      // Negations sit on two-valued tests only: push them into the operator.
      const a = x.a;
      if (a.k === 'some') {
        return { fact: a.fact, operator: 'everyValue:doesNotContain', value: a.words };
      }
      if (a.k === 'every') {
        return { fact: a.fact, operator: 'someValue:doesNotContain', value: a.words };
      }
      if (a.k === 'stages') {
        return { fact: 'stages', operator: JRE_CMP[NEGATED_CMP[a.cmp]], value: a.v };
      }
      if (a.k === 'flag') {
        return { fact: a.fact, operator: 'equal', value: false };
      }
      return { not: jreCondition(a) };
    }
    case 'and':
      return { all: x.xs.map(jreCondition) };
    case 'or':
      return { any: x.xs.map(jreCondition) };
    default:
      throw new Error(`cannot render ${x.k}`);
  }
}

// Two rules per clearcut rule; the event type names the formula that held.
export function jreRules(rules) {
  const out = [];
  for (const r of rules) {
    for (const [kind, x] of [
      ['T', r.t],
      ['F', r.f],
    ]) {
      const c = jreCondition(x);
      out.push({
        name: `${kind}:${r.id}`,
        conditions: c.all || c.any || c.not ? c : { all: [c] },
        event: { type: `${kind}:${r.id}` },
      });
    }
  }
  return out;
}

// --- Facts.

// The facts the formulas read: {scalars: [path], lists: [path], stage: [name]}.
export function readFacts(doc, rules) {
  const read = new Set();
  const visit = (x) => {
    if (x.fact) read.add(x.fact);
    if (x.a) visit(x.a);
    if (x.xs) x.xs.forEach(visit);
  };
  for (const r of rules) {
    visit(r.t);
    visit(r.f);
  }
  const slot = /^s[0-9]+_/;
  const stageRead = (name) => [...read].some((f) => slot.test(f) && f.replace(slot, '') === name);
  return {
    scalars: Object.keys(doc.fields.scalars).filter((p) => read.has(ident(p))),
    lists: Object.keys(doc.fields.lists).filter((p) => read.has(ident(p))),
    stage: Object.keys(doc.fields.stage).filter(stageRead),
  };
}

function checkPipeline(doc, pipeline) {
  if (pipeline !== null && pipeline.length > doc.max_stages) {
    throw new Error(`a pipeline of ${pipeline.length} stages; the encoding unrolls ` +
                    `${doc.max_stages}`);
  }
}

// json-rules-engine's facts: every fact read, every stage slot, known flags.
export function jreFacts(doc, read, facts) {
  const out = { always: true };
  for (const path of read.scalars) out[ident(path)] = facts[path];
  for (const path of read.lists) {
    out[ident(path)] = facts[path] ?? [];
    out[`${ident(path)}_known`] = facts[path] !== null;
  }
  const pipeline = facts.pipeline;
  checkPipeline(doc, pipeline);
  out.pipeline_known = pipeline !== null;
  out.stages = pipeline === null ? 0 : pipeline.length;
  for (let i = 0; i < doc.max_stages; ++i) {
    for (const name of read.stage) {
      const present = pipeline !== null && i < pipeline.length;
      out[stageIdent(i, name)] = present ? pipeline[i][name] : UNKNOWN;
    }
  }
  return out;
}

// Cedar's context: no attribute for an unknown list or pipeline, no slot for a missing stage.
export function cedarContext(doc, read, facts) {
  const out = {};
  for (const path of read.scalars) out[ident(path)] = facts[path];
  for (const path of read.lists) {
    if (facts[path] !== null) out[ident(path)] = facts[path];
  }
  const pipeline = facts.pipeline;
  checkPipeline(doc, pipeline);
  if (pipeline !== null) {
    out.stages = pipeline.length;
    pipeline.forEach((stage, i) => {
      for (const name of read.stage) out[stageIdent(i, name)] = stage[name];
    });
  }
  return out;
}

// --- The decision, as clearcut's engine makes it (POLICY.md §2): a true rule contributes its
// outcome; an unknown rule contributes `escalate` unless its outcome is notify (then it is not
// listed); the outcome is the highest contribution, notify when none.
export function decide(rules, holds) {
  let outcome = 0;
  const fired = [];
  const unknown = [];
  for (const r of rules) {
    const t = holds.has(`T:${r.id}`);
    const f = holds.has(`F:${r.id}`);
    if (t && f) throw new Error(`${r.id} is both true and false: the encoding is wrong`);
    if (t) {
      fired.push(r.id);
      outcome = Math.max(outcome, OUTCOMES.indexOf(r.outcome));
    } else if (!f && r.outcome !== 'notify') {
      unknown.push(r.id);
      outcome = Math.max(outcome, 1);
    }
  }
  return { outcome: OUTCOMES[outcome], fired, unknown };
}
