/** Wakes waiters when something progressed; `wait` resolves true on a wake, false on timeout. */
export class ProgressSignal {
  private waiters = new Set<(woken: boolean) => void>();

  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woken: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(woken);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(done);
    });
  }

  wakeAll(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake(true);
  }
}
