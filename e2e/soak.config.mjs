// The soak run (scripts/soak.sh): one long test, not part of the default test command.
import base from './playwright.config.mjs';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  ...base,
  testDir: './soak',
  projects: undefined,
  timeout: 15 * 60_000,
  workers: 1,
  reporter: [['list']],
});
