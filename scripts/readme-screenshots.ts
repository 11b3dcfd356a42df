// Regenerates the README's screenshots with the real app (core + browser transport): the queue at
// work against the local fake FAL server, and a model made by the offline generator open in the library. Run after `npx electron-vite build`:
//   npx tsx scripts/readme-screenshots.ts
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import config, { CHROMIUM_PATH } from '../playwright.config';
import { startFakeFal } from '../test/fake-fal/server';
import { launchWebApp } from '../test/e2e/support/web-app';
import { dropFiles } from '../test/e2e/support/page-helpers';

const colors = ['#d9534f', '#5b8def', '#3fb37f', '#f0ad4e'];
const names = ['red-apple.jpg', 'blue-marble.jpg', 'green-melon.jpg', 'orange.jpg'];

async function photo(color: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><rect width="800" height="800" fill="#f4f1ea"/>
    <ellipse cx="400" cy="690" rx="230" ry="40" fill="#0002"/><circle cx="400" cy="420" r="260" fill="${color}"/>
    <circle cx="320" cy="330" r="70" fill="#fff6"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** A cut-out subject with transparency, the offline generator's best case. */
async function cutout(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900">
    <defs><radialGradient id="g" cx="40%" cy="35%"><stop offset="0" stop-color="#ffd9a0"/><stop offset="1" stop-color="#c0632b"/></radialGradient></defs>
    <path d="M450 70 L640 430 L260 430 Z" fill="#d23c3c"/><circle cx="450" cy="520" r="170" fill="url(#g)"/>
    <ellipse cx="450" cy="640" rx="120" ry="110" fill="#f4f4f4"/><rect x="300" y="690" width="300" height="140" rx="60" fill="#3d6fd1"/>
    <circle cx="395" cy="490" r="18" fill="#222"/><circle cx="505" cy="490" r="18" fill="#222"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * What the fake FAL returns as a model's preview (Tripo's rendered_image): a shaded ball in the colour
 * at the centre of the photo, as a render of a model of these photos would look, so the library in the
 * screenshots shows model previews rather than the fake's test pattern.
 */
async function renderedPreview(input: Buffer | null): Promise<Buffer> {
  let fill = '#8a8f98';
  if (input) {
    const { width = 1, height = 1 } = await sharp(input).metadata();
    const side = Math.max(1, Math.floor(Math.min(width, height) / 10));
    const centre = await sharp(input)
      .extract({ left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), width: side, height: side })
      .resize(1, 1)
      .removeAlpha()
      .raw()
      .toBuffer();
    fill = `rgb(${centre[0]},${centre[1]},${centre[2]})`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
    <defs><radialGradient id="shade" cx="38%" cy="34%" r="70%"><stop offset="0" stop-color="#fff" stop-opacity="0.55"/>
    <stop offset="0.45" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.45"/></radialGradient></defs>
    <ellipse cx="256" cy="440" rx="150" ry="26" fill="#0000001f"/>
    <circle cx="256" cy="250" r="170" fill="${fill}"/><circle cx="256" cy="250" r="170" fill="url(#shade)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const fake = await startFakeFal({ processingMs: ({ seq }) => 20_000 + seq * 5_000, concurrency: 2, previewImage: renderedPreview });
const app = await launchWebApp({ env: { FAL_KEY: 'readme-demo-key-1234' }, falProxy: fake.url });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: config.use?.launchOptions?.args });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1180 }, colorScheme: 'light' });
  await page.goto(app.appUrl);
  const files = await Promise.all(names.map(async (name, i) => ({ name, mime: 'image/jpeg', bytes: await photo(colors[i]!) })));
  await dropFiles(page, page.getByTestId('drop-zone'), files);
  await page.waitForTimeout(6_000);
  await page.screenshot({ path: 'docs/screenshot-queue.png' });
  console.log('wrote docs/screenshot-queue.png');

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('model-select').selectOption('offline/relief');
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'garden-gnome.png', mime: 'image/png', bytes: await cutout() }]);
  await page.getByTestId('job-row').filter({ hasText: 'garden-gnome.png' }).getByText('Done', { exact: false }).first().waitFor({ timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(3_000);
  await page.getByRole('button', { name: 'Library' }).click();
  // The offline model, whichever finished last (the fake's jobs end at their own pace).
  await page.getByTestId('model-card').filter({ hasText: 'Relief (offline)' }).first().click();
  await page.waitForTimeout(8_000); // the environment lighting takes seconds on software GL
  await page.screenshot({ path: 'docs/screenshot-library.png' });
  console.log('wrote docs/screenshot-library.png');

  // The inspector: the same viewer in the large view, wireframe over the shaded model, size ruler.
  await page.getByRole('button', { name: 'Large view' }).click();
  await page.getByRole('button', { name: 'Inspector' }).click();
  await page.getByRole('radiogroup', { name: 'View mode' }).getByRole('radio', { name: 'Wireframe' }).click();
  await page.getByRole('checkbox', { name: 'Ruler' }).check();
  await page.waitForTimeout(2_000);
  await page.screenshot({ path: 'docs/screenshot-inspector.png' });
  console.log('wrote docs/screenshot-inspector.png');
} finally {
  await browser.close();
  await app.stop();
  await fake.close();
}
