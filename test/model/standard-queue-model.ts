// An in-memory reference model of a standard SQS queue, as mq implements it: exact counts, receive
// order by (visible time, id), visibility timeouts returned lazily by the next receive or stats, the
// 12-hour in-flight cap, retention from the send time. Used to check the file store against.
export interface ModelDelivery {
  deadline: number;
  receivedAt: number;
  receipt: string;
}

export interface ModelMessage {
  id: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number;
  delivery: ModelDelivery | null;
}

const TWELVE_HOURS = 12 * 3_600_000;

export class StandardQueueModel {
  private readonly messages = new Map<string, ModelMessage>();

  constructor(private readonly retentionMs: number) {}

  send(id: string, body: string, now: number, delayMs: number): void {
    this.messages.set(id, { id, body, sentAt: now, visibleAt: now + delayMs, receiveCount: 0, firstReceivedAt: 0, delivery: null });
  }

  // What the store does first on receive and stats: expired deliveries become visible at their deadline;
  // messages past retention go.
  private tidy(now: number): void {
    for (const [id, m] of this.messages) {
      if (m.delivery && m.delivery.deadline <= now) {
        m.visibleAt = m.delivery.deadline;
        m.delivery = null;
      }
      if (!m.delivery && m.sentAt + this.retentionMs <= now) this.messages.delete(id);
    }
  }

  // The messages a receive takes, in order; `deliver` records the receipt the store issued for each.
  receive(now: number, max: number): ModelMessage[] {
    this.tidy(now);
    return [...this.messages.values()]
      .filter((m) => !m.delivery && m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || (a.id < b.id ? -1 : 1))
      .slice(0, max);
  }

  deliver(id: string, receipt: string, now: number, visibilityTimeoutMs: number): void {
    const m = this.messages.get(id)!;
    m.receiveCount++;
    m.firstReceivedAt ||= now;
    m.delivery = { deadline: now + visibilityTimeoutMs, receivedAt: now, receipt };
  }

  private holder(receipt: string): ModelMessage | undefined {
    return [...this.messages.values()].find((m) => m.delivery?.receipt === receipt);
  }

  // Ack deletes the message its receipt's delivery is for, expired or not, until a tidy returned it.
  ack(receipt: string): boolean {
    const m = this.holder(receipt);
    if (m) this.messages.delete(m.id);
    return Boolean(m);
  }

  changeVisibility(receipt: string, timeoutMs: number, now: number): 'ok' | 'RECEIPT_STALE' | 'CONFLICT' {
    const m = this.holder(receipt);
    if (!m || m.delivery!.deadline <= now) return 'RECEIPT_STALE';
    if (timeoutMs > m.delivery!.receivedAt + TWELVE_HOURS - now) return 'CONFLICT';
    if (timeoutMs === 0) {
      m.visibleAt = now;
      m.delivery = null;
    } else {
      m.delivery!.deadline = now + timeoutMs;
    }
    return 'ok';
  }

  counts(now: number): { visible: number; inFlight: number; delayed: number } {
    this.tidy(now);
    const all = [...this.messages.values()];
    return {
      visible: all.filter((m) => !m.delivery && m.visibleAt <= now).length,
      inFlight: all.filter((m) => m.delivery).length,
      delayed: all.filter((m) => !m.delivery && m.visibleAt > now).length,
    };
  }
}
