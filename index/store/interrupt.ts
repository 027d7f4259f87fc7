/**
 * Clean-up to run if the process is stopped by SIGINT or SIGTERM while a reindex holds the lock or writes a
 * temporary version folder. Library code registers what it would leave behind; only entry points (the
 * index script, the bot's reindex process) install the signal handlers. A SIGKILL's leftovers are
 * removed by the next reindex instead.
 */
const pending = new Set<() => void>();

/** Registers synchronous clean-up; the returned function unregisters it. */
export function onInterrupt(cleanup: () => void): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Makes SIGINT and SIGTERM run the registered clean-up, then end the process as the signal would. */
export function cleanUpOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      for (const cleanup of [...pending].reverse()) {
        try {
          cleanup();
        } catch {
          // Best effort: the next reindex removes whatever is left.
        }
      }
      process.exit(code);
    });
  }
}
