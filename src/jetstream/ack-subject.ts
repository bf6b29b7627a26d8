// The reply subject of a JetStream delivery ($JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.
// <consumer seq>.<time>.<pending>, or the 2.10+ form with a domain and account hash before the stream and
// a token after): where acks and NAKs go, and what tells a delivery's sequence, count and time. Pure.
export interface AckSubject {
  // Tokens before the stream in the 2.10+ form (domain, account hash), else none.
  head: string[];
  stream: string;
  consumer: string;
  delivered: number;
  streamSeq: number;
  consumerSeq: number;
  // Stream time of the message, nanoseconds since the epoch (as text: it passes 2^53).
  timestampNs: string;
  pending: string;
  // The 2.10+ form's trailing token.
  tail: string[];
}

const PREFIX = '$JS.ACK.';
const DIGITS = /^\d{1,20}$/;
const NAME_TOKEN = /^[A-Za-z0-9_-]{1,255}$/;

export function parseAckSubject(subject: string): AckSubject | null {
  if (!subject.startsWith(PREFIX)) return null;
  return fromAckTokens(subject.slice(PREFIX.length).split('.'));
}

export function fromAckTokens(tokens: string[]): AckSubject | null {
  let head: string[];
  let rest: string[];
  let tail: string[];
  if (tokens.length === 7) {
    head = [];
    rest = tokens;
    tail = [];
  } else if (tokens.length === 10 || tokens.length === 11) {
    head = tokens.slice(0, 2);
    rest = tokens.slice(2, 9);
    tail = tokens.slice(9);
  } else {
    return null;
  }
  const [stream, consumer, delivered, streamSeq, consumerSeq, timestampNs, pending] = rest as [string, string, string, string, string, string, string];
  if (![...head, ...tail].every((t) => NAME_TOKEN.test(t))) return null;
  if (!NAME_TOKEN.test(stream) || !NAME_TOKEN.test(consumer)) return null;
  if (![delivered, streamSeq, consumerSeq, timestampNs, pending].every((t) => DIGITS.test(t))) return null;
  const numbers = [delivered, streamSeq, consumerSeq].map(Number);
  if (!numbers.every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  return { head, stream, consumer, delivered: numbers[0]!, streamSeq: numbers[1]!, consumerSeq: numbers[2]!, timestampNs, pending, tail };
}

export function ackSubjectOf(ack: AckSubject): string {
  return PREFIX + ackTokens(ack).join('.');
}

export function ackTokens(ack: AckSubject): string[] {
  return [...ack.head, ack.stream, ack.consumer, String(ack.delivered), String(ack.streamSeq), String(ack.consumerSeq), ack.timestampNs, ack.pending, ...ack.tail];
}

// The stream time of a delivery in milliseconds.
export function timestampMs(ack: AckSubject): number {
  return Number(BigInt(ack.timestampNs) / 1_000_000n);
}
