// The standard queue engine: time-bucketed ready messages, any order, at-least-once.
import type { QueueEngine } from '../engine.js';
import { adoptStandard, publishStandard } from './send.js';
import { claimStandard } from './receive.js';
import { ackStandard, changeStandardVisibility } from './in-flight.js';
import { countStandard, forEachStandardReady, peekStandard } from './inspect.js';

export const standardEngine: QueueEngine = {
  publish: publishStandard,
  claim: claimStandard,
  ack: ackStandard,
  changeVisibility: changeStandardVisibility,
  count: countStandard,
  peek: peekStandard,
  messageRoots: (ctx) => [ctx.layout.ready, ctx.layout.inflight],
  adopt: adoptStandard,
  forEachReady: forEachStandardReady,
};
