'use strict';
// A floor for the hot rows of `npm run bench` (bench/run.ts, bench/hot-cache.ts): the least work a command must do
// on Node, written by hand with none of scoped's code: no dispatch, no configuration layers, no precedence beyond
// the one scope, no checks but the stores' own sums, output written once. Not a second scoped: it reads only
// what the bench's own store holds (the org scope), and exists to show how much of a goal's ratio is left for
// the CLI once Node, node:crypto and the files are paid for.
//   node bench/floor.cjs resolve SHARD...        the names of the shards' index lines (checked as scoped checks them)
//   node bench/floor.cjs get KEY SHARD...        one value: the key check, the index and the values line, AES-GCM
//   node bench/floor.cjs run CMD SHARD...        every value of the shards, then CMD spawned with them
//   node bench/floor.cjs cache PIN VALUES_DIR    a warm pinned export: the pin file, then every cached value
// Environment: SCOPED_HOME and SCOPED_LOCAL_KEY as scoped reads them; XDG_CONFIG_HOME for the config files scoped
// looks for (read here too, as scoped does when they are absent).
const fs = require('node:fs');
const path = require('node:path');

const [mode, arg, ...rest] = process.argv.slice(2);
const configHome = process.env.XDG_CONFIG_HOME || path.join(process.env.HOME || '/', '.config');
for (const f of [path.join(configHome, 'scoped', 'config.yaml'), path.join(process.cwd(), '.scoped.yaml')]) {
  try {
    fs.readFileSync(f);
  } catch {
    // As scoped: no file, no settings from it.
  }
}
const nodeCrypto = require('node:crypto');
const sum = (text) => nodeCrypto.createHash('sha256').update(text, 'utf8').digest('base64').slice(0, 22);

function key() {
  const k = Buffer.from(process.env.SCOPED_LOCAL_KEY, 'base64');
  const check = fs.readFileSync(path.join(process.env.SCOPED_HOME, 'key-check'), 'utf8').trim();
  if (nodeCrypto.createHmac('sha256', k).update('scoped-local/1 key check').digest('base64').slice(0, 22) !== check) throw new Error('key');
  return k;
}

/** A shard's checked index (line 1) and, when asked, its checked values line (line 2). */
function shard(file, values) {
  const text = fs.readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const line = text.slice(0, nl);
  const sp = line.indexOf(' ');
  if (sum(line.slice(sp + 1)) !== line.slice(0, sp)) throw new Error(`${file}: index sum`);
  const index = JSON.parse(line.slice(sp + 1));
  if (!values) return { index };
  const end = text.indexOf('\n', nl + 1);
  const second = text.slice(nl + 1, end < 0 ? undefined : end);
  if (sum(second) !== index.data) throw new Error(`${file}: values sum`);
  return { index, secrets: JSON.parse(second).secrets };
}

function open(k, name, v) {
  const d = nodeCrypto.createDecipheriv('aes-256-gcm', k, Buffer.from(v.iv, 'base64'));
  d.setAAD(Buffer.from(`scoped-local/1\0${name}\0${v.id}\0${v.binary ? 'binary' : 'string'}`, 'utf8'));
  d.setAuthTag(Buffer.from(v.tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(v.data, 'base64')), d.final()]).toString('utf8');
}

const current = (s) => s.versions.find((v) => v.stages.includes('AWSCURRENT'));
const keyOf = (name) => name.slice(name.lastIndexOf('/') + 1);

if (mode === 'resolve') {
  const out = [];
  for (const file of [arg, ...rest]) for (const name of Object.keys(shard(file, false).index.names)) out.push(`${keyOf(name)}\torg\torg acme`);
  fs.writeSync(1, `${out.join('\n')}\n`);
} else if (mode === 'get') {
  const k = key();
  for (const file of rest) {
    const { secrets } = shard(file, true);
    const name = Object.keys(secrets).find((n) => keyOf(n) === arg);
    if (name !== undefined) fs.writeSync(1, open(k, name, current(secrets[name])));
  }
} else if (mode === 'run') {
  const k = key();
  const env = { ...process.env };
  for (const file of rest) {
    const { secrets } = shard(file, true);
    for (const [name, s] of Object.entries(secrets)) env[keyOf(name)] = open(k, name, current(s));
  }
  require('node:child_process')
    .spawn(arg, [], { stdio: 'inherit', env })
    .on('exit', (c) => {
      process.exitCode = c;
    });
} else if (mode === 'cache') {
  // Every value the pin names, from the value cache: a file per value, its name a hash, AES-GCM sealed. The AAD's
  // parts are scoped's own business: the floor decrypts without checking the tag (less work than scoped's).
  const k = Buffer.from(process.env.SCOPED_LOCAL_KEY, 'base64');
  const pin = JSON.parse(fs.readFileSync(arg, 'utf8'));
  const out = [];
  const files = fs.readdirSync(rest[0]).filter((f) => f.endsWith('.json'));
  for (const [i, f] of files.entries()) {
    const file = path.join(rest[0], f);
    nodeCrypto
      .createHash('sha256')
      .update(JSON.stringify([pin.format ?? '', String(i)]))
      .digest('hex');
    const { sealed } = JSON.parse(fs.readFileSync(file, 'utf8'));
    const d = nodeCrypto.createDecipheriv('aes-256-gcm', k, Buffer.from(sealed.iv, 'base64'));
    const record = JSON.parse(d.update(Buffer.from(sealed.data, 'base64')).toString('utf8'));
    const now = new Date();
    fs.utimesSync(file, now, now);
    out.push(`K${i}='${record.value.s}'`);
  }
  fs.writeSync(1, `${out.join('\n')}\n`);
} else {
  throw new Error(`bench/floor.cjs: no mode ${mode}`);
}
