// The FIFO queue engine: per-group order, one in-flight batch per group, deduplication.
import type { QueueEngine } from '../engine.js';
import { adoptFifo, publishFifo } from './send.js';
import { claimFifo } from './receive.js';
import { ackFifo, changeFifoVisibility } from './in-flight.js';
import { countFifo, forEachFifoReady, peekFifo } from './inspect.js';

export const fifoEngine: QueueEngine = {
  publish: publishFifo,
  claim: claimFifo,
  ack: ackFifo,
  changeVisibility: changeFifoVisibility,
  count: countFifo,
  peek: peekFifo,
  messageRoots: (ctx) => [ctx.layout.groups],
  adopt: adoptFifo,
  forEachReady: forEachFifoReady,
};
