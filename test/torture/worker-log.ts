// The files a worker process writes, and reading them back: one NDJSON log per process (one synchronous
// append per entry), named after its role, slot and incarnation, plus any extra outputs it opened.
import fs from 'node:fs';
import path from 'node:path';
import type { Entry } from './scenario.js';

export interface ProcessId {
  role: string;
  slot: number;
  incarnation: number;
}

export function logFileName(id: ProcessId): string {
  return `${id.role}.${id.slot}.${id.incarnation}.log`;
}

export function outputFileName(id: ProcessId, name: string): string {
  return `${id.role}.${id.slot}.${id.incarnation}.out.${name}`;
}

const LOG_NAME = /^([a-z-]+)\.(\d+)\.(\d+)\.log$/;

export function parseLogFileName(name: string): ProcessId | null {
  const match = LOG_NAME.exec(name);
  return match ? { role: match[1]!, slot: Number(match[2]), incarnation: Number(match[3]) } : null;
}

// The entries of a log. A process killed in the middle of an append leaves at most a torn last line,
// which is not an entry (what it would have said was not yet certain).
export function parseEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    try {
      entries.push(JSON.parse(line) as Entry);
    } catch (error) {
      if (index < lines.length - 1) throw new Error(`damaged log line ${index + 1}: ${line.slice(0, 80)}`, { cause: error });
    }
  }
  return entries;
}

// The entries of earlier processes of the same role and slot, oldest first.
export function previousEntries(logDir: string, id: ProcessId): Entry[] {
  const earlier = fs.readdirSync(logDir)
    .map((name) => ({ name, parsed: parseLogFileName(name) }))
    .filter(({ parsed }) => parsed && parsed.role === id.role && parsed.slot === id.slot && parsed.incarnation < id.incarnation)
    .sort((a, b) => a.parsed!.incarnation - b.parsed!.incarnation);
  return earlier.flatMap(({ name }) => parseEntries(fs.readFileSync(path.join(logDir, name), 'utf8')));
}
