// A stream's shard map as inline SVG: the open shards' hash key ranges side by side along the key space
// 0..2^128-1 (a bar), and the lineage of every listed shard as a small graph, parents to the left of their
// children, each column one generation. Pure.
import { HASH_KEY_SPACE } from '../../core/hash-keys.js';
import { parentIds } from '../../core/lineage.js';
import { parseShardId } from '../../core/shard-ids.js';
import type { ShardInfo } from '../../core/stream-types.js';
import { type Html, html, joinHtml } from '../html.js';

// The share of the key space before `key`, 0..1, to six decimals.
export function keySpaceFraction(key: string): number {
  return Number((BigInt(key) * 1_000_000n) / HASH_KEY_SPACE) / 1_000_000;
}

function rangeFraction(shard: ShardInfo): { start: number; width: number } {
  const start = keySpaceFraction(shard.hashKeyRange.startingHashKey);
  const end = keySpaceFraction((BigInt(shard.hashKeyRange.endingHashKey) + 1n).toString());
  return { start, width: end - start };
}

export function percent(fraction: number): string {
  if (fraction === 0 || fraction === 1) return `${fraction * 100}%`;
  return `${(fraction * 100).toFixed(fraction < 0.01 ? 3 : 1)}%`;
}

const BAR_WIDTH = 1000;
const BAR_HEIGHT = 40;

// The bar is stretched to the page's width (so it carries no text); the legend below it names each part.
export function shardBarSvg(shards: ShardInfo[]): Html {
  const open = shards.filter((s) => s.state === 'open').sort((a, b) => rangeFraction(a).start - rangeFraction(b).start);
  const parts = open.map((shard, i) => {
    const { start, width } = rangeFraction(shard);
    return html`<g class="c${i % 6}"><title>${shard.shardId}: ${percent(width)} of the keys, ${shard.hashKeyRange.startingHashKey} to ${shard.hashKeyRange.endingHashKey}</title><rect x="${(start * BAR_WIDTH).toFixed(2)}" width="${Math.max(width * BAR_WIDTH, 0.5).toFixed(2)}" height="${BAR_HEIGHT}"/></g>`;
  });
  const legend = open.map((shard, i) => html`<li class="c${i % 6}"><svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true"><rect width="10" height="10"/></svg> shard ${parseShardId(shard.shardId)}: ${percent(rangeFraction(shard).width)}</li>`);
  return html`<svg class="shardbar" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" preserveAspectRatio="none" aria-hidden="true">${joinHtml(parts)}</svg><ul class="legend" aria-label="Open shards from the lowest hash keys to the highest">${legend}</ul>`;
}

export interface LineageNode {
  shard: ShardInfo;
  generation: number;
  row: number;
}

// Each listed shard's generation (0 without a listed parent, else one more than its latest parent) and
// its row within the generation (by where its key range starts).
export function lineageLayout(shards: ShardInfo[]): LineageNode[] {
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const generations = new Map<string, number>();
  const generationOf = (shard: ShardInfo): number => {
    const known = generations.get(shard.shardId);
    if (known !== undefined) return known;
    generations.set(shard.shardId, 0);
    const parents = parentIds(shard).map((id) => byId.get(id)).filter((p): p is ShardInfo => p !== undefined);
    const generation = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(generationOf));
    generations.set(shard.shardId, generation);
    return generation;
  };
  const nodes = shards.map((shard) => ({ shard, generation: generationOf(shard), row: 0 }));
  const columns = new Map<number, LineageNode[]>();
  for (const node of nodes) columns.set(node.generation, [...(columns.get(node.generation) ?? []), node]);
  for (const column of columns.values()) {
    column.sort((a, b) => rangeFraction(a.shard).start - rangeFraction(b.shard).start || a.shard.shardId.localeCompare(b.shard.shardId));
    column.forEach((node, row) => (node.row = row));
  }
  return nodes;
}

const NODE = { width: 96, height: 26, columnGap: 48, rowGap: 10, margin: 4 };
// Beyond this many shards the graph would not be readable; the shard table still lists every parent.
export const MAX_LINEAGE_SHARDS = 120;

export function lineageSvg(shards: ShardInfo[]): Html {
  const nodes = lineageLayout(shards);
  const position = new Map(nodes.map((n) => [n.shard.shardId, {
    x: NODE.margin + n.generation * (NODE.width + NODE.columnGap),
    y: NODE.margin + n.row * (NODE.height + NODE.rowGap),
  }]));
  const edges = nodes.flatMap((node) => parentIds(node.shard).flatMap((parentId) => {
    const from = position.get(parentId);
    const to = position.get(node.shard.shardId)!;
    if (!from) return [];
    const x1 = from.x + NODE.width;
    const y1 = from.y + NODE.height / 2;
    const x2 = to.x;
    const y2 = to.y + NODE.height / 2;
    const mid = (x1 + x2) / 2;
    return [html`<path d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"/>`];
  }));
  const boxes = nodes.map((node) => {
    const { x, y } = position.get(node.shard.shardId)!;
    const index = parseShardId(node.shard.shardId);
    return html`<g class="${node.shard.state}"><title>${node.shard.shardId} (${node.shard.state})</title><rect x="${x}" y="${y}" width="${NODE.width}" height="${NODE.height}" rx="4"/><text x="${x + NODE.width / 2}" y="${y + NODE.height / 2 + 5}">shard ${index}</text></g>`;
  });
  const width = NODE.margin * 2 + (Math.max(0, ...nodes.map((n) => n.generation)) + 1) * (NODE.width + NODE.columnGap) - NODE.columnGap;
  const height = NODE.margin * 2 + (Math.max(0, ...nodes.map((n) => n.row)) + 1) * (NODE.height + NODE.rowGap) - NODE.rowGap;
  const described = nodes.filter((n) => parentIds(n.shard).length > 0)
    .map((n) => `shard ${parseShardId(n.shard.shardId)} from ${parentIds(n.shard).map((p) => `shard ${parseShardId(p)}`).join(' and ')}`);
  const label = `Shard lineage: ${described.length > 0 ? described.join('; ') : 'no shard has a parent'}`;
  return html`<svg class="lineage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}"><g class="edges">${edges}</g>${boxes}</svg>`;
}
