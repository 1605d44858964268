// First load of the home feed in headless Chromium, on an instance filled by
// `hubbub seed`: signs in once through /oauth/authorize (the session stays in
// the browser), then opens the client RUNS times in a fresh tab and measures the
// time from navigation start until the home feed shows its first post, with the
// bytes transferred. Run by `scripts/bench-web.sh first-load`, which seeds and
// starts the server.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.HUBBUB_BENCH_URL;
const USER = process.env.HUBBUB_BENCH_USER;
const PASSWORD = process.env.HUBBUB_BENCH_PASSWORD ?? 'hubbub-demo';
const RUNS = Number(process.env.HUBBUB_BENCH_RUNS ?? 20);
const CHROMIUM = [process.env.HUBBUB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!BASE_URL || !USER || !CHROMIUM) {
  console.error('set HUBBUB_BENCH_URL and HUBBUB_BENCH_USER (scripts/bench-web.sh first-load does) and install chromium');
  process.exit(2);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const signIn = await context.newPage();
await signIn.goto(BASE_URL);
await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
await signIn.getByLabel('Username or email').fill(USER);
await signIn.getByLabel('Password').fill(PASSWORD);
await signIn.getByRole('button', { name: 'Authorize', exact: true }).click();
await signIn.getByRole('heading', { name: 'Home', level: 1 }).waitFor({ timeout: 10_000 });
await signIn.close();

/** Opens the client in a new tab; returns ms to the first post, and bytes loaded. */
async function load(cache) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cache });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
  });
  await page.goto(`${BASE_URL}/#/home`);
  await page.locator('.status').first().waitFor({ timeout: 10_000 });
  const ms = await page.evaluate(() => performance.now());
  const posts = await page.locator('.status').count();
  await page.close();
  return { ms, bytes, posts };
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)];
};

for (const [label, cache] of [['cold (no HTTP cache)', false], ['warm (HTTP cache)', true]]) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await load(cache));
  const times = runs.map((r) => r.ms);
  console.log(
    `${label}: first post shown after p50 ${quantile(times, 0.5).toFixed(0)} ms, p95 ${quantile(times, 0.95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms over ${RUNS} loads; ` +
      `${(quantile(runs.map((r) => r.bytes), 0.5) / 1024).toFixed(1)} KiB transferred, ${runs[0].posts} posts on the first screen`,
  );
}
await browser.close();
