// Builds what `npm start` and the CLI need, only when the sources are newer than the build.
// Runs after `npm install` / `npm ci` (postinstall) so the first `npm start` starts at once, and again
// before every start (prestart), where it usually has nothing to do. Uses only what is installed:
// tsc and vite from node_modules, nothing downloaded.
// Prints to stderr so `npm run -s rectify -- stats --json` keeps stdout pure JSON.
//   --server-only   the server only (the CLI needs no web app)
//   --postinstall   a failed build warns instead of failing the install (npm start tries again);
//                   RECTIFY_SKIP_BUILD=1 skips it (e.g. while only adding a dependency)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverOnly = process.argv.includes('--server-only');
const postinstall = process.argv.includes('--postinstall');
const say = (line) => process.stderr.write(`${line}\n`);

function newest(dirs) {
  let t = 0;
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, fs.statSync(p).mtimeMs);
    }
  };
  dirs.forEach((d) => walk(path.join(root, d)));
  return t;
}
const mtime = (f) => (fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).mtimeMs : 0);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} 秒`;

/**
 * Runs one build step, its own output going to stderr, with a line every 10 s so nobody thinks it
 * hangs. NODE_ENV=production: run from a test runner (NODE_ENV=test) Vite would bundle React's
 * development build.
 */
function step(label, args) {
  const started = Date.now();
  say(`  ${label}…`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', process.stderr, process.stderr],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const beat = setInterval(() => say(`  …${label}，已用 ${seconds(Date.now() - started)}`), 10_000);
    child.on('error', (err) => {
      clearInterval(beat);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearInterval(beat);
      if (code === 0) {
        say(`  ${label}完成（${seconds(Date.now() - started)}）`);
        resolve();
      } else reject(new Error(`${label}失败（${signal ?? `退出码 ${code}`}）`));
    });
  });
}

async function main() {
  if (postinstall && process.env.RECTIFY_SKIP_BUILD === '1') {
    say('RECTIFY_SKIP_BUILD=1：跳过安装后的构建（npm start 时会自动构建）。');
    return;
  }
  const configs = ['package.json', 'tsconfig.json', 'tsconfig.server.json', 'vite.config.ts'].map(mtime);
  const srcServer = Math.max(newest(['src/server', 'src/shared']), ...configs);
  const needServer = mtime('dist/server/main.js') < srcServer;
  const srcWeb = Math.max(newest(['src/web', 'src/shared']), ...configs);
  const needWeb = !serverOnly && mtime('dist/web/index.html') < srcWeb;
  if (!needServer && !needWeb) return;

  const started = Date.now();
  const first = !fs.existsSync(path.join(root, 'dist'));
  say(
    first
      ? '首次构建教育整顿工作平台（服务端与前端），约需半分钟到两分钟，请稍候…'
      : '源码有更新，正在重新构建（约需半分钟到两分钟），请稍候…',
  );
  if (needServer) {
    await step('构建服务端（tsc）', [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json']);
    fs.utimesSync(path.join(root, 'dist/server/main.js'), new Date(), new Date());
  }
  if (needWeb) {
    await step('构建前端（vite）', [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  }
  say(`构建完成，共用 ${seconds(Date.now() - started)}。`);
}

main().catch((err) => {
  if (postinstall) {
    // A broken build must not break `npm install`: the next `npm start` builds again and says why.
    say(`警告：安装后的构建未完成（${err.message}）；npm start 时会重新构建。`);
    process.exit(0);
  }
  say(`构建失败：${err.message}`);
  process.exit(1);
});
