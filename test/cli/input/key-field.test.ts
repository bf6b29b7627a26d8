import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyFieldReader, keyFromField } from '../../../src/cli/input/key-field.js';

// What keyFromField gives for the line's text: its key, or its error's message.
const expected = (line: string, path: string) => {
  try {
    return { key: keyFromField(line, path) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
const actual = (line: string | Buffer, path: string, padding = 0) => {
  const bytes = Buffer.concat([Buffer.from('x'.repeat(padding)), Buffer.from(line), Buffer.from('\nrest')]);
  try {
    return { key: createKeyFieldReader(path)(bytes, padding, bytes.length - 5) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('--key-field on lines of bytes', () => {
  const cases: [string, string][] = [
    ['{"id":"abc"}', 'id'],
    ['  {"id" : "a b" }\r', 'id'],
    ['{"id":"esc\\"aped\\u00e9"}', 'id'],
    ['{"id":12.50}', 'id'],
    ['{"id":-0}', 'id'],
    ['{"id":1e400}', 'id'],
    ['{"id":1E-7}', 'id'],
    ['{"id":true}', 'id'],
    ['{"id":false}', 'id'],
    ['{"id":null}', 'id'],
    ['{"id":{}}', 'id'],
    ['{"id":[1]}', 'id'],
    ['{"other":1}', 'id'],
    ['{"id":"first","id":"second"}', 'id'],
    ['{"id":"first","id":null}', 'id'],
    ['{"user":{"id":"u1","x":[1,{"id":2}]},"id":3}', 'user.id'],
    ['{"user":{"name":"n"}}', 'user.id'],
    ['{"user":"str"}', 'user.length'],
    ['{"items":["a","b"]}', 'items.1'],
    ['{"items":["a","b"]}', 'items.length'],
    ['{"\\u0069d":"escaped key"}', 'id'],
    ['{"id":"x"} trailing', 'id'],
    ['{"id":"x",}', 'id'],
    ['{"id":01}', 'id'],
    ['{"id":"tab\there"}', 'id'],
    ['{"id":"é 日本 😀"}', 'id'],
    ['"id"', 'id'],
    ['[{"id":1}]', 'id'],
    ['', 'id'],
    ['not json', 'id'],
    ['{"id":"x"', 'id'],
    ['{"constructor":1}', 'constructor'],
    ['{}', 'constructor'],
    ['{"__proto__":"p"}', '__proto__'],
    ['{"a.b":"dotted"}', 'a.b'],
    [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'id'],
    [`{"id":"deep","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'id'],
  ];

  it('gives the key (or the error) keyFromField gives for the line', () => {
    for (const [line, path] of cases) {
      expect(actual(line, path), `${line.slice(0, 60)} at ${path}`).toEqual(expected(line, path));
      expect(actual(line, path, 3)).toEqual(expected(line, path));
    }
  });

  it('reads bytes that are not UTF-8 as Buffer.toString does (U+FFFD)', () => {
    const bad = (text: string) => Buffer.concat(text.split('~').flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff, 0xc3]), Buffer.from(part)])));
    for (const line of ['{"id":"a~b"}', '{"id":1,"x":"~"}', '{"id":1~}', '~', '{"~":1,"id":"k"}']) {
      expect(actual(bad(line), 'id')).toEqual(expected(bad(line).toString(), 'id'));
    }
  });

  it('agrees with keyFromField on arbitrary JSON and near-JSON lines', () => {
    const path = fc.constantFrom('id', 'a.id', 'a.b.c', '0');
    const value = fc.jsonValue({ maxDepth: 3 });
    const line = fc.oneof(
      fc.tuple(value, fc.constantFrom('id', 'a', 'b', 'c', '0')).map(([v, k]) => JSON.stringify({ [k]: v, a: { id: v, b: { c: v } } })),
      value.map((v) => JSON.stringify(v)),
      fc.tuple(value, fc.nat(40), fc.string({ maxLength: 2 })).map(([v, at, junk]) => {
        const text = JSON.stringify({ id: v });
        return text.slice(0, at) + junk + text.slice(at);
      }),
    );
    fc.assert(fc.property(line, path, (text, p) => {
      expect(actual(text, p)).toEqual(expected(text, p));
    }), { numRuns: 2000 });
  });
});
