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
    rollupOptions: {
      output: {
        // Libraries change less often than pages: a separate chunk stays cached across releases.
        manualChunks: (id) => (id.includes('node_modules/recharts') || id.includes('node_modules/d3-') || id.includes('node_modules/victory-vendor') ? 'charts' : id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
});
