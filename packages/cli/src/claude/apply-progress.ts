import type { ApplyProgressEvent } from '@claude-idp/anthropic';
import type { Io } from '../cli-io';

/**
 * Progress of `apply` on stderr (never with --quiet; stdout keeps the summary): each action as it
 * ends, and every wait (the pacer under 100 requests a minute / 1,200 invites an hour, a 429 or
 * a retry). On a terminal one line is rewritten in place; otherwise only waits of a second or
 * more are printed, one per line, so logs of scheduled runs show why a run took long.
 */
export function applyProgress(io: Io, quiet: boolean): ((e: ApplyProgressEvent) => void) | undefined {
  if (quiet) return undefined;
  return (e) => {
    let text: string | undefined;
    if (e.type === 'action') text = `[${e.index}/${e.total}] ${e.action} ${e.email}: ${e.result}`;
    else if (e.type === 'throttle' || e.type === 'retry') {
      if (!io.isErrTty && e.delayMs < 1000) return;
      text = `${e.type === 'retry' ? 'retrying' : 'waiting'} ${Math.round(e.delayMs / 100) / 10}s: ${e.reason} (${e.resource})`;
    }
    if (!text) return;
    if (io.isErrTty)
      io.stderr(`\r\u001b[2K${text.slice(0, 120)}${e.type === 'action' && e.index === e.total ? '\n' : ''}`);
    else if (e.type !== 'action') io.stderr(`${text}\n`);
  };
}
