// The console's static files (ours, small, in the bundle: nothing is fetched from anywhere else), with
// an ETag so a browser revalidates cheaply, and a version in their address so a new one is never stale.
import { createHash } from 'node:crypto';
import { ICON } from './assets/icon.js';
import { SCRIPT } from './assets/script.js';
import { STYLE } from './assets/style.js';

export interface Asset {
  contentType: string;
  body: Buffer;
  etag: string;
}

const SOURCES: Record<string, [string, string]> = {
  'mq.css': ['text/css; charset=utf-8', STYLE],
  'mq.js': ['text/javascript; charset=utf-8', SCRIPT],
  'icon.svg': ['image/svg+xml', ICON],
};

let assets: Map<string, Asset> | undefined;

function all(): Map<string, Asset> {
  assets ??= new Map(Object.entries(SOURCES).map(([name, [contentType, text]]) => {
    const body = Buffer.from(text, 'utf8');
    return [name, { contentType, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` }];
  }));
  return assets;
}

export function findAsset(name: string): Asset | undefined {
  return all().get(name);
}

export function assetUrl(name: string): string {
  const asset = all().get(name);
  if (!asset) throw new Error(`no asset ${name}`);
  return `/assets/${name}?v=${asset.etag.slice(1, 9)}`;
}

export function assetNames(): string[] {
  return [...all().keys()];
}
