// Waiting that a signal cuts short (Ctrl-C, SIGTERM, a lost lease), leaving no listener behind on the
// signal whichever way it ends: a loop that waits often must not pile listeners up.
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
