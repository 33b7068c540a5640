/** sops's `--extract '["a"]["b"][0]'`: a path into the first document. */
import { UserError } from '../errors.ts';
import { isComment, type Branch, type TreeValue } from './tree.ts';

export type ExtractPath = readonly (string | number)[];

/** Parses the bracketed path; string components are quoted, list indices are bare. */
export function parseExtractPath(text: string): ExtractPath {
  const out: (string | number)[] = [];
  const part = /\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+))\]/y;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const match = part.exec(text);
    if (match === null) {
      throw new UserError(
        'USAGE',
        `--extract ${JSON.stringify(text)} is not a path like ["data"]["password"]`,
        {
          hint: 'quote map keys ["key"] and leave list indices bare [0]',
        },
      );
    }
    if (match[1] !== undefined) out.push(match[1].replace(/\\(.)/g, '$1'));
    else if (match[2] !== undefined) out.push(match[2]);
    else out.push(Number(match[3]));
    at = part.lastIndex;
  }
  if (out.length === 0) throw new UserError('USAGE', '--extract is empty');
  return out;
}

/** Follows the path through the first document (sops's `Truncate`). */
export function extractValue(branch: Branch, path: ExtractPath): TreeValue {
  let current: TreeValue = branch;
  for (const component of path) {
    if (typeof component === 'string') {
      if (current.kind !== 'map')
        throw new UserError('USAGE', `--extract: ["${component}"] is not a map key here`);
      const found: TreeValue | undefined = current.items.find(
        (item): item is { key: string; value: TreeValue } => !isComment(item) && item.key === component,
      )?.value;
      if (found === undefined)
        throw new UserError('USAGE', `--extract: component ["${component}"] not found`);
      current = found;
    } else {
      if (current.kind !== 'list')
        throw new UserError('USAGE', `--extract: [${component}] is an index, but this is not a list`);
      const items: TreeValue[] = current.items.filter((item) => item.kind !== 'comment');
      const found = items[component];
      if (found === undefined) throw new UserError('USAGE', `--extract: [${component}] is out of bounds`);
      current = found;
    }
  }
  return current;
}
