// Builds what `npm start` and the CLI need, only when the sources are newer than the build.
// Prints to stderr so `npm run -s rectify -- stats --json` keeps stdout pure JSON.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const serverOnly = process.argv.includes('--server-only');

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
// NODE_ENV=production: run from a test runner (NODE_ENV=test) Vite would bundle React's development build.
const run = (cmd, args) =>
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr], env: { ...process.env, NODE_ENV: 'production' } });

const configs = ['package.json', 'tsconfig.json', 'tsconfig.server.json', 'vite.config.ts'].map(mtime);
const srcServer = Math.max(newest(['src/server', 'src/shared']), ...configs);
if (mtime('dist/server/main.js') < srcServer) {
  process.stderr.write('构建服务端（tsc）…\n');
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json']);
  fs.utimesSync(path.join(root, 'dist/server/main.js'), new Date(), new Date());
}
if (!serverOnly) {
  const srcWeb = Math.max(newest(['src/web', 'src/shared']), ...configs);
  if (mtime('dist/web/index.html') < srcWeb) {
    process.stderr.write('构建前端（vite）…\n');
    run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  }
}
