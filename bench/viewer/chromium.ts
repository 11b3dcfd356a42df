// Chromium launched exactly as playwright.config.ts launches it for the e2e tests (the one it found on this machine).
import { chromium, type Browser } from '@playwright/test';
import config from '../../playwright.config';

export function launchChromium(): Promise<Browser> {
  const launchOptions = config.use?.launchOptions ?? {};
  return chromium.launch({ ...launchOptions, headless: true });
}
