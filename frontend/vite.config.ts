import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API is served by FastAPI on the same origin; in `npm run dev` Vite forwards /api to it.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  build: { target: 'es2022', sourcemap: false },
});
