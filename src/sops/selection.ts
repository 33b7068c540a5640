/**
 * Which leaves are encrypted: a port of sops's `shouldBeEncrypted`. The path holds map keys
 * only (no list indices) and each regex is tested against each key separately, with Go's
 * regexp semantics and in linear time (go-regexp.ts); parseMetadata has already refused a
 * regex that does not compile, so the compile here is a cache hit.
 */
import { compileGoRegexp } from './go-regexp.ts';
import type { Selection } from './metadata.ts';

/** Comment lines directly preceding the item, one array per nesting level. */
export type CommentStack = readonly (readonly string[])[];

export function shouldBeEncrypted(
  selection: Selection,
  path: readonly string[],
  comments: CommentStack,
  isComment: boolean,
): boolean {
  switch (selection.kind) {
    case 'unencrypted_suffix':
      return !path.some((key) => key.endsWith(selection.value));
    case 'encrypted_suffix':
      return path.some((key) => key.endsWith(selection.value));
    case 'unencrypted_regex': {
      const re = compileGoRegexp(selection.value, 'unencrypted_regex');
      return !path.some((key) => re.test(key));
    }
    case 'encrypted_regex': {
      const re = compileGoRegexp(selection.value, 'encrypted_regex');
      return path.some((key) => re.test(key));
    }
    case 'unencrypted_comment_regex': {
      const re = compileGoRegexp(selection.value, 'unencrypted_comment_regex');
      return !comments.some((level) => level.some((c) => re.test(c)));
    }
    case 'encrypted_comment_regex': {
      const re = compileGoRegexp(selection.value, 'encrypted_comment_regex');
      const last = comments.length - 1;
      return comments.some((level, i) =>
        level.some((c, j) => {
          // The marker comment itself stays cleartext: skip the innermost last line when the
          // leaf is that comment.
          if (isComment && i === last && j === level.length - 1) return false;
          return re.test(c);
        }),
      );
    }
  }
}
