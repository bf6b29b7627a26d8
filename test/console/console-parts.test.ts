// The console's pure parts: escaping, the lineage layout, the shard bar, sparklines, and the send form's
// parsing.
import type http from 'node:http';
import type http2 from 'node:http2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseAttributeLines, sendRequestFrom } from '../../src/console/change-routes.js';
import { keySpaceFraction, lineageLayout, lineageSvg, shardBarSvg } from '../../src/console/charts/shard-map.js';
import { sparklineSvg } from '../../src/console/charts/sparkline.js';
import { escapeHtml, html } from '../../src/console/html.js';
import type { Response } from '../../src/console/http-types.js';
import { defaultQueueAttributes } from '../../src/core/queue-attributes.js';
import { HASH_KEY_SPACE } from '../../src/core/hash-keys.js';
import type { ShardInfo } from '../../src/core/stream-types.js';

function shard(index: number, start: bigint, end: bigint, state: 'open' | 'closed', parents: number[] = []): ShardInfo {
  const id = (i: number) => `shardId-${String(i).padStart(12, '0')}`;
  return {
    shardId: id(index), state,
    ...(parents[0] !== undefined ? { parentShardId: id(parents[0]) } : {}),
    ...(parents[1] !== undefined ? { adjacentParentShardId: id(parents[1]) } : {}),
    hashKeyRange: { startingHashKey: String(start), endingHashKey: String(end) },
    sequenceNumberRange: { startingSequenceNumber: '1' },
  };
}

const HALF = HASH_KEY_SPACE / 2n;
const QUARTER = HASH_KEY_SPACE / 4n;
// 0 and 1 split the space; 0 split into 2 and 3; 3 and 1 merged into 4.
const MAP = [
  shard(0, 0n, HALF - 1n, 'closed'), shard(1, HALF, HASH_KEY_SPACE - 1n, 'closed'),
  shard(2, 0n, QUARTER - 1n, 'open', [0]), shard(3, QUARTER, HALF - 1n, 'closed', [0]),
  shard(4, QUARTER, HASH_KEY_SPACE - 1n, 'open', [3, 1]),
];

describe('html templates', () => {
  it('escape every interpolated value, so a hostile body is text', () => {
    const body = '<script>alert("x")</script><img src=x onerror=\'y\'>&amp;';
    expect(html`<td title="${body}">${body}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;</td>',
    );
    expect(escapeHtml('"\'<>&')).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('insert markup built by html itself, join arrays and drop null, undefined and booleans', () => {
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}${null}${undefined}${false}</ul>`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
  });
});

describe('the shard map', () => {
  it('places each shard one generation after its latest parent, rows by hash key', () => {
    const layout = Object.fromEntries(lineageLayout(MAP).map((n) => [n.shard.shardId.slice(-1), [n.generation, n.row]]));
    expect(layout).toEqual({ 0: [0, 0], 1: [0, 1], 2: [1, 0], 3: [1, 1], 4: [2, 0] });
  });

  it('draws the lineage with an edge per parent and says it in words', () => {
    const svg = lineageSvg(MAP).text;
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg).toContain('aria-label="Shard lineage: shard 2 from shard 0; shard 3 from shard 0; shard 4 from shard 3 and shard 1"');
  });

  it('draws the open shards along the key space in proportion', () => {
    expect(keySpaceFraction(String(QUARTER))).toBe(0.25);
    const svg = shardBarSvg(MAP).text;
    expect(svg).toContain('<rect x="0.00" width="250.00"');
    expect(svg).toContain('<rect x="250.00" width="750.00"');
    expect(svg).toContain('shard 2: 25.0%');
    expect(svg).toContain('shard 4: 75.0%');
    expect(svg).not.toContain('shard 0:');
  });
});

describe('sparklines', () => {
  it('draw the line from the lowest value to the highest and describe it', () => {
    const svg = sparklineSvg([100, 105, 110], 'visible').text;
    expect(svg).toContain('points="2.0,26.0 60.0,14.0 118.0,2.0"');
    expect(svg).toContain('aria-label="visible: now 110, lowest 100, highest 110, over 3 samples"');
    expect(sparklineSvg([7, 7], 'flat').text).toContain('points="2.0,14.0 118.0,14.0"');
  });
});

describe('the send form', () => {
  it('reads attributes as NAME=VALUE lines (values may hold =) and refuses other lines', () => {
    expect(parseAttributeLines('kind=a=b\n\n  \nowner=me')).toEqual({ kind: 'a=b', owner: 'me' });
    expect(() => parseAttributeLines('no equals sign')).toThrow(/attribute line 1 must be NAME=VALUE/);
  });

  it('gives a delay to standard queues and a group and dedup id to FIFO ones', () => {
    const draft = { body: 'b', attributes: '', delay: '30s', group: 'g', dedupId: 'd' };
    expect(sendRequestFrom(draft, defaultQueueAttributes('q'))).toEqual({ body: 'b', attributes: {}, delayMs: 30_000 });
    expect(sendRequestFrom(draft, defaultQueueAttributes('q.fifo'))).toEqual({ body: 'b', attributes: {}, group: 'g', dedupId: 'd' });
  });
});

describe('the response type', () => {
  it('is what node:http and node:http2 responses both are', () => {
    expectTypeOf<http.ServerResponse>().toMatchTypeOf<Response>();
    expectTypeOf<http2.Http2ServerResponse>().toMatchTypeOf<Response>();
  });
});
