// Web build: two entries under src/web — the staff app (src/web/index.html → dist/web/index.html)
// and the public page (src/web/public/index.html → dist/web/public/index.html); assets in dist/web/assets.
// A third, light entry: the 1155 field app (src/web/field/index.html → dist/web/field/index.html), whose
// service worker is a plain file copied as it is (src/web/static/field/sw.js → dist/web/field/sw.js).
// Files copied as they are (robots.txt, favicons) come from src/web/static into dist/web.
// The server (src/server/web.ts) serves exactly this layout.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const web = fileURLToPath(new URL('./src/web/', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web/', import.meta.url));
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes NAME.br (brotli 11) and NAME.gz (gzip 9) beside every text file of the build, so the server
 * sends them without compressing anything per request (src/server/web.ts, preCompressed). A copy that
 * would not be smaller is not written; the server then sends the file as it is.
 */
function precompress(): Plugin {
  const TEXT = /\.(html|js|mjs|css|svg|json|txt|xml|ico|webmanifest)$/;
  const files = async (dir: string): Promise<string[]> =>
    (await fs.readdir(dir, { withFileTypes: true, recursive: true }))
      .filter((e) => e.isFile() && TEXT.test(e.name))
      .map((e) => path.join(e.parentPath, e.name));
  return {
    name: 'rectify-precompress',
    apply: 'build',
    async closeBundle() {
      await Promise.all(
        (await files(outDir)).map(async (f) => {
          const raw = await fs.readFile(f);
          const br = await brotli(raw, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
          });
          const gz = await gzip(raw, { level: 9 });
          if (br.length < raw.length * 0.9) await fs.writeFile(`${f}.br`, br);
          if (gz.length < raw.length * 0.9) await fs.writeFile(`${f}.gz`, gz);
        }),
      );
    },
  };
}

const nodeModule = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

export default defineConfig({
  root: web,
  base: '/',
  // src/web/public is the public *page*; the files copied verbatim live in src/web/static.
  publicDir: fileURLToPath(new URL('./src/web/static/', import.meta.url)),
  plugins: [react(), precompress()],
  // The proof-of-work worker (src/web/public/pow-worker.ts) as a classic script: module workers are
  // missing from older Android WebViews that citizens still use.
  worker: { format: 'iife' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Browsers without modulepreload still load everything, only a little later; the polyfill would
    // otherwise be one more request on the tiny public page.
    modulePreload: { polyfill: false },
    // antd's initial chunk is large by nature (~530 kB raw, ~170 kB gzip); the warning would only repeat that.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      input: {
        admin: `${web}index.html`,
        public: `${web}public/index.html`,
        // The 1155 field entry for a cadre's phone (src/web/field, served at /field/, works offline).
        field: `${web}field/index.html`,
      },
      output: {
        // Long-lived vendor chunks: a release that only touches our pages leaves them cached.
        codeSplitting: {
          groups: [
            { name: 'react', test: nodeModule('react|react-dom|scheduler|react-router|@tanstack'), priority: 3 },
            // No antd group: the staff entry (and the login page) load no antd at all; the frame's share
            // and each page's components split by who uses them, so a route loads only its own parts.
            // zod comes with src/shared schemas into the pages that use them.
            { name: 'zod', test: nodeModule('zod'), priority: 2 },
            // antd's form runtime and its tooltip each in a chunk of their own (only those modules, not what
            // they import): left to the automatic split they merge with small helpers every list needs (Flex,
            // Space), and a list without a form would load them for nothing. (ConfigProvider needs only the
            // form's message context and the tooltip's provider, which stay out.)
            { name: 'antd-form', test: /[\\/]node_modules[\\/](@rc-component[\\/](form|async-validator)|antd[\\/]es[\\/](form[\\/](?!validateMessagesContext)|_util[\\/]ContextIsolator))/, priority: 2, includeDependenciesRecursively: false },
            { name: 'antd-tooltip', test: /[\\/]node_modules[\\/](@rc-component[\\/]tooltip[\\/]|antd[\\/]es[\\/]tooltip[\\/](?!UniqueProvider))/, priority: 2, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite` for front-end work against a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
