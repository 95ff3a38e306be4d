type Node = string | Map<string, Node>;

/**
 * A summary or config as a tree whose leaves are JSON text exactly as logged, so values pass
 * through untouched (no float re-formatting, `NaN` kept) and only changed keys cost work.
 */
export class RawTree {
  private readonly root = new Map<string, Node>();

  set(path: string[], json: string): void {
    let map = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      let next = map.get(path[i]);
      if (!(next instanceof Map)) {
        next = new Map();
        map.set(path[i], next);
      }
      map = next;
    }
    map.set(path[path.length - 1], json);
  }

  remove(path: string[]): void {
    let map: Node | undefined = this.root;
    for (let i = 0; i < path.length - 1 && map instanceof Map; i++) map = map.get(path[i]);
    if (map instanceof Map) map.delete(path[path.length - 1]);
  }

  has(key: string): boolean {
    return this.root.has(key);
  }

  get size(): number {
    return this.root.size;
  }

  /** Top-level entries as `[key, json]`. */
  entries(): Array<[string, string]> {
    return [...this.root].map(([k, v]) => [k, RawTree.json(v)]);
  }

  toJson(extra: Array<[string, string]> = []): string {
    const parts = [...this.root].map(([k, v]) => `${JSON.stringify(k)}:${RawTree.json(v)}`);
    for (const [k, v] of extra) if (!this.root.has(k)) parts.push(`${JSON.stringify(k)}:${v}`);
    return `{${parts.join(',')}}`;
  }

  private static json(node: Node): string {
    if (typeof node === 'string') return node;
    return `{${[...node].map(([k, v]) => `${JSON.stringify(k)}:${RawTree.json(v)}`).join(',')}}`;
  }
}
