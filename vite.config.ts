// Web build: two entries under src/web — the staff app (src/web/index.html → dist/web/index.html)
// and the public page (src/web/public/index.html → dist/web/public/index.html); assets in dist/web/assets.
// The server (src/server/app.ts) serves exactly this layout.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const web = fileURLToPath(new URL('./src/web/', import.meta.url));
const nodeModule = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);

export default defineConfig({
  root: web,
  base: '/',
  // src/web/public is the public *page*, not Vite's folder of files copied verbatim.
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
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
      },
      output: {
        // Long-lived vendor chunks: a release that only touches our pages leaves them cached.
        codeSplitting: {
          groups: [
            { name: 'react', test: nodeModule('react|react-dom|scheduler|react-router|@tanstack'), priority: 3 },
            // The antd parts the shell needs at once (layout, menu, form…) in one chunk; heavier components
            // used only by some pages (table, tree, date picker…) split off with those pages.
            { name: 'antd', test: nodeModule('antd|@ant-design|@rc-component|dayjs|@babel|clsx|classnames|@emotion|stylis'), tags: ['$initial'], priority: 2 },
            // zod comes with src/shared schemas into the pages that use them.
            { name: 'zod', test: nodeModule('zod'), priority: 2 },
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
