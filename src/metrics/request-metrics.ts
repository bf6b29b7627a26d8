// The server's own numbers: requests answered and how long they took, by action (a console page, an
// SQS or Kinesis API action, /metrics itself) and HTTP status. Kept in memory for the life of the server,
// as Prometheus counters and a histogram expect.
import type { MetricFamily, Sample } from './exposition.js';

// Upper bounds in seconds. A long poll (ReceiveMessage with WaitTimeSeconds) takes up to 20 s.
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25];

interface Latencies {
  // Observations at or under each bound (cumulative when rendered).
  buckets: number[];
  sum: number;
  count: number;
}

export class RequestMetrics {
  private readonly counts = new Map<string, Map<number, number>>();
  private readonly latencies = new Map<string, Latencies>();

  observe(action: string, status: number, seconds: number): void {
    const byStatus = this.counts.get(action) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.counts.set(action, byStatus);
    const latency = this.latencies.get(action) ?? { buckets: LATENCY_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
    const bucket = LATENCY_BUCKETS_SECONDS.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) latency.buckets[bucket]!++;
    latency.sum += seconds;
    latency.count++;
    this.latencies.set(action, latency);
  }

  families(): MetricFamily[] {
    const actions = [...this.counts.keys()].sort();
    const requests: Sample[] = actions.flatMap((action) => [...this.counts.get(action)!.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, value]) => ({ labels: { action, code: String(status) }, value })));
    const durations: Sample[] = actions.flatMap((action) => {
      const { buckets, sum, count } = this.latencies.get(action)!;
      let cumulative = 0;
      return [
        ...LATENCY_BUCKETS_SECONDS.map((bound, i) => {
          cumulative += buckets[i]!;
          return { suffix: '_bucket', labels: { action, le: String(bound) }, value: cumulative };
        }),
        { suffix: '_bucket', labels: { action, le: '+Inf' }, value: count },
        { suffix: '_sum', labels: { action }, value: sum },
        { suffix: '_count', labels: { action }, value: count },
      ];
    });
    return [
      { name: 'mq_http_requests_total', help: 'HTTP requests answered, by action and status code.', type: 'counter', samples: requests },
      { name: 'mq_http_request_duration_seconds', help: 'Time from a request\'s arrival to the end of its answer, by action.', type: 'histogram', samples: durations },
    ];
  }
}
