// Map a JSON pointer inside a parsed YAML document to a 1-based line number.
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Line of the node at `pointer`; with `key`, the line of that key inside the mapping (for unknown-property errors). */
export function lineOf(doc: Document, lc: LineCounter, pointer: string, key?: string): number {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (const seg of [...pointerToPath(pointer), ...(key !== undefined ? [key] : [])]) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      if (isNode(pair.key)) best = pair.key;
      node = pair.value;
      if (isNode(node) && seg !== key) best = node;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (isNode(node)) best = node; else break;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  return lc.linePos(offset).line;
}
