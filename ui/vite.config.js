// The admin UI's build: Preact (JSX through esbuild, no plugin), served by the gateway at /ui/.
// Output goes where CMake asks (scripts/build.mjs passes outDir); hashed file names let the
// gateway cache everything under /ui/assets/ forever.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 300,
  },
  logLevel: 'warn',
});
