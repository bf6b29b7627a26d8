// The forms that change the store: send a message, purge a queue, start a redrive. The dispatcher has
// already refused them in read-only mode and checked their CSRF token; each one also checks that the
// form names the queue its address names (and purge, that the name was typed to confirm).
import { MqError, invalidArgument, isMqError } from '../core/errors.js';
import type { MessageAttributes } from '../core/message.js';
import { validateQueueName } from '../core/names.js';
import type { QueueAttributes } from '../core/queue-attributes.js';
import type { SendRequest } from '../core/queue-types.js';
import { parseDuration, parseInteger } from '../core/units.js';
import type { ConsoleState } from './console-state.js';
import { type Exchange, redirect, sendPage } from './exchange.js';
import { type SendDraft, purgePage, queuePage } from './pages/queue.js';
import { paths } from './paths.js';

// The queue the address names, which the form must name too (a form for one queue never acts on another).
export function checkedQueueName(x: Exchange): string {
  const name = validateQueueName(x.params.queue!);
  const named = x.form.get('queue');
  if (named !== name) throw invalidArgument(`the form was for queue ${JSON.stringify(named ?? '')}, not "${name}": reload the page`);
  return name;
}

// Browsers send a textarea's line breaks as CR LF; a message typed with line breaks has LF ones.
function textarea(value: string | null): string {
  return (value ?? '').replace(/\r\n/g, '\n');
}

export function parseAttributeLines(text: string): MessageAttributes {
  const attributes: MessageAttributes = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw invalidArgument(`attribute line ${i + 1} must be NAME=VALUE, got ${JSON.stringify(line)}`);
    attributes[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return attributes;
}

export function sendRequestFrom(draft: SendDraft, attributes: QueueAttributes): SendRequest {
  const request: SendRequest = { body: draft.body, attributes: parseAttributeLines(draft.attributes) };
  if (attributes.fifo) {
    if (draft.group !== '') request.group = draft.group;
    if (draft.dedupId !== '') request.dedupId = draft.dedupId;
  } else if (draft.delay.trim() !== '') {
    request.delayMs = parseDuration(draft.delay, 'delay');
  }
  return request;
}

export async function send(x: Exchange, state: ConsoleState): Promise<void> {
  const name = checkedQueueName(x);
  const { queues } = state.backend;
  const info = await queues.get(name);
  const draft: SendDraft = {
    body: textarea(x.form.get('body')),
    attributes: textarea(x.form.get('attributes')),
    delay: x.form.get('delay') ?? '',
    group: x.form.get('group') ?? '',
    dedupId: x.form.get('dedupId') ?? '',
  };
  try {
    const [outcome] = await queues.send(name, [sendRequestFrom(draft, info.attributes)], { atomic: true });
    if (!outcome?.ok) throw outcome?.error ?? new MqError('INTERNAL', 'the store gave no outcome for the message');
    redirect(x, `${paths.queue(name)}?sent=${encodeURIComponent(outcome.id)}`);
  } catch (error) {
    if (!isMqError(error) || !['INVALID_ARGUMENT', 'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE'].includes(error.code)) throw error;
    // The form again, as typed, with what was wrong.
    const stats = await queues.stats(name);
    const peeked = await queues.peek(name, { max: 20 });
    sendPage(x, 400, queuePage(x.page(), {
      stats, peeked, peekCount: 20, row: null, sourceCounts: null, queueNames: [], receiveCountsKept: state.backend.traits.exactStats, now: state.clock.now(),
    }, { notice: { kind: 'error', text: `Not sent: ${error.message}` }, draft }));
  }
}

export async function purge(x: Exchange, state: ConsoleState): Promise<void> {
  const name = checkedQueueName(x);
  if (x.form.get('confirm') !== name) {
    const stats = await state.backend.queues.stats(name);
    sendPage(x, 400, purgePage(x.page(), stats, { kind: 'error', text: `Not purged: type ${name} exactly to confirm.` }));
    return;
  }
  const { purged } = await state.backend.queues.purge(name);
  redirect(x, `${paths.queue(name)}?purged=${purged}`);
}

export async function redrive(x: Exchange, state: ConsoleState): Promise<void> {
  const name = checkedQueueName(x);
  const to = x.form.get('to') ?? '';
  const rate = (x.form.get('rate') ?? '').trim();
  const stats = await state.backend.queues.stats(name);
  if (to !== '') await state.backend.queues.get(validateQueueName(to));
  state.redrives.start(state.backend.queues, name, stats.visible + stats.delayed + stats.inFlight, {
    ...(to !== '' ? { to } : {}),
    ...(rate !== '' ? { ratePerSecond: parseInteger(rate, 'rate', 1) } : {}),
  });
  redirect(x, paths.queueRedrive(name));
}
