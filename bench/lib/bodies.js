// The input of the send cases: `count` lines of exactly `bytes` printable bytes each, plus a newline.
import fs from 'node:fs';

export function body(i, bytes) {
  return `m${String(i).padStart(9, '0')}`.padEnd(bytes, 'x').slice(0, bytes);
}

export function writeBodiesFile(file, count, bytes) {
  const fd = fs.openSync(file, 'w');
  try {
    const chunk = 10_000;
    for (let start = 0; start < count; start += chunk) {
      let text = '';
      for (let i = start; i < Math.min(count, start + chunk); i++) text += `${body(i, bytes)}\n`;
      fs.writeSync(fd, text);
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
