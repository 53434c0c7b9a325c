// Playwright drives Debian's Chromium (never a downloaded browser) against the release build in
// ../dist, served by serve-dist.mjs.
import { defineConfig } from '@playwright/test';

const port = 8081;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'test-results/results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  // The benchmark runs alone, after every other test, so its frame times are not shared with
  // another browser.
  projects: [
    { name: 'e2e', testIgnore: /bench\.spec\.mjs/ },
    { name: 'bench', testMatch: /bench\.spec\.mjs/, dependencies: ['e2e'] },
  ],
  webServer: {
    command: `node serve-dist.mjs ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
