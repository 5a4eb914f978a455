// Autosave: text being written survives a reload and a closed tab, and is gone once it is saved for real.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pnr } from '../api/server.mjs';
import { loggedInPage, useServerAndBrowser } from './browser.mjs';

const shared = useServerAndBrowser();

test('a journal note being written survives a reload and a closed tab', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await page.goto('/reports/new');
  await page.fill('#identity-number', pnr('2013-01-05', 988));
  await page.selectOption('#reporter-category', 'preschool');
  await page.fill('#report-text', 'Barnet kommer ofta hungrigt till förskolan.');
  await Promise.all([page.waitForURL(/done=registered/), page.click('text=Registrera orosanmälan')]);
  const matterUrl = page.url().split('?')[0];

  const draft = 'Samtal med mamman i dag. Hon berättade att';
  await page.locator('#note-text').pressSequentially(draft);
  await page.locator('#note-text + .draft-status', { hasText: 'Utkast sparat' }).waitFor();
  await page.reload();
  assert.equal(await page.locator('#note-text').inputValue(), draft, 'the draft is back after a reload');

  // Typing more and closing the tab at once: the page saves on the way out.
  await page.locator('#note-text').focus();
  await page.keyboard.press('Control+End');
  await page.locator('#note-text').pressSequentially(' hon');
  await page.close({ runBeforeUnload: true });
  const again = await page.context().newPage();
  await again.goto(matterUrl);
  assert.equal(await again.locator('#note-text').inputValue(), `${draft} hon`, 'the draft survives a closed tab');

  // Saving the note makes it part of the record and removes the draft.
  await again.locator('#note-text').fill('Samtal med mamman i dag.');
  await Promise.all([again.waitForURL(/done=notes/), again.click('text=Spara anteckning')]);
  assert.equal(await again.locator('#note-text').inputValue(), '');
  assert.match(await again.locator('.notes').innerText(), /Samtal med mamman i dag\./);
  assert.equal(shared.server.count('drafts'), 0);
});

test('a correction is a new note that names the old one, and an objection is recorded as such', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  const matterId = shared.server.sql("SELECT max(id) FROM matters")[0][0];
  await page.goto(`/matters/${matterId}`);
  await page.fill('#note-text', 'Mamman säger att uppgiften om hunger är fel.');
  await page.check('input[name=kind][value=objection]');
  await page.selectOption('#note-corrects', '1');
  await Promise.all([page.waitForURL(/done=notes/), page.click('text=Spara anteckning')]);
  const notes = await page.locator('.notes').innerText();
  assert.match(notes, /Den enskildes invändning/);
  assert.match(notes, /rättar anteckning 1/);
  assert.match(notes, /Rättad av anteckning 2/);
  // The first note is unchanged in the journal: a correction never edits.
  assert.equal(shared.server.sql('SELECT text FROM notes WHERE id = 1')[0][0], 'Samtal med mamman i dag.');
});
