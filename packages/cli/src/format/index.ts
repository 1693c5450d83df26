import { canonicalJson } from '@claude-idp/core';
import { paint } from '../cli-io';
import type { Format, OutputBundle } from './bundle';
import { renderHtml } from './html';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import { renderText } from './text';

export * from './bundle';
export { renderHtml, renderJunit, renderMarkdown, renderText };

/** Renders a bundle; `json` prints `jsonValue` (the SPEC §4 shape of the command) canonically. */
export function render(format: Format, bundle: OutputBundle, jsonValue: unknown, color: boolean): string {
  switch (format) {
    case 'json':
      return canonicalJson(jsonValue, 2);
    case 'markdown':
      return renderMarkdown(bundle);
    case 'html':
      return renderHtml(bundle);
    case 'junit':
      return renderJunit(bundle);
    default:
      return renderText(bundle, paint(color));
  }
}
