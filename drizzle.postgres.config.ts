import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL store's migrations (DATABASE_URL); drizzle.config.ts makes SQLite's. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './migrations/postgres',
});
