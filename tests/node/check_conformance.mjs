#!/usr/bin/env node
// Conformance of clearcut's Content Credentials with the reference validator:
//
//   node tests/node/check_conformance.mjs --writer BIN --out DIR [--fixtures DIR]
//
// Runs BIN (c2pa_conformance_samples) to write labelled JPEG, PNG, MP4, WAV and MP3 files into
// DIR, then checks every file listed in DIR/samples.json with @contentauth/c2pa-wasm (c2pa-rs):
//   * without trust anchors: state "Valid", the only failure signingCredential.untrusted;
//   * with DIR/roots.pem as trust anchors: state "Trusted", no failure;
//   * the digital source types it reports are exactly the ones written (the active manifest's,
//     then a parent's);
//   * the first action is c2pa.created, or for an AI edit of a file with Content Credentials
//     (samples.json "parent_manifest") c2pa.opened, with exactly one ingredient, parentOf,
//     naming that manifest, which the store holds;
//   * JPEG and PNG: the XMP packet's Iptc4xmpExt:DigitalSourceType is the same URI;
//   * one byte changed near the end of the file: "Invalid" with the hard binding's mismatch
//     code (so the checks above are not vacuous).
// Exit 0 when all agree, 1 when one does not, 77 (skip) when tests/node/node_modules is
// missing (run scripts/npm-install), 2 on bad usage.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
}

// The XMP packet of a JPEG (APP1 "http://ns.adobe.com/xap/1.0/\0") or PNG (iTXt
// "XML:com.adobe.xmp", uncompressed), read here without exiv2 so that the check is
// independent of the library that wrote it.
function xmpPacket(bytes, mime) {
  if (mime === 'image/jpeg') {
    const signature = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
    for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff;) {
      const marker = bytes[at + 1];
      if (marker === 0xda || marker === 0xd9) {
        break;
      }
      const length = bytes.readUInt16BE(at + 2);
      const payload = bytes.subarray(at + 4, at + 2 + length);
      if (marker === 0xe1 && payload.subarray(0, signature.length).equals(signature)) {
        return payload.subarray(signature.length).toString('utf8');
      }
      at += 2 + length;
    }
  } else if (mime === 'image/png') {
    for (let at = 8; at + 12 <= bytes.length;) {
      const length = bytes.readUInt32BE(at);
      const type = bytes.toString('latin1', at + 4, at + 8);
      const data = bytes.subarray(at + 8, at + 8 + length);
      const keyword = 'XML:com.adobe.xmp\0';
      if (type === 'iTXt' && data.toString('latin1', 0, keyword.length) === keyword &&
          data[keyword.length] === 0) {
        // keyword, compression flag and method, language tag\0, translated keyword\0, text
        let text = keyword.length + 2;
        text = data.indexOf(0, text) + 1;
        text = data.indexOf(0, text) + 1;
        return data.subarray(text).toString('utf8');
      }
      at += 12 + length;
    }
  }
  return null;
}

// Iptc4xmpExt:DigitalSourceType in either RDF form (element or attribute), under whatever
// prefix the packet binds to the IPTC extension namespace.
function xmpSourceType(bytes, mime) {
  const packet = xmpPacket(bytes, mime);
  if (packet === null) {
    return null;
  }
  const ns = /xmlns:([A-Za-z_][\w.-]*)=["']http:\/\/iptc\.org\/std\/Iptc4xmpExt\/2008-02-29\/["']/.exec(packet);
  if (!ns) {
    return null;
  }
  const name = `${ns[1]}:DigitalSourceType`;
  const element = new RegExp(`<${name}>([^<]*)</${name}>`).exec(packet);
  const attribute = new RegExp(`${name}=["']([^"']*)["']`).exec(packet);
  return (element ?? attribute)?.[1] ?? null;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function main(argv) {
  const args = argv.slice(2);
  const writer = option(args, '--writer');
  const out = option(args, '--out');
  const fixtures = option(args, '--fixtures');
  if (!writer || !out) {
    console.error('usage: check_conformance.mjs --writer BIN --out DIR [--fixtures DIR]');
    return 2;
  }
  if (!fs.existsSync(path.join(here, 'node_modules', '@contentauth', 'c2pa-wasm'))) {
    console.log('SKIP: tests/node/node_modules is missing (run scripts/npm-install)');
    return 77;
  }
  const { validate } = await import('./validate_c2pa.mjs');

  fs.rmSync(out, { recursive: true, force: true });
  const writerArgs = [out];
  if (fixtures && fs.existsSync(fixtures)) {
    writerArgs.push('--fixtures', fixtures);
  }
  execFileSync(writer, writerArgs, { stdio: 'inherit' });
  const samples = JSON.parse(fs.readFileSync(path.join(out, 'samples.json'), 'utf8'));
  const roots = fs.readFileSync(path.join(out, 'roots.pem'), 'utf8');

  let failed = 0;
  const report = [];
  for (const sample of samples) {
    const file = path.join(out, sample.file);
    const bytes = fs.readFileSync(file);
    const plain = await validate(bytes, sample.mime, null);
    const trusted = await validate(bytes, sample.mime, roots);
    const problems = [];
    if (plain.state !== 'Valid' || !same(plain.failure, ['signingCredential.untrusted'])) {
      problems.push(`without anchors: ${plain.state ?? plain.error} ${JSON.stringify(plain.failure)}`);
    }
    if (trusted.state !== 'Trusted' || trusted.failure.length !== 0) {
      problems.push(`with roots.pem: ${trusted.state ?? trusted.error} ${JSON.stringify(trusted.failure)}`);
    }
    for (const r of [plain, trusted]) {
      if (!same(r.digital_source_types, sample.digital_source_types)) {
        problems.push(`source types ${JSON.stringify(r.digital_source_types)}`);
        break;
      }
    }
    const parent = sample.parent_manifest ?? null;
    if (trusted.actions[0] !== (parent ? 'c2pa.opened' : 'c2pa.created')) {
      problems.push(`actions ${JSON.stringify(trusted.actions)}`);
    }
    const ingredients = trusted.ingredients;
    if (parent ? ingredients.length !== 1 || ingredients[0].relationship !== 'parentOf' ||
                 ingredients[0].active_manifest !== parent ||
                 !trusted.manifests.includes(parent)
               : ingredients.length !== 0) {
      problems.push(`ingredients ${JSON.stringify(ingredients)} of ${JSON.stringify(trusted.manifests)}`);
    }
    const tampered = Buffer.from(bytes);
    // A byte the hard binding covers: a WAV's store is its last chunk, so one of its samples;
    // elsewhere (an MP3 too: its store is in the ID3v2 tag at the front) the file's end.
    tampered[sample.mime === 'audio/wav' ? 64 : tampered.length - 16] ^= 0x01;
    const broken = await validate(tampered, sample.mime, roots);
    const mismatch = sample.mime === 'video/mp4' ? 'assertion.bmffHash.mismatch'
                                                 : 'assertion.dataHash.mismatch';
    if (broken.state !== 'Invalid' || !broken.failure.includes(mismatch)) {
      problems.push(`tampered: ${broken.state ?? broken.error} ${JSON.stringify(broken.failure)}`);
    }
    let xmp = null;
    if (sample.xmp) {
      xmp = xmpSourceType(bytes, sample.mime);
      if (xmp !== sample.digital_source_types[0]) {
        problems.push(`XMP DigitalSourceType ${JSON.stringify(xmp)}`);
      }
    }
    failed += problems.length > 0 ? 1 : 0;
    report.push({
      file: sample.file,
      without_anchors: { state: plain.state, failure: plain.failure },
      with_roots: { state: trusted.state, failure: trusted.failure },
      tampered: { state: broken.state, failure: broken.failure },
      digital_source_types: trusted.digital_source_types,
      actions: trusted.actions,
      ingredients,
      xmp_digital_source_type: xmp,
      problems,
    });
    const verdict = problems.length === 0 ? 'ok  ' : 'FAIL';
    console.log(`${verdict} ${sample.file}: ${plain.state} / ${trusted.state} / ` +
                `${broken.state ?? broken.error} when tampered,` +
                ` ${trusted.digital_source_types.join(' ')}` + (xmp ? ' (XMP too)' : '') +
                (parent ? `, parentOf ${parent}` : '') +
                (problems.length ? `\n     ${problems.join('\n     ')}` : ''));
  }
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`${samples.length - failed} of ${samples.length} files agree with the reference ` +
              'validator');
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv);
