// The import boundaries, checked by reading the sources: the core is backend-agnostic and does no I/O,
// only the file backend touches the disk, the workers run on the core contract alone, and only the CLI
// touches the process and commander.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!);
}

function resolvesInto(file: string, specifier: string, folder: string): boolean {
  return specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(path.resolve(folder) + path.sep);
}

const PROCESS_USE = /\bprocess\.(exit|argv|stdout|stderr|stdin|env|exitCode|on|once)\b|\bconsole\./;

describe('architecture', () => {
  it('keeps src/core free of I/O, of the process and of every other layer (node:crypto only loaded lazily)', () => {
    for (const file of sources('src/core')) {
      for (const specifier of importsOf(file)) {
        const lazyCrypto = file.endsWith('lazy-crypto.ts') && (specifier === 'node:module' || specifier === 'node:crypto');
        // node:buffer does no I/O: it checks UTF-8 (isUtf8) for the put rules.
        const allowed = lazyCrypto || specifier === 'node:buffer' || (specifier.startsWith('./') && !specifier.includes('..'));
        expect([file, specifier, allowed]).toEqual([file, specifier, true]);
      }
      expect([file, PROCESS_USE.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
    }
  });

  it('lets only the file backend touch the disk', () => {
    for (const file of sources('src').filter((f) => !f.startsWith(path.join('src', 'fs')))) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier, /^(node:)?fs(\/promises)?$/.test(specifier)]).toEqual([file, specifier, false]);
      }
    }
  });

  it('keeps the backends free of the CLI, commander and process-level effects', () => {
    for (const file of [...sources('src/fs'), ...sources('src/jetstream')]) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier, specifier === 'commander' || resolvesInto(file, specifier, 'src/cli')]).toEqual([file, specifier, false]);
      }
      expect([file, PROCESS_USE.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
    }
  });

  it('keeps the workers on the core contract: no backend, no CLI, no child processes, no process', () => {
    for (const file of sources('src/workers')) {
      for (const specifier of importsOf(file)) {
        const forbidden = resolvesInto(file, specifier, 'src/fs') || resolvesInto(file, specifier, 'src/cli')
          || specifier === 'commander' || /^(node:)?child_process$/.test(specifier);
        expect([file, specifier, forbidden]).toEqual([file, specifier, false]);
      }
      expect([file, PROCESS_USE.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
    }
  });

  it('has the CLI reach the engine only through the core contract and the backend factory', () => {
    for (const file of sources('src/cli')) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier, resolvesInto(file, specifier, 'src/fs')]).toEqual([file, specifier, false]);
      }
    }
  });

  it('keeps the NATS client in src/jetstream, which never reaches into the file store or the CLI', () => {
    for (const file of sources('src').filter((f) => !f.startsWith(path.join('src', 'jetstream')))) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier, specifier.startsWith('@nats-io/')]).toEqual([file, specifier, false]);
      }
    }
    for (const file of sources('src/jetstream')) {
      for (const specifier of importsOf(file)) {
        const reaches = resolvesInto(file, specifier, 'src/fs') || resolvesInto(file, specifier, 'src/cli');
        expect([file, specifier, reaches]).toEqual([file, specifier, false]);
      }
    }
  });

  it('has the API server use only the core contract (so it runs over any backend) and touch no process globals', () => {
    for (const file of sources('src/serve')) {
      for (const specifier of importsOf(file)) {
        const allowed = /^node:(http|http2|net|stream|crypto)$/.test(specifier)
          || resolvesInto(file, specifier, 'src/serve') || resolvesInto(file, specifier, 'src/core') || resolvesInto(file, specifier, 'src/http')
          || resolvesInto(file, specifier, 'src/console') || resolvesInto(file, specifier, 'src/metrics');
        expect([file, specifier, allowed]).toEqual([file, specifier, true]);
      }
      expect([file, PROCESS_USE.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
    }
  });

  it('keeps the console, the metrics and the shared HTTP rules to the core contract: no backend, no CLI, no process', () => {
    for (const dir of ['src/console', 'src/metrics', 'src/http']) {
      for (const file of sources(dir)) {
        for (const specifier of importsOf(file)) {
          const reachesOut = specifier === 'commander' || resolvesInto(file, specifier, 'src/cli') || resolvesInto(file, specifier, 'src/fs')
            || specifier.endsWith('/backends.js');
          expect([file, specifier, reachesOut]).toEqual([file, specifier, false]);
        }
        expect([file, PROCESS_USE.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]);
      }
    }
  });

  it('keeps src/cli/commands for commands: none imports another, and only the program loads them', () => {
    for (const file of sources('src/cli/commands').filter((f) => !f.endsWith('index.ts'))) {
      for (const specifier of importsOf(file)) {
        expect([file, specifier, specifier.startsWith('./')]).toEqual([file, specifier, false]);
      }
    }
    for (const file of sources('src').filter((f) => !f.startsWith(path.join('src', 'cli', 'commands')))) {
      for (const specifier of importsOf(file)) {
        const loadsCommands = resolvesInto(file, specifier, 'src/cli/commands') && !file.endsWith(path.join('cli', 'program.ts'));
        expect([file, specifier, loadsCommands]).toEqual([file, specifier, false]);
      }
    }
  });

  it('exports the library without the CLI', () => {
    for (const specifier of importsOf('src/index.ts')) {
      expect([specifier, resolvesInto('src/index.ts', specifier, 'src/cli') || specifier === 'commander']).toEqual([specifier, false]);
    }
  });
});
