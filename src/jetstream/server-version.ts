// The NATS servers mq works with: 2.9 or newer (2.9 brought the APIs mq relies on: msg get by subject,
// per-subject counts in stream info, durable consumers removed when idle). Pure.
const MINIMUM = [2, 9, 0];

export function isSupportedServer(version: string): boolean {
  const parts = version.split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10));
  if (parts.some((p) => !Number.isFinite(p))) return false;
  for (let i = 0; i < MINIMUM.length; i++) {
    const part = parts[i] ?? 0;
    if (part !== MINIMUM[i]) return part > MINIMUM[i]!;
  }
  return true;
}
