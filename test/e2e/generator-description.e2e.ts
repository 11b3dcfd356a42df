// The Create view's generator card shows what each generator is in full. It was cut at three lines:
// "... A typic…" for Tripo, and for Relief (offline) the line that matters most - "It is not an AI
// reconstruction: the back is flat and hidden sides are not recovered" - was never shown.
import { expect, test } from '@playwright/test';
import { listModels } from '../../src/core/models/catalog';
import { defaultScenario, openMockApp } from './support/mock-app';

for (const scheme of ['light', 'dark'] as const) {
  test(`every generator's description is shown whole (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario());
    const chooser = page.getByTestId('model-select');
    const description = page.locator('.chooser-description');
    for (const model of listModels()) {
      await chooser.selectOption(model.id);
      await expect(description).toHaveText(model.description);
      // Nothing of it is hidden: the box is as tall as its text.
      const hidden = await description.evaluate((el) => el.scrollHeight - el.clientHeight);
      expect(hidden, model.label).toBeLessThanOrEqual(1);
    }
    await chooser.selectOption('offline/relief');
    const path = test.info().outputPath(`generator-description-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`generator-description-${scheme}`, { path, contentType: 'image/png' });
  });
}
