// The raw floor of the JetStream benchmarks: what the NATS client itself does for each case, with no mq
// in between (no checks, no headers beyond a message id, acks as plain publishes unless said otherwise). Run as a child
// process: `node jetstream-floor.js CASE URL STREAM COUNT [BYTES]`, prints one JSON line {ms, count}.
import { connect, headers } from '@nats-io/transport-node';

const [kind, url, stream, countText, bytesText] = process.argv.slice(2);
const count = Number(countText);
const body = 'x'.repeat(Number(bytesText ?? 100));
const nc = await connect({ servers: url.split(',') });
const api = async (subject, payload) => {
  const answer = (await nc.request(`$JS.API.${subject}`, payload === undefined ? '' : JSON.stringify(payload), { timeout: 30_000 })).json();
  if (answer.error) throw new Error(`${subject}: ${answer.error.description}`);
  return answer;
};
const WINDOW = 256;

// Publishes `count` messages to `subject` with a message id each, WINDOW in flight at a time.
async function publishAll(subject) {
  let next = 0;
  const inFlight = new Set();
  while (next < count) {
    while (inFlight.size >= WINDOW) await Promise.race(inFlight);
    const h = headers();
    h.set('Nats-Msg-Id', `floor-${next}`);
    const p = nc.request(subject, body, { timeout: 30_000, headers: h }).then(() => inFlight.delete(p));
    inFlight.add(p);
    next++;
  }
  await Promise.all(inFlight);
}

// One pull: up to `batch` messages (fewer when the consumer has fewer), on a fresh inbox.
function pull(consumer, batch) {
  return new Promise((resolve) => {
    const messages = [];
    const inbox = `_INBOX.floor.${Math.random().toString(36).slice(2)}`;
    const sub = nc.subscribe(inbox, {
      callback: (_, m) => {
        if (m.headers?.code) {
          sub.unsubscribe();
          return resolve(messages);
        }
        messages.push(m);
        if (messages.length >= batch) {
          sub.unsubscribe();
          resolve(messages);
        }
      },
    });
    nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch, expires: 5e9 }), { reply: inbox });
  });
}

// Pulls `count` messages from a consumer in batches, acking each when asked: 'publish' sends the ack and
// goes on (the server may still lose it: a flush only says the server it reached has it), 'request' waits
// for the consumer leader's answer to each ack of a batch, as `receive --delete` must before it prints.
async function drain(consumer, batch, ack) {
  for (let got = 0; got < count;) {
    const messages = await pull(consumer, Math.min(batch, count - got));
    if (ack === 'publish') for (const m of messages) nc.publish(m.reply, '+ACK');
    if (ack === 'request') await Promise.all(messages.map((m) => nc.request(m.reply, '+ACK', { timeout: 30_000 })));
    got += messages.length;
  }
  await nc.flush();
}

const started = performance.now();
switch (kind) {
  case 'publish':
    // A work-queue or limits stream on subject STREAM.in (made by the caller).
    await publishAll(`${stream}.in`);
    break;
  case 'drain':
    await drain('floor', 10_000, 'publish');
    break;
  case 'drain-confirmed':
    await drain('floor', 10_000, 'request');
    break;
  case 'fifo':
    // One group: a consumer that has at most one message out, pulled and acked one at a time.
    await drain('floor', 1, 'publish');
    break;
  case 'read': {
    // An ephemeral consumer from the first message, acks none.
    const { name } = await api(`CONSUMER.CREATE.${stream}`, { stream_name: stream, config: { deliver_policy: 'all', ack_policy: 'none', mem_storage: true, num_replicas: 1, inactive_threshold: 30e9 } });
    await drain(name, 10_000, 'none');
    break;
  }
  default:
    throw new Error(`unknown floor case ${kind}`);
}
const ms = performance.now() - started;
await nc.close();
console.log(JSON.stringify({ ms, count }));
