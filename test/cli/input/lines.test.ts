import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NUL, coalesceBatches, readLineBatches, readLineBlocks, readRecordBatches, readWhole } from '../../../src/cli/input/lines.js';

async function collect(chunks: (string | Buffer)[], options: Parameters<typeof readRecordBatches>[1]) {
  const batches = [];
  for await (const batch of readRecordBatches(Readable.from(chunks.map((c) => Buffer.from(c))), options)) batches.push(batch);
  return batches;
}

describe('reading stdin records', () => {
  it('splits lines across chunk boundaries and keeps their numbers', async () => {
    const batches = await collect(['a\nb', 'c\nd\n', 'e'], { maxBytes: 100 });
    expect(batches.flat().map((r) => [r.index, r.text])).toEqual([[1, 'a'], [2, 'bc'], [3, 'd'], [4, 'e']]);
  });

  it('hands out one batch per chunk, so lines are stored as they arrive', async () => {
    const batches = await collect(['1\n2\n', '3\n'], { maxBytes: 100 });
    expect(batches.map((b) => b.map((r) => r.text))).toEqual([['1', '2'], ['3']]);
  });

  it('keeps empty lines (to be reported) and CR characters, and has no record after a final newline', async () => {
    const records = (await collect(['a\r\n\nb\n'], { maxBytes: 100 })).flat();
    expect(records.map((r) => r.text)).toEqual(['a\r', '', 'b']);
  });

  it('splits on NUL when asked', async () => {
    const records = (await collect(['a\nb\0c\0'], { maxBytes: 100, separator: NUL })).flat();
    expect(records.map((r) => r.text)).toEqual(['a\nb', 'c']);
  });

  it('flags invalid UTF-8 instead of guessing', async () => {
    const records = (await collect([Buffer.from([0x61, 0xff, 0x0a, 0x62, 0x0a])], { maxBytes: 100 })).flat();
    expect(records[0]).toMatchObject({ index: 1, text: null, problem: 'not valid UTF-8' });
    expect(records[1]).toMatchObject({ index: 2, text: 'b' });
  });

  it('flags an over-long record without keeping it, and goes on after it', async () => {
    const records = (await collect(['x'.repeat(60), 'x'.repeat(60), '\nok\n', 'y'.repeat(200)], { maxBytes: 100 })).flat();
    expect(records.map((r) => [r.index, r.text, r.problem])).toEqual([
      [1, null, 'longer than 100 bytes'], [2, 'ok', undefined], [3, null, 'longer than 100 bytes'],
    ]);
  });

  it('caps batches at maxBatch records', async () => {
    const batches = await collect([Array.from({ length: 25 }, (_, i) => `${i}\n`).join('')], { maxBytes: 100, maxBatch: 10 });
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
  });

  it('reads all of stdin as one record for --whole, bytes unchanged', async () => {
    expect(await readWhole(Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]), 100)).toEqual({ index: 1, text: 'a\nb\n' });
    expect((await readWhole(Readable.from([Buffer.from('x'.repeat(101))]), 100)).problem).toMatch(/longer than 100 bytes/);
  });
});

describe('reading stdin lines as bytes', () => {
  it('hands out each line\'s bytes undecoded, with the same numbering and problems', async () => {
    const batches = [];
    for await (const batch of readLineBatches(Readable.from([Buffer.from('a\nb'), Buffer.from([0xff, 0x0a]), Buffer.from('x'.repeat(20))]), { maxBytes: 10 })) batches.push(batch);
    expect(batches.flat().map((line) => [line.index, line.bytes && [...line.bytes], line.problem])).toEqual([
      [1, [0x61], undefined], [2, [0x62, 0xff], undefined], [3, null, 'longer than 10 bytes'],
    ]);
  });
});

describe('reading stdin lines as blocks of bytes', () => {
  // Each line as [index, bytes or null, problem], from blocks and from readLineBatches.
  async function fromBlocks(chunks: Buffer[], maxBytes: number, separator?: number) {
    const lines: [number, number[] | null, string | undefined][] = [];
    for await (const blocks of readLineBlocks(Readable.from(chunks), { maxBytes, ...(separator === undefined ? {} : { separator }) })) {
      for (const block of blocks) {
        for (let i = 0; i < block.count; i++) {
          const start = block.starts[i]!;
          const problem = block.problems?.get(i);
          lines.push([block.firstIndex + i, start === -1 ? null : [...block.bytes.subarray(start, block.ends[i]!)], problem]);
          expect(start === -1).toBe(problem !== undefined);
        }
      }
    }
    return lines;
  }
  async function fromBatches(chunks: Buffer[], maxBytes: number, separator?: number) {
    const lines: [number, number[] | null, string | undefined][] = [];
    for await (const batch of readLineBatches(Readable.from(chunks), { maxBytes, ...(separator === undefined ? {} : { separator }) })) {
      for (const line of batch) lines.push([line.index, line.bytes && [...line.bytes], line.problem]);
    }
    return lines;
  }

  it('numbers lines through blocks, joins lines across chunks, and flags over-long ones', async () => {
    const chunks = ['a\nb', 'c\nd\n', 'x'.repeat(8), 'x'.repeat(8), '\nok\n', 'y'.repeat(20)].map((c) => Buffer.from(c));
    expect(await fromBlocks(chunks, 10)).toEqual([
      [1, [0x61], undefined], [2, [0x62, 0x63], undefined], [3, [0x64], undefined],
      [4, null, 'longer than 10 bytes'], [5, [0x6f, 0x6b], undefined], [6, null, 'longer than 10 bytes'],
    ]);
  });

  it('gives the lines readLineBatches gives, however stdin is cut into chunks', async () => {
    const byte = fc.constantFrom(0x0a, 0x0a, 0x00, 0x61, 0x62, 0xc3, 0xa9, 0xff);
    await fc.assert(fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 30 }).map((a) => Buffer.from(a.map((x) => [0x0a, 0x61, 0xff, 0x00][x % 4]!))), { maxLength: 8 }),
      fc.array(byte, { maxLength: 40 }),
      fc.integer({ min: 1, max: 12 }),
      fc.boolean(),
      async (chunks, extra, maxBytes, nul) => {
        const all = [...chunks, Buffer.from(extra)].filter((c) => c.length > 0);
        const separator = nul ? NUL : undefined;
        expect(await fromBlocks(all, maxBytes, separator)).toEqual(await fromBatches(all, maxBytes, separator));
      },
    ), { numRuns: 500 });
  });
});

describe('coalescing batches', () => {
  async function* timed(batches: [number, number[]][]) {
    for (const [delayMs, batch] of batches) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield batch;
    }
  }

  async function collect(source: AsyncIterable<number[]>, maxItems: number, waitMs: number) {
    const out = [];
    for await (const batch of coalesceBatches(source, maxItems, waitMs)) out.push(batch);
    return out;
  }

  it('joins batches that arrive back to back, up to a maximum size', async () => {
    expect(await collect(timed([[0, [1, 2]], [0, [3]], [0, [4, 5]], [0, [6]]]), 4, 50)).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('hands a batch on when the next one is slow to come', async () => {
    expect(await collect(timed([[0, [1]], [80, [2]], [0, [3]]]), 100, 20)).toEqual([[1], [2, 3]]);
  });

  it('counts items as told (blocks count their lines)', async () => {
    const out = [];
    for await (const batch of coalesceBatches(timed([[0, [5]], [0, [6]], [0, [1]], [0, [2]]]), 10, 50, (b) => b.reduce((a, x) => a + x, 0))) out.push(batch);
    expect(out).toEqual([[5, 6], [1, 2]]);
  });
});
