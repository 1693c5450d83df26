import { readFileSync } from 'node:fs';
import { InputError } from '@claude-idp/core';

/**
 * A path or the text itself (text starts with `{`/`[` or spans lines), as core's loaders take
 * it. Core's `readSource` is not exported, so this is a local copy of the same rule.
 */
export function readSourceText(pathOrText: string, label: string): { text: string; source: string } {
  if (/^\s*[[{]/.test(pathOrText) || pathOrText.includes('\n')) return { text: pathOrText, source: `<${label}>` };
  try {
    return { text: readFileSync(pathOrText, 'utf8'), source: pathOrText };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable');
    throw new InputError({ source: pathOrText, issues: [{ path: '', expected: `a readable ${label} file`, received: why }], message: `${pathOrText}: cannot read the ${label} file (${why})`, cause: error });
  }
}
