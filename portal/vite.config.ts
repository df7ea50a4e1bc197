import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/portal and served by the gateway at /portal (src/admin/portal.plugin.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/portal/',
  plugins: [react()],
  // `npm run dev:portal`: the app with hot reload, talking to a gateway started with `npm start`.
  server: {
    proxy: Object.fromEntries(['/auth', '/admin'].map((path) => [path, process.env.CCAG_URL ?? 'http://127.0.0.1:8080'])),
  },
  build: {
    outDir: '../dist/portal',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The page's Content-Security-Policy allows no inline script; never inline the entry.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than pages: separate chunks stay cached across releases.
        // What the shell needs (React, router, query) is captured first, so the charts group,
        // which pulls in its dependencies, gets only what the chart pages alone use.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: /node_modules/, tags: ['$initial'], priority: 2 },
            { name: 'charts', test: /node_modules/, priority: 1 },
          ],
        },
      },
    },
  },
});
