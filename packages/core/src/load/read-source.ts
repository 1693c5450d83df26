import { readFileSync } from 'node:fs';
import { InputError } from '../errors/input-error';

/**
 * A loader's argument is a path or the text itself. Text is recognised by its first character
 * (`{`, `[`, a newline, or a YAML/CSV-looking first line with `:` or `,`); anything else is a path.
 */
export function readSource(
  pathOrText: string,
  label: string,
  options: { text?: boolean; source?: string } = {},
): { text: string; source: string } {
  const looksLikeText = options.text ?? (/^\s*[[{]/.test(pathOrText) || pathOrText.includes('\n'));
  if (looksLikeText) return { text: pathOrText, source: options.source ?? `<${label}>` };
  try {
    return { text: readFileSync(pathOrText, 'utf8'), source: pathOrText };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({
      source: pathOrText,
      issues: [
        {
          path: '',
          expected: `a readable ${label} file`,
          received: code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable'),
        },
      ],
      message: `${pathOrText}: cannot read the ${label} file (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')})`,
      cause: error,
    });
  }
}

/** Line and column of a character offset, 1-based, for parse errors. */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}
