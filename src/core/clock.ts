// Every read of the time goes through a Clock, so the stores can be tested with a fake one.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
