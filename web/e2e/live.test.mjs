// The browser test: two people in two browser contexts, against a running Hubbub
// (HUBBUB_E2E_URL). Bob follows Alice; Alice posts; Bob's home timeline shows the
// post without a reload. Run it through scripts/e2e.sh, which starts the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = process.env.HUBBUB_E2E_URL;
const CHROMIUM = [process.env.HUBBUB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
const skip = !BASE_URL
  ? 'HUBBUB_E2E_URL is not set (scripts/e2e.sh starts a server and sets it)'
  : !CHROMIUM
    ? 'no Chromium at /usr/bin/chromium (apt-get install -y chromium)'
    : false;

// Short and unique per run, within the 30 characters a username may have.
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const ALICE = `alice_${RUN}`;
const BOB = `bob_${RUN}`;
const PASSWORD = 'correct horse battery staple';

let browser;
let alice;
let bob;
const dialogs = [];

async function newPerson(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => {
    console.error(`page error: ${error.message}`);
  });
  return page;
}

async function register(page, username) {
  await page.goto(BASE_URL);
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor({ timeout: 10_000 });
}

async function post(page, text) {
  await page.getByLabel('What’s new?').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  // The composer empties once the server accepted the post.
  await page.waitForFunction(() => document.querySelector('#composer-text')?.value === '', null, { timeout: 5_000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}

before(async () => {
  if (skip) return;
  mkdirSync(RESULTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Alice on a narrow phone, Bob on a laptop: the client must work at 360 px.
  alice = await newPerson({ width: 360, height: 780 });
  bob = await newPerson({ width: 1100, height: 900 });
});

after(async () => {
  await browser?.close();
});

test('a followed person’s post appears in the follower’s home timeline without a reload', { skip }, async () => {
  await register(alice, ALICE);
  await register(bob, BOB);
  await post(alice, `alice joins ${RUN}`);

  // Bob finds Alice through the all-company feed and follows her from her profile.
  await bob.getByRole('link', { name: 'All company' }).click();
  await bob.getByRole('link', { name: new RegExp(`@${ALICE}`) }).first().click();
  await bob.getByRole('heading', { name: ALICE, level: 1 }).waitFor();
  await bob.getByRole('button', { name: 'Follow', exact: true }).click();
  await bob.getByRole('button', { name: 'Unfollow', exact: true }).waitFor();
  await shot(bob, 'bob-follows-alice');

  await bob.getByRole('link', { name: 'Home', exact: true }).click();
  await bob.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await bob.locator('[data-state="live"]').waitFor({ state: 'attached', timeout: 10_000 });
  // A reload would wipe this marker.
  await bob.evaluate(() => {
    window.__hubbubNoReload = true;
  });

  const hello = `hello from alice ${RUN}`;
  await post(alice, hello);
  const posted = Date.now();
  await bob.locator('.status').filter({ hasText: hello }).waitFor({ timeout: 2_000 });
  const latency = Date.now() - posted;
  assert.equal(await bob.evaluate(() => window.__hubbubNoReload), true, 'Bob’s page must not have reloaded');
  assert.ok(latency <= 2_000, `post reached Bob after ${latency} ms`);
  await shot(alice, 'alice-after-posting-360px');
  await shot(bob, 'bob-sees-alice-live');
});

test('markup in a post is shown as text, never run', { skip }, async () => {
  const attack = `<img src=x onerror=alert(1)> ${RUN}`;
  await post(alice, attack);
  const item = bob.locator('.status').filter({ hasText: attack });
  await item.waitFor({ timeout: 2_000 });
  assert.equal(await bob.locator('img').count(), 0, 'no img element may be in Bob’s page');
  assert.equal(await alice.locator('img').count(), 0, 'no img element may be in Alice’s page');
  assert.deepEqual(dialogs, [], 'no script may have run');
  await shot(bob, 'bob-sees-markup-as-text');

  // Alice deletes it; it leaves Bob's timeline live as well.
  await alice.locator('.status').filter({ hasText: attack }).getByRole('button', { name: /Delete/ }).click();
  await item.waitFor({ state: 'detached', timeout: 2_000 });
});

test('"load more" pages back through the home timeline with nothing repeated or missing', { skip }, async () => {
  // Twenty-two more posts through the API with Alice's own token: a page holds twenty.
  const created = await alice.evaluate(async (run) => {
    const token = localStorage.getItem('hubbub.token');
    const ids = [];
    for (let i = 1; i <= 22; i += 1) {
      const response = await fetch('/api/v1/statuses', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: `page test ${i} ${run}` }),
      });
      if (!response.ok) throw new Error(`post ${i}: HTTP ${response.status}`);
      ids.push((await response.json()).id);
    }
    return ids;
  }, RUN);
  assert.equal(created.length, 22);

  await alice.reload();
  await alice.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  const items = alice.locator('.feed .status');
  await items.nth(19).waitFor();
  assert.equal(await items.count(), 20, 'the first page holds twenty posts');
  // Infinite scroll: reaching the end of the list loads the older page.
  await items.nth(19).scrollIntoViewIfNeeded();
  await alice.getByText('You’re all caught up.').waitFor();

  const shown = await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status-id')));
  assert.equal(new Set(shown).size, shown.length, 'no post is shown twice');
  for (const id of created) assert.ok(shown.includes(id), `post ${id} is shown`);
  // Alice's earlier posts are there too, below the new ones (the markup post was deleted).
  await alice.locator('.status').filter({ hasText: `hello from alice ${RUN}` }).waitFor();
  await alice.locator('.status').filter({ hasText: `alice joins ${RUN}` }).waitFor();
  await shot(alice, 'alice-after-load-more-360px');
});

test('logging out returns to the sign-in screen and the old session stays closed', { skip }, async () => {
  const oldToken = await bob.evaluate(() => localStorage.getItem('hubbub.token'));
  assert.ok(oldToken, 'Bob is signed in with a stored token');
  await bob.getByRole('button', { name: /Log out/ }).click();
  await bob.getByRole('tab', { name: 'Sign in' }).waitFor();
  await bob.reload();
  await bob.getByRole('tab', { name: 'Sign in' }).waitFor();
  const oldTokenStatus = await bob.evaluate(async (token) => {
    const response = await fetch('/api/v1/accounts/verify_credentials', { headers: { Authorization: `Bearer ${token}` } });
    return response.status;
  }, oldToken);
  assert.equal(oldTokenStatus, 401, 'the revoked token is refused');

  await bob.getByLabel('Username').fill(BOB);
  await bob.getByLabel('Password').fill('wrong password');
  await bob.getByRole('button', { name: 'Sign in', exact: true }).click();
  await bob.getByText('Wrong username or password.').waitFor();

  await bob.getByLabel('Password').fill(PASSWORD);
  await bob.getByRole('button', { name: 'Sign in', exact: true }).click();
  await bob.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  await bob.locator('.status').filter({ hasText: `page test 22 ${RUN}` }).waitFor();

  // A deep link by path: the server answers with the client, which opens the profile.
  await bob.goto(`${BASE_URL}/@${ALICE}`);
  await bob.getByRole('heading', { name: ALICE, level: 1 }).waitFor();
  await bob.getByRole('button', { name: 'Unfollow', exact: true }).waitFor();
});

test('the server’s objections appear next to the field they are about', { skip }, async () => {
  const carol = await newPerson({ width: 360, height: 780 });
  await carol.goto(BASE_URL);
  await carol.getByRole('tab', { name: 'Create account' }).click();
  await carol.getByLabel('Username').fill(ALICE.toUpperCase());
  await carol.getByLabel('Email').fill(`carol_${RUN}@example.com`);
  await carol.getByLabel('Password').fill(PASSWORD);
  await carol.getByRole('button', { name: 'Create account' }).click();
  const username = carol.getByLabel('Username');
  await carol.locator('#register-username-error').waitFor();
  assert.match(await carol.locator('#register-username-error').innerText(), /taken/);
  assert.equal(await username.getAttribute('aria-invalid'), 'true');
  assert.match((await username.getAttribute('aria-describedby')) ?? '', /register-username-error/);
  await shot(carol, 'carol-username-taken-360px');

  await username.fill(`carol_${RUN}`);
  await carol.getByRole('button', { name: 'Create account' }).click();
  await carol.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

  // A control character passes the client's checks; the server's 422 shows under the composer.
  await carol.getByLabel('What’s new?').fill('ring the \u0007 bell');
  await carol.getByRole('button', { name: 'Post', exact: true }).click();
  await carol.locator('#composer-error').waitFor();
  assert.match(await carol.locator('#composer-error').innerText(), /control characters/);
  assert.equal(await carol.getByLabel('What’s new?').getAttribute('aria-invalid'), 'true');
});
