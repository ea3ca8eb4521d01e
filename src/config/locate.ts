/** Where a field of dynenv.yaml is written: the line and column a problem message points at. */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * The line and column (1-based) of the field at `path`: its key when the field is a map entry (`port: http`
 * points at `port`), the list item otherwise; for a field that is missing, the nearest enclosing one that is
 * written. `atKey` is the same for a key that is itself the problem (unknown, misspelled).
 */
export function locate(document: Document, lines: LineCounter, path: readonly PropertyKey[], atKey = false): { line?: number; column?: number } {
  let node: unknown = document.contents;
  let mark: Node | undefined = isNode(node) ? node : undefined;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) break;
      const last = index === path.length - 1;
      mark = isNode(pair.key) ? pair.key : mark;
      node = pair.value;
      if (last && !atKey && !isNode(pair.key) && isNode(node)) mark = node;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      mark = item;
      node = item;
    } else {
      break;
    }
  }
  const offset = mark?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && 'range' in value;
}
