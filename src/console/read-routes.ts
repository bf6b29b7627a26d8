// The pages that only look: overview, queue, purge confirmation, redrive progress, stream, shard tail,
// and /metrics. Each renders the page, or (asked by EventSource) streams its live regions.
import { isMqError } from '../core/errors.js';
import { validateQueueName, validateStreamName } from '../core/names.js';
import { parseSequence } from '../core/sequence-numbers.js';
import { normalizeShardId } from '../core/shard-ids.js';
import type { StreamPosition } from '../core/stream-types.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../metrics/exposition.js';
import { readStore, storeFamilies } from '../metrics/store-metrics.js';
import type { ConsoleState } from './console-state.js';
import { type Exchange, regionTexts, sendPage, sendText } from './exchange.js';
import { SampleHistory } from '../core/sample-history.js';
import { headerOf } from './http-types.js';
import { pause, pushRegions } from './live.js';
import type { Notice } from './layout.js';
import { overviewPage, overviewRegions } from './pages/overview.js';
import { DEFAULT_PEEK, MAX_PEEK, type QueueView, purgePage, queuePage, queueRegions } from './pages/queue.js';
import { redrivePage, redriveRegion } from './pages/redrive.js';
import { type StreamView, streamPage, streamRegions } from './pages/stream.js';
import { TAIL_RECORDS, recordItems, tailPage } from './pages/tail.js';
import { queueRow, streamRow } from './sampler.js';

const LIVE_INTERVAL_MS = 1000;
const SOURCE_SAMPLE = 1000;

function liveStream(x: Exchange, state: ConsoleState) {
  const stream = state.live.open(x.res);
  if (!stream) sendText(x, 503, 'too many live connections; reload the page later\n');
  return stream;
}

export async function overview(x: Exchange, state: ConsoleState): Promise<void> {
  if (!x.live) {
    sendPage(x, 200, overviewPage(x.page(), await state.sampler.latest()));
    return;
  }
  const stream = liveStream(x, state);
  if (!stream) return;
  const unsubscribe = state.sampler.subscribe((snapshot) => stream.send('regions', regionTexts(overviewRegions(snapshot))));
  stream.signal.addEventListener('abort', unsubscribe, { once: true });
}

function peekCount(url: URL): number {
  const n = Number(url.searchParams.get('n') ?? DEFAULT_PEEK);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_PEEK) : DEFAULT_PEEK;
}

async function queueView(state: ConsoleState, name: string, peek: number, history: SampleHistory | null, withSources: boolean): Promise<QueueView> {
  const { queues } = state.backend;
  const stats = await queues.stats(name);
  const peeked = await queues.peek(name, { max: peek });
  const now = state.clock.now();
  const row = history ? queueRow(history, stats, now) : state.sampler.recent()?.queues.find((q) => q.stats.name === name) ?? null;
  let sourceCounts: Record<string, number> | null = null;
  let queueNames: string[] = [];
  if (withSources) {
    sourceCounts = {};
    for (const message of await queues.peek(name, { max: SOURCE_SAMPLE })) {
      if (message.deadLetterSource !== undefined) sourceCounts[message.deadLetterSource] = (sourceCounts[message.deadLetterSource] ?? 0) + 1;
    }
    queueNames = (await queues.list()).map((q) => q.name);
  }
  return { stats, peeked, peekCount: peek, row, sourceCounts, queueNames, receiveCountsKept: state.backend.traits.exactStats, now };
}

function queueNotice(url: URL): Notice | null {
  const sent = url.searchParams.get('sent');
  if (sent !== null && /^[A-Za-z0-9_-]{1,64}$/.test(sent)) return { kind: 'ok', text: `Sent message ${sent}.` };
  const purged = url.searchParams.get('purged');
  if (purged !== null && /^\d{1,15}$/.test(purged)) return { kind: 'ok', text: `Purged ${Number(purged).toLocaleString('en-US')} messages.` };
  return null;
}

export async function queue(x: Exchange, state: ConsoleState): Promise<void> {
  const name = validateQueueName(x.params.queue!);
  const peek = peekCount(x.url);
  if (!x.live) {
    const view = await queueView(state, name, peek, null, true);
    sendPage(x, 200, queuePage(x.page(), view, { notice: queueNotice(x.url), redriveRunning: state.redrives.isRunning(name) }));
    return;
  }
  const stream = liveStream(x, state);
  if (!stream) return;
  const history = new SampleHistory();
  await pushRegions(stream, LIVE_INTERVAL_MS, async () => {
    try {
      return queueRegions(await queueView(state, name, peek, history, false));
    } catch (error) {
      if (isMqError(error, 'QUEUE_NOT_FOUND')) return null;
      throw error;
    }
  });
}

export async function purgeConfirmation(x: Exchange, state: ConsoleState): Promise<void> {
  const stats = await state.backend.queues.stats(validateQueueName(x.params.queue!));
  sendPage(x, 200, purgePage(x.page(), stats));
}

export async function redriveProgress(x: Exchange, state: ConsoleState): Promise<void> {
  const name = validateQueueName(x.params.queue!);
  if (!x.live) {
    await state.backend.queues.get(name);
    sendPage(x, 200, redrivePage(x.page(), name, state.redrives.get(name)));
    return;
  }
  const stream = liveStream(x, state);
  if (!stream) return;
  let finished = false;
  await pushRegions(stream, 250, async () => {
    if (finished) return null;
    const task = state.redrives.get(name);
    finished = task?.state !== 'running';
    return { redrive: redriveRegion(task) };
  });
}

async function streamView(state: ConsoleState, name: string, history: SampleHistory | null): Promise<StreamView> {
  const description = await state.backend.streams.describe(name);
  const groups = await state.backend.streams.groups(name);
  const now = state.clock.now();
  const row = history ? streamRow(history, description, groups, now) : state.sampler.recent()?.streams.find((s) => s.description.name === name) ?? null;
  return { description, groups, row, now };
}

export async function stream(x: Exchange, state: ConsoleState): Promise<void> {
  const name = validateStreamName(x.params.stream!);
  if (!x.live) {
    sendPage(x, 200, streamPage(x.page(), await streamView(state, name, null)));
    return;
  }
  const events = liveStream(x, state);
  if (!events) return;
  const history = new SampleHistory();
  await pushRegions(events, LIVE_INTERVAL_MS, async () => {
    try {
      return streamRegions(await streamView(state, name, history));
    } catch (error) {
      if (isMqError(error, 'STREAM_NOT_FOUND')) return null;
      throw error;
    }
  });
}

// Where a live tail starts: after the record the browser saw last (its reconnect says so), after the
// last record the page showed (`after=`: it showed none, so from the first), or at the newest record.
function tailStart(x: Exchange): StreamPosition {
  const after = headerOf(x.req, 'last-event-id') || x.url.searchParams.get('after');
  if (after) {
    parseSequence(after);
    return { type: 'after-sequence', sequence: after };
  }
  return after === '' ? { type: 'trim-horizon' } : { type: 'latest' };
}

export async function shardTail(x: Exchange, state: ConsoleState): Promise<void> {
  const name = validateStreamName(x.params.stream!);
  const shardId = normalizeShardId(x.params.shard!);
  const { streams } = state.backend;
  const shard = (await streams.describe(name)).shards.find((s) => s.shardId === shardId);
  if (!shard) return void sendText(x, 404, `shard ${shardId} of stream "${name}" does not exist (or has expired)\n`);
  if (!x.live) {
    const { records } = await streams.read(name, shardId, { type: 'last', count: TAIL_RECORDS });
    sendPage(x, 200, tailPage(x.page(), name, shard, records));
    return;
  }
  const events = liveStream(x, state);
  if (!events) return;
  const watcher = await streams.watch(name);
  try {
    let position = tailStart(x);
    while (!events.signal.aborted) {
      const result = await streams.read(name, shardId, position, { limit: 100 });
      position = result.next;
      if (result.records.length > 0) events.send('records', recordItems(result.records).text, result.records.at(-1)!.sequence);
      if (result.shardEnd) {
        events.send('done', {});
        events.end();
        return;
      }
      if (result.caughtUp) await watcher.wait(LIVE_INTERVAL_MS, events.signal);
      else await pause(0, events.signal);
    }
  } finally {
    watcher.close();
  }
}

export async function metrics(x: Exchange, state: ConsoleState): Promise<void> {
  const families = [...storeFamilies(await readStore(state.backend), state.clock.now()), ...state.requests.families()];
  sendText(x, 200, renderExposition(families), {}, EXPOSITION_CONTENT_TYPE);
}
