// A strict parser of the Prometheus text exposition format (0.0.4), for checking /metrics: it throws on
// anything a Prometheus server would refuse or that breaks the format's rules (a sample before its TYPE,
// a family's samples not together, a bad name, a bad escape, a duplicate series, a histogram whose
// buckets go down or whose +Inf bucket is not its count).

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | null;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]Inf)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function fail(lineNumber: number, message: string): never {
  throw new Error(`line ${lineNumber}: ${message}`);
}

function parseValue(text: string, lineNumber: number): number {
  if (!VALUE.test(text)) fail(lineNumber, `invalid value ${JSON.stringify(text)}`);
  if (text === 'NaN') return Number.NaN;
  if (text.endsWith('Inf')) return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(text);
}

// Reads `{name="value",...}` from position `start` of `line`; returns the labels and where they end.
function parseLabels(line: string, start: number, lineNumber: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (line[i] !== '}') {
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
    if (!nameMatch) fail(lineNumber, `invalid label name at column ${i + 1}`);
    const name = nameMatch[0];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) fail(lineNumber, `invalid label name ${name}`);
    if (Object.hasOwn(labels, name)) fail(lineNumber, `label ${name} given twice`);
    i += name.length;
    if (line.slice(i, i + 2) !== '="') fail(lineNumber, `expected =" after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) fail(lineNumber, `unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = line[i + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else fail(lineNumber, `invalid escape \\${next ?? ''} in label ${name}`);
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    labels[name] = value;
    i++;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') fail(lineNumber, `expected , or } after label ${name}`);
  }
  return { labels, end: i + 1 };
}

function seriesKey(name: string, labels: Record<string, string>, omit?: string): string {
  return `${name}${JSON.stringify(Object.entries(labels).filter(([k]) => k !== omit).sort(([a], [b]) => a.localeCompare(b)))}`;
}

// The family a sample belongs to: its own name, or, for a histogram or summary, the name without its suffix.
function familyOf(sampleName: string, families: Map<string, ParsedFamily>): ParsedFamily | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: ParsedFamily | null = null;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const n = index + 1;
    if (line === '') fail(n, 'empty line');
    const comment = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
    if (comment) {
      const [, keyword, name, rest = ''] = comment;
      if (!METRIC_NAME.test(name!)) fail(n, `invalid metric name ${name}`);
      let family = families.get(name!);
      if (family && (finished.has(name!) || family.samples.length > 0)) fail(n, `${keyword} of ${name} after its samples`);
      if (!family) {
        if (current) finished.add(current.name);
        family = { name: name!, type: 'untyped', help: null, samples: [] };
        families.set(name!, family);
        current = family;
      }
      if (keyword === 'HELP') {
        if (family.help !== null) fail(n, `second HELP of ${name}`);
        if (rest.replace(/\\[\\n]/g, '').includes('\\')) fail(n, `invalid escape in HELP of ${name}`);
        family.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
      } else {
        if (!TYPES.has(rest)) fail(n, `invalid type ${JSON.stringify(rest)}`);
        if (family.type !== 'untyped') fail(n, `second TYPE of ${name}`);
        family.type = rest as ParsedFamily['type'];
      }
      return;
    }
    if (line.startsWith('#')) return;
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) fail(n, `invalid sample line ${JSON.stringify(line)}`);
    const name = nameMatch[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(line, name.length, n);
      labels = parsed.labels;
      rest = line.slice(parsed.end);
    }
    const fields = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
    if (!fields) fail(n, `expected " VALUE [TIMESTAMP]" after ${name}, got ${JSON.stringify(rest)}`);
    const value = parseValue(fields[1]!, n);
    let family = familyOf(name, families);
    if (!family) {
      // A sample without TYPE: an untyped family of its own.
      if (current) finished.add(current.name);
      family = { name, type: 'untyped', help: null, samples: [] };
      families.set(name, family);
      current = family;
    }
    if (family !== current) fail(n, `sample of ${family.name} apart from the rest of its family`);
    if (family.type === 'histogram') {
      if (name === `${family.name}_bucket`) {
        if (labels.le === undefined) fail(n, `bucket of ${family.name} without le`);
        parseValue(labels.le, n);
      } else if (name !== `${family.name}_sum` && name !== `${family.name}_count`) {
        fail(n, `${name} is not a sample name of histogram ${family.name}`);
      }
    }
    const key = seriesKey(name, labels);
    if (seen.has(key)) fail(n, `series ${key} given twice`);
    seen.add(key);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const key = seriesKey(family.name, sample.labels, 'le');
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) entry.buckets.push([parseValue(sample.labels.le!, 0), sample.value]);
    if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    buckets.sort((a, b) => a[0] - b[0]);
    if (buckets.at(-1)?.[0] !== Number.POSITIVE_INFINITY) throw new Error(`histogram ${key} has no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]![1] < buckets[i - 1]![1]) throw new Error(`histogram ${key}: bucket le=${buckets[i]![0]} is below the one before it`);
    }
    if (count !== buckets.at(-1)![1]) throw new Error(`histogram ${key}: the +Inf bucket (${buckets.at(-1)![1]}) is not the count (${count})`);
  }
}

// The value of one series, found by its sample name and labels (all of them).
export function sampleValue(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string>): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && seriesKey(name, sample.labels) === seriesKey(name, labels)) return sample.value;
    }
  }
  return undefined;
}
