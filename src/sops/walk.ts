/**
 * sops's tree walk (`walkBranch`/`walkSlice`): depth-first in source order, with the path of
 * map keys (no list indices) and the stack of comment lines that directly precede each item.
 * Encryption and decryption both walk this way, so they agree on paths, comments and MAC order.
 */
import type { CommentStack } from './selection.ts';
import type { Branch, MapItem, TreeList, TreeMap, TreeValue } from './tree.ts';

/** Called for each leaf (scalars and comments; never maps, lists or nulls). */
export type LeafVisitor = (leaf: TreeValue, path: readonly string[], comments: CommentStack) => TreeValue;

function walkValue(
  value: TreeValue,
  path: readonly string[],
  comments: CommentStack,
  visit: LeafVisitor,
): TreeValue {
  switch (value.kind) {
    case 'map':
      return walkMap(value, path, comments, visit);
    case 'list':
      return walkList(value, path, comments, visit);
    case 'null':
      return value;
    default:
      return visit(value, path, comments);
  }
}

function walkMap(map: TreeMap, path: readonly string[], outer: CommentStack, visit: LeafVisitor): TreeMap {
  // Comments accumulate until the next non-comment item, which clears them.
  let level: string[] = [];
  const items: MapItem[] = [];
  for (const item of map.items) {
    if (!('key' in item)) {
      level.push(item.text);
      const out = visit(item, path, [...outer, level]);
      // sops turns whatever the visitor returns back into a comment key.
      items.push(
        out.kind === 'comment' ? out : { kind: 'comment', text: out.kind === 'str' ? out.value : item.text },
      );
      continue;
    }
    const valueIsComment = item.value.kind === 'comment';
    if (item.value.kind === 'comment') level.push(item.value.text);
    items.push({
      key: item.key,
      value: walkValue(item.value, [...path, item.key], [...outer, level], visit),
    });
    if (!valueIsComment) level = [];
  }
  return { kind: 'map', items };
}

function walkList(
  list: TreeList,
  path: readonly string[],
  outer: CommentStack,
  visit: LeafVisitor,
): TreeList {
  let level: string[] = [];
  const items: TreeValue[] = [];
  for (const item of list.items) {
    if (item.kind === 'comment') level.push(item.text);
    items.push(walkValue(item, path, [...outer, level], visit));
    if (item.kind !== 'comment') level = [];
  }
  return { kind: 'list', items };
}

/** Rebuilds every branch with each leaf replaced by what the visitor returns. */
export function mapLeaves(branches: readonly Branch[], visit: LeafVisitor): Branch[] {
  return branches.map((branch) => walkMap(branch, [], [], visit));
}

/** The additional data sops binds a value to: each key on the path followed by `:`. */
export function aadForPath(path: readonly string[]): string {
  return path.length === 0 ? ':' : `${path.join(':')}:`;
}
