// An image pasted (or dropped in a browser) goes by bytes with its name, which the contract takes up to
// 255 characters. A longer name is cut keeping its file extension, with … where it was cut, and the
// intake notice says it was shortened (the cut took ".png" away, unsaid, and the queue showed half a word).
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario, openMockApp } from './support/mock-app';

type Calls = { __mock: { calls: { channel: string; input: { items?: { kind: string; name?: string }[] } }[] } };

const LONG_NAME = `Scan 2026.05.01 v1.2 of the garden gnome from the shed ${'and its hat '.repeat(25)}seen from the left.png`;

/** Ctrl/Cmd+V with one image file on the clipboard, outside any text field. */
const paste = (page: Page, name: string) =>
  page.evaluate((fileName) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], fileName, { type: 'image/png' }));
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, name);

for (const scheme of ['light', 'dark'] as const) {
  test(`a pasted image with a name over 255 characters keeps its extension, and the notice says it was shortened (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    await expect(page.getByTestId('drop-zone')).toBeVisible();
    expect(LONG_NAME.length).toBeGreaterThan(255);
    await paste(page, LONG_NAME);

    const notice = page.getByTestId('intake-notice');
    await expect(notice).toContainText('1 image added');
    const sent = await page.evaluate(() =>
      (window as unknown as Calls).__mock.calls.filter((c) => c.channel === 'jobs:add').flatMap((c) => (c.input.items ?? []).map((item) => item.name)),
    );
    expect(sent).toHaveLength(1);
    const name = sent[0] ?? '';
    expect(name.length).toBeLessThanOrEqual(255);
    expect(name).toMatch(/^Scan 2026\.05\.01 v1\.2 of the garden gnome from the shed and its hat .*….png$/);
    await expect(page.getByTestId('job-row').filter({ hasText: 'Scan 2026.05.01' })).toHaveCount(1);

    const note = page.getByTestId('intake-shortened');
    await expect(note).toHaveText('A name longer than 255 characters was shortened to fit, keeping its file type: “Scan 2026.05.01 v1.2 of the garden gnome….png”.');
    await expect(note).toHaveAttribute('title', name);
    await notice.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`long-name-shortened-${scheme}.png`) });

    // A name that fits goes as it is, and nothing is said of it.
    await paste(page, 'garden gnome.png');
    await expect(page.getByTestId('job-row').filter({ hasText: 'garden gnome.png' })).toHaveCount(1);
    await expect(note).toHaveCount(0);
  });
}
