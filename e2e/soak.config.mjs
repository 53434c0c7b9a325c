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
  // `gc()` for the sampler: the JS heap is measured after a collection, so the series shows what
  // is live rather than when the collector last ran (unforced, it swung between 3 and 7 MB).
  use: { ...base.use, launchOptions: { ...base.use.launchOptions, args: [...base.use.launchOptions.args, '--js-flags=--expose-gc'] } },
});
