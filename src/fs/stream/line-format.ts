// The layout of one record's line in a segment file, shared by the writer and the decoder. A line is
// JSON with its fields in a fixed order, the checksum last, and a newline:
//
//   {"s":"<33-digit sequence>","t":<arrival ms>,"k":<partition key>,"d":<data>,"c":"<8 hex digits>"}\n
//
// Data that is not valid UTF-8 (bytes put through the Kinesis API or `mq put --base64`) is written as
// base64 in a field "b" in place of "d"; everything else is the same:
//
//   {"s":"<33-digit sequence>","t":<arrival ms>,"k":<partition key>,"b":"<base64>","c":"<8 hex digits>"}\n
//
// The checksum (checksum.ts) covers the bytes from "{" up to the closing quote of "d" (or "b"), so a line that is
// torn, overwritten or garbled is detected, not guessed at. The fixed order lets both directions work on
// bytes at known places instead of through JSON.parse and JSON.stringify (line-writer.ts, line-decoder.ts).

// `,"c":"` + 8 hex digits + `"}` + newline.
export const SUFFIX_BYTES = 17;
// `,"d":"` (or `,"b":"`)
export const DATA_FIELD_BYTES = 6;
export const TEXT_FIELD = 0x64; // d
export const BINARY_FIELD = 0x62; // b
// Where the 20 counter digits of the sequence number sit: after `{"s":"` and the 13-digit shard prefix.
export const COUNTER_AT = 19;
// Where the sequence number and the arrival time digits start.
export const SEQUENCE_AT = 6;
export const SEQUENCE_END = 39;
export const TIME_AT = 45;

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const NEWLINE = 0x0a;
export const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
