// Benchmark of a long feed in headless Chromium: one account writes POSTS posts
// through the API, then a browser opens "All company", scrolls until every post
// is loaded, scrolls back up through them, and shows one live post.
// Prints what Chromium spent (script, style, layout) per phase, frame times, DOM
// size and heap. Run by scripts/bench-web.sh, which starts the server.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.HUBBUB_BENCH_URL;
const POSTS = Number(process.env.HUBBUB_BENCH_POSTS ?? 3000);
const SCROLL_FRAMES = Number(process.env.HUBBUB_BENCH_FRAMES ?? 600);
const SCROLL_STEP = 200;
const CHROMIUM = [process.env.HUBBUB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
if (!BASE_URL || !CHROMIUM) {
  console.error('set HUBBUB_BENCH_URL (scripts/bench-web.sh does) and install chromium');
  process.exit(2);
}

async function call(path, { token, body, form } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(form).toString();
  } else if (body) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${BASE_URL}${path}`, { method: payload ? 'POST' : 'GET', headers, body: payload });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A new account and its access token, the way a Mastodon app registers one. */
async function account(username) {
  const app = await call('/api/v1/apps', { form: { client_name: 'bench', redirect_uris: 'urn:ietf:wg:oauth:2.0:oob', scopes: 'read write follow' } });
  const appToken = await call('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret, scope: 'read write follow' },
  });
  const token = await call('/api/v1/accounts', {
    token: appToken.access_token,
    body: { username, email: `${username}@example.com`, password: 'correct horse battery staple', agreement: true, locale: 'en' },
  });
  return token.access_token;
}

const SENTENCES = [
  'Has anyone found a way to make the VPN reconnect by itself after sleep?',
  'The printer on the third floor is back, thanks to whoever fixed the tray.',
  'Reminder: the quarterly all-hands moves to Thursday at 10:00 in the big room and online.',
  'Here is the checklist we use for new starters, feel free to copy it into your team space. It covers accounts, laptops, badges and the first week.',
  'Short one today.',
  'We shipped the new expense form: fewer fields, and receipts can be photographed straight from the phone. Tell us what still hurts. #finance',
];

function text(i) {
  const n = 1 + (i % 3);
  return Array.from({ length: n }, (_, k) => SENTENCES[(i * 7 + k) % SENTENCES.length]).join(' ') + ` (post ${i})`;
}

async function seed(token) {
  let next = 0;
  const worker = async () => {
    while (next < POSTS) {
      const i = next++;
      await call('/api/v1/statuses', { token, body: { status: text(i) } });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

function spent(before, after) {
  const ms = (name) => Math.round((after[name] - before[name]) * 1000);
  return { script_ms: ms('ScriptDuration'), style_ms: ms('RecalcStyleDuration'), layout_ms: ms('LayoutDuration'), task_ms: ms('TaskDuration') };
}

const started = Date.now();
const writer = `bench_${started.toString(36)}`;
const token = await account(writer);
await seed(token);
console.log(`seeded ${POSTS} posts in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript((t) => localStorage.setItem('hubbub.token', t), token);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
await page.goto(`${BASE_URL}/#/public`);
await page.getByRole('heading', { name: 'All company', level: 1 }).waitFor({ timeout: 20_000 });
await page.locator('.feed .status').first().waitFor({ timeout: 20_000 });

/**
 * Scrolls by `step` px each animation frame, `max` frames at most, stopping early once
 * `posts` posts are shown and the end of the page is in view; returns the frame times.
 */
async function scrollFrames(step, posts, max) {
  return page.evaluate(
    ({ by, target, limit }) =>
      new Promise((resolve) => {
        // The cheap test first: counting the posts on every frame would be measured too.
        const atEnd = () =>
          target > 0 &&
          window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2 &&
          document.querySelectorAll('.feed .status').length >= target;
        const times = [];
        let last = performance.now();
        const tick = (now) => {
          times.push(now - last);
          last = now;
          window.scrollBy(0, by);
          if (times.length < limit && !atEnd()) requestAnimationFrame(tick);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    { by: step, target: posts, limit: max },
  );
}

function frameStats(frames) {
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    frames: frames.length,
    p50_ms: Number(percentile(sorted, 50).toFixed(1)),
    p95_ms: Number(percentile(sorted, 95).toFixed(1)),
    max_ms: Number(sorted[sorted.length - 1].toFixed(1)),
    over_50ms: frames.filter((f) => f > 50).length,
  };
}

// 1. Read down the whole feed: SCROLL_STEP px a frame from the top until every post
//    is loaded (infinite scroll fetches a page at a time) and the end is in view.
let m0 = await metrics(cdp);
let t0 = Date.now();
const down = await scrollFrames(SCROLL_STEP, POSTS, 100_000);
const read = { wall_ms: Date.now() - t0, ...spent(m0, await metrics(cdp)), ...frameStats(down) };

// 2. Scroll back up through posts already seen.
m0 = await metrics(cdp);
const up = await scrollFrames(-SCROLL_STEP, 0, SCROLL_FRAMES);
const back = { ...spent(m0, await metrics(cdp)), ...frameStats(up) };

// 3. A live post while the reader is down the feed: it waits behind the bar; showing it renders it on top.
await page.evaluate(() => window.scrollTo(0, 20_000));
await page.waitForTimeout(300);
const live = `live post ${started}`;
await call('/api/v1/statuses', { token, body: { status: live } });
// CSS selectors: a role query walks the accessibility of all 3,000 posts' buttons on every poll.
const bar = page.locator('button.new-posts', { hasText: '1 new post' });
await bar
  .waitFor({ timeout: 60_000 })
  .catch(async (e) => {
    await page.screenshot({ path: '/tmp/bench-feed-failed.png' });
    throw e;
  });
m0 = await metrics(cdp);
t0 = Date.now();
await bar.click();
await page.locator('.feed .status').first().filter({ hasText: live }).waitFor({ timeout: 10_000 });
const reveal = { wall_ms: Date.now() - t0, ...spent(m0, await metrics(cdp)) };

const after = await metrics(cdp);
const summary = {
  posts: await page.locator('.feed .status').count(),
  dom_nodes: after.Nodes,
  js_heap_mb: (after.JSHeapUsedSize / 1048576).toFixed(1),
};
console.log(JSON.stringify({ read, back, reveal, summary }, null, 2));
await browser.close();
