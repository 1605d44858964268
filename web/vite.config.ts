import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The dev server proxies the API to a locally running `hubbub serve`, so the
// client always talks to its own origin, as it does in production.
const api = process.env.HUBBUB_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/api': api, '/oauth': api },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
