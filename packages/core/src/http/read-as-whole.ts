import { IncompleteReadError } from '../errors/incomplete-read-error';

/**
 * Runs a read whose parts go side by side (listings, member pages) so that it succeeds or fails
 * as a whole (SPEC §5), the same way in every adapter:
 * - `read` gets one signal for all its requests; the first part to fail rejects the read, and
 *   the signal then stops every sibling still running (no requests after the outcome is known);
 * - the caller's abort reaches every part, and comes out as one `IncompleteReadError` (reason
 *   `aborted`) whatever the part that noticed it threw (a DOMException, a client's own error).
 */
export async function readAsWhole<T>(
  args: { vendor: string; abortSignal?: AbortSignal },
  read: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const caller = args.abortSignal;
  if (caller?.aborted) throw abortedRead(args.vendor, caller.reason);
  const stop = new AbortController();
  const onAbort = () => stop.abort(caller?.reason);
  caller?.addEventListener('abort', onAbort, { once: true });
  try {
    return await read(stop.signal);
  } catch (error) {
    if (caller?.aborted)
      throw IncompleteReadError.isInstance(error) && error.reason === 'aborted'
        ? error
        : abortedRead(args.vendor, error);
    throw error;
  } finally {
    caller?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

function abortedRead(vendor: string, cause: unknown): IncompleteReadError {
  return new IncompleteReadError({
    vendor,
    resource: 'snapshot',
    reason: 'aborted',
    message: `${vendor}: the read was aborted`,
    cause,
  });
}
