// 开门纳谏 public page weight: gzipped size of the JavaScript the public entry
// (dist/web/public/index.html) loads — its module scripts and modulepreloads, plus everything they
// import statically — against the budget of 120 KB. Builds first when the build is stale
// (NODE_ENV=production node scripts/ensure-build.mjs), as `npm run bench` does.
// Run alone: node --import tsx bench/opinions-weight.ts. See bench/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { log, root, round, runDirect, table, writeSection } from './lib.js';

const WEB = path.join(root, 'dist/web');
const ENTRY = path.join(WEB, 'public/index.html');
const BUDGET_BYTES = 120 * 1024;

interface FileFigures {
  file: string;
  /** How the page reaches it: entry script, modulepreload, static import, or dynamic import (lazy). */
  via: 'script' | 'modulepreload' | 'static import' | 'dynamic import' | 'stylesheet';
  bytes: number;
  gzip6: number;
  gzip9: number;
  brotli: number;
}

/** Resolves a URL from the HTML or an import specifier to a file under dist/web. */
function resolveAsset(spec: string, fromFile: string | null): string | null {
  if (/^(https?:)?\/\//.test(spec) || spec.startsWith('data:')) return null;
  const clean = spec.split(/[?#]/)[0]!;
  const file = clean.startsWith('/') ? path.join(WEB, clean) : path.resolve(fromFile ? path.dirname(fromFile) : path.dirname(ENTRY), clean);
  return fs.existsSync(file) ? file : null;
}

function measureFile(file: string, via: FileFigures['via']): FileFigures {
  const data = fs.readFileSync(file);
  return {
    file: path.relative(WEB, file),
    via,
    bytes: data.length,
    gzip6: zlib.gzipSync(data, { level: 6 }).length,
    gzip9: zlib.gzipSync(data, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export async function runWeight() {
  log('opinions weight: building when stale (NODE_ENV=production node scripts/ensure-build.mjs)');
  execFileSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs')], {
    cwd: root, stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, NODE_ENV: 'production' },
  });
  if (!fs.existsSync(ENTRY)) throw new Error('dist/web/public/index.html is missing after the build');
  const html = fs.readFileSync(ENTRY, 'utf8');
  const files = new Map<string, FileFigures>();
  const queue: string[] = [];
  const add = (file: string | null, via: FileFigures['via']) => {
    if (!file || files.has(file)) return;
    files.set(file, measureFile(file, via));
    if (file.endsWith('.js')) queue.push(file);
  };
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) add(resolveAsset(m[1]!, null), 'script');
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"[^>]*>/g)) add(resolveAsset(m[1]!, null), 'modulepreload');
  for (const m of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>/g)) add(resolveAsset(m[1]!, null), 'stylesheet');
  // Static imports load with the page; dynamic import() only when that code path runs.
  const dynamic = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+\.js)["']/g)) add(resolveAsset(m[1]!, file), 'static import');
    for (const m of src.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) {
      const f = resolveAsset(m[1]!, file);
      if (f) dynamic.add(f);
    }
  }
  for (const f of dynamic) add(f, 'dynamic import');
  // Lazily imported chunks may import more: follow them, still as "dynamic".
  while (queue.length) {
    const file = queue.shift()!;
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+\.js)["']/g)) add(resolveAsset(m[1]!, file), 'dynamic import');
    for (const m of src.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) add(resolveAsset(m[1]!, file), 'dynamic import');
  }
  const all = [...files.values()];
  const js = all.filter((f) => f.file.endsWith('.js'));
  const initial = js.filter((f) => f.via !== 'dynamic import');
  const sum = (xs: FileFigures[], k: 'bytes' | 'gzip6' | 'gzip9' | 'brotli') => xs.reduce((a, f) => a + f[k], 0);
  const kb = (n: number) => (n / 1024).toFixed(1);
  const totals = {
    initialJs: { files: initial.length, bytes: sum(initial, 'bytes'), gzip6: sum(initial, 'gzip6'), gzip9: sum(initial, 'gzip9'), brotli: sum(initial, 'brotli') },
    allJs: { files: js.length, bytes: sum(js, 'bytes'), gzip6: sum(js, 'gzip6'), gzip9: sum(js, 'gzip9'), brotli: sum(js, 'brotli') },
    css: { files: all.length - js.length, bytes: sum(all.filter((f) => !f.file.endsWith('.js')), 'bytes'), gzip6: sum(all.filter((f) => !f.file.endsWith('.js')), 'gzip6') },
  };
  process.stdout.write(
    `\nPublic page weight: files referenced by dist/web/public/index.html (and what their JavaScript imports); KB = 1024 bytes\n` +
      table(
        ['file', 'loaded', 'raw KB', 'gzip -6 KB', 'gzip -9 KB', 'brotli KB'],
        [
          ...all.map((f) => [f.file, f.via, kb(f.bytes), kb(f.gzip6), kb(f.gzip9), kb(f.brotli)]),
          ['JS loaded with the page', `${totals.initialJs.files} files`, kb(totals.initialJs.bytes), kb(totals.initialJs.gzip6), kb(totals.initialJs.gzip9), kb(totals.initialJs.brotli)],
          ['all JS incl. lazy chunks', `${totals.allJs.files} files`, kb(totals.allJs.bytes), kb(totals.allJs.gzip6), kb(totals.allJs.gzip9), kb(totals.allJs.brotli)],
        ],
        2,
      ) +
      `\n\nbudget (issue 3): under 120 KB of gzipped JavaScript — all JS incl. lazy chunks, gzip -6: ${kb(totals.allJs.gzip6)} KB ` +
      `(${round((totals.allJs.gzip6 / BUDGET_BYTES) * 100, 1)} % of the budget)\n`,
  );
  const result = {
    entry: path.relative(root, ENTRY),
    budgetBytes: BUDGET_BYTES,
    withinBudget: totals.allJs.gzip6 < BUDGET_BYTES,
    note: 'gzip -6 is zlib\'s default level (what a reverse proxy typically serves); -9 and brotli -11 for reference',
    files: all,
    totals,
  };
  writeSection('weight', result);
  return result;
}

runDirect(import.meta.url, runWeight);
