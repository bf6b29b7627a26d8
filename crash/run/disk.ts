// Between directories and in-memory images: read the tree a scenario set up (the state before the traced
// commands, taken as on disk), and write a crash state's image into a fresh directory for recovery.
import fs from 'node:fs';
import path from 'node:path';
import { Image, type InodeId } from '../model/image.js';

export function readImage(dir: string): Image {
  const image = new Image();
  const visit = (from: string, into: InodeId) => {
    const entries = image.dir(into)!;
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const full = path.join(from, entry.name);
      const id = image.allocate();
      if (entry.isDirectory()) {
        image.nodes.set(id, { kind: 'dir', entries: new Map() });
        visit(full, id);
      } else if (entry.isSymbolicLink()) {
        image.nodes.set(id, { kind: 'symlink', target: fs.readlinkSync(full) });
      } else if (entry.isFile()) {
        image.nodes.set(id, { kind: 'file', data: new Uint8Array(fs.readFileSync(full)) });
      } else {
        continue;
      }
      entries.set(entry.name, id);
    }
  };
  visit(dir, image.root);
  return image;
}

// Writes the image's reachable tree below `dir` (which must exist and be empty). A name that two links
// share is written twice (hard links are not kept: nothing in a recovery tells them apart).
export function writeImage(image: Image, dir: string): void {
  for (const [rel, , node] of image.walk()) {
    const full = path.join(dir, rel);
    if (node.kind === 'dir') fs.mkdirSync(full, { mode: 0o700 });
    else if (node.kind === 'symlink') fs.symlinkSync(node.target, full);
    else fs.writeFileSync(full, node.data, { mode: 0o600 });
  }
}
