import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: a plain web app (DOM only). Built to dist/renderer, served by app:// in
// Electron and by the browser harness in Chromium.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, target: 'chrome130' },
});
