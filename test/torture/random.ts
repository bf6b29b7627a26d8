// A seeded random source (sfc32) for the torture runs, so that one printed seed replays the same
// schedule: which roles start, what each process does, where each one is killed. (The operating system's
// interleaving of the processes is not replayed, only every decision the harness and the workers make.)
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  // A float in [0, 1).
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  // An integer in [min, max].
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  // One of the keys, each with the probability of its weight.
  weighted<T extends string>(weights: Record<T, number>): T {
    const entries = Object.entries(weights) as [T, number][];
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries.at(-1)![0];
  }

  // An exponentially distributed delay with this mean.
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

// A seed for one part of a run (a scenario, a process), derived from the run's seed and labels.
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = seed >>> 0;
  for (const char of labels.join('/')) {
    h = Math.imul(h ^ char.charCodeAt(0), 0x01000193);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function formatSeed(seed: number): string {
  return `0x${(seed >>> 0).toString(16).padStart(8, '0')}`;
}

// A seed as printed (0x... or decimal); a fresh random one when absent.
export function parseSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return Math.floor(Math.random() * 2 ** 32) >>> 0;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32) throw new Error(`MQ_TORTURE_SEED must be a 32-bit number (0x1234abcd or decimal), got ${JSON.stringify(text)}`);
  return value;
}
