// Headless Chromium for the browser tests, from the system's packages (Debian: apt-get install -y
// chromium), driven by puppeteer-core, which downloads nothing. Each launch gets a fresh profile, and
// the flags that keep Chromium from reaching out to the network on its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.MQ_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-artifacts', 'console');

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (or set MQ_CHROMIUM to its path)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    async close() {
      // Ends the Chromium process this launch started (and its children).
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
