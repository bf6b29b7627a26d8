// A disk image in memory: inodes (directories, files, symbolic links) reached from a root directory.
// Directory entries name inodes, so a renamed directory keeps its contents, as on a real file system.
// Cloning is cheap (file data is shared and copied on write). Pure.

export type InodeId = number;

export type Node =
  | { kind: 'dir'; entries: Map<string, InodeId> }
  | { kind: 'file'; data: Uint8Array }
  | { kind: 'symlink'; target: string };

export class Image {
  readonly nodes: Map<InodeId, Node>;
  private nextId: InodeId;

  constructor(readonly root: InodeId = 1, nodes?: Map<InodeId, Node>, nextId?: InodeId) {
    this.nodes = nodes ?? new Map([[root, { kind: 'dir', entries: new Map() }]]);
    this.nextId = nextId ?? Math.max(root, ...this.nodes.keys()) + 1;
  }

  clone(): Image {
    const nodes = new Map<InodeId, Node>();
    for (const [id, node] of this.nodes) nodes.set(id, node.kind === 'dir' ? { kind: 'dir', entries: new Map(node.entries) } : { ...node });
    return new Image(this.root, nodes, this.nextId);
  }

  allocate(): InodeId {
    return this.nextId++;
  }

  // Keeps inode numbers of another image (the live view during translation) from colliding with new ones.
  reserveUpTo(id: InodeId): void {
    this.nextId = Math.max(this.nextId, id + 1);
  }

  node(id: InodeId): Node | undefined {
    return this.nodes.get(id);
  }

  dir(id: InodeId): Map<string, InodeId> | undefined {
    const node = this.nodes.get(id);
    return node?.kind === 'dir' ? node.entries : undefined;
  }

  // The inode at `parts` below the root (no symbolic link is followed), if any.
  lookup(parts: readonly string[]): InodeId | undefined {
    let id: InodeId | undefined = this.root;
    for (const part of parts) {
      const entries: Map<string, InodeId> | undefined = id === undefined ? undefined : this.dir(id);
      id = entries?.get(part);
      if (id === undefined) return undefined;
    }
    return id;
  }

  // Every path (relative to the root, '/'-joined) with its inode, depth first, sorted by name.
  *walk(id: InodeId = this.root, prefix = ''): Generator<[string, InodeId, Node]> {
    const entries = this.dir(id);
    if (!entries) return;
    for (const name of [...entries.keys()].sort()) {
      const child = entries.get(name)!;
      const node = this.nodes.get(child);
      if (!node) continue;
      const path = prefix === '' ? name : `${prefix}/${name}`;
      yield [path, child, node];
      if (node.kind === 'dir') yield* this.walk(child, path);
    }
  }

  // Writes `data` at `offset` of a file, growing it (with zeros in any gap).
  write(id: InodeId, offset: number, data: Uint8Array): void {
    const node = this.nodes.get(id);
    if (node?.kind !== 'file') return;
    const end = Math.max(node.data.length, offset + data.length);
    const next = new Uint8Array(end);
    next.set(node.data, 0);
    next.set(data, offset);
    this.nodes.set(id, { kind: 'file', data: next });
  }

  truncate(id: InodeId, size: number): void {
    const node = this.nodes.get(id);
    if (node?.kind !== 'file') return;
    const next = new Uint8Array(size);
    next.set(node.data.subarray(0, Math.min(size, node.data.length)), 0);
    this.nodes.set(id, { kind: 'file', data: next });
  }

  // A text description of the whole tree (paths, kinds, sizes, content hashes): equal images describe equally.
  describe(): string {
    const lines: string[] = [];
    for (const [path, , node] of this.walk()) {
      if (node.kind === 'dir') lines.push(`${path}/`);
      else if (node.kind === 'symlink') lines.push(`${path} -> ${node.target}`);
      else lines.push(`${path} ${node.data.length} ${fnv1a(node.data)}`);
    }
    return lines.join('\n');
  }
}

// FNV-1a, 32-bit, as 8 hex digits: a content fingerprint for describe().
export function fnv1a(data: Uint8Array | string): string {
  let h = 0x811c9dc5;
  if (typeof data === 'string') {
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
