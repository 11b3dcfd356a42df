// The scrollbar thumb stands out from its track (WCAG 1.4.11, 3:1 for what a user has to see to use it)
// in both themes: on the long Settings page it is how a mouse user finds where they are and drags. Its
// track is transparent, so the thumb is measured against what shows through it: the scroller's own
// background, or the first one behind it. (It used the border colour: 1.4:1 light, 1.9:1 dark.)
import { expect, test } from '@playwright/test';
import config from '../../playwright.config';
import { contrastRatio, parseRgb } from './support/contrast';
import { defaultScenario, openMockApp } from './support/mock-app';

// Headless Chromium hides scrollbars unless asked not to: the screenshots show the thumb.
test.use({ launchOptions: { ...config.use?.launchOptions, ignoreDefaultArgs: ['--hide-scrollbars'] } });

for (const scheme of ['light', 'dark'] as const) {
  test(`settings (${scheme}): the scrollbar thumb has at least 3:1 contrast against its track`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 600 }); // Settings runs longer than this: it scrolls
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('key-status')).toContainText('Key ending in f3a9');
    const main = page.getByRole('main');
    const colours = await main.evaluate((el) => {
      const scrolls = el.scrollHeight > el.clientHeight;
      const [thumb, track] = getComputedStyle(el).scrollbarColor.split(/\s+(?=rgb)/);
      // What shows through a transparent track: the nearest opaque background at or behind the scroller.
      let behind = '';
      for (let node: Element | null = el; node && !behind; node = node.parentElement) {
        const bg = getComputedStyle(node).backgroundColor;
        if (!/rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') behind = bg;
      }
      return { scrolls, thumb: thumb ?? '', track: track ?? '', behind };
    });
    expect(colours.scrolls).toBe(true);
    const track = parseRgb(colours.track);
    const [br, bg, bb] = track[3] === 0 ? parseRgb(colours.behind) : track;
    const [r, g, b] = parseRgb(colours.thumb);
    const ratio = contrastRatio([r, g, b], [br, bg, bb]);
    test.info().annotations.push({ type: 'contrast', description: `${scheme}: thumb ${colours.thumb} on ${colours.behind}: ${ratio.toFixed(2)}:1` });
    expect(ratio).toBeGreaterThanOrEqual(3);

    await main.evaluate((el) => el.scrollTo(0, el.scrollHeight / 3));
    const path = test.info().outputPath(`settings-scrollbar-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`settings-scrollbar-${scheme}`, { path, contentType: 'image/png' });
  });
}
