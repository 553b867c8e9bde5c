// Waiting on a program's work without letting a stuck promise or a timer keep the check waiting.
/** Waits for `p`, but no longer than `ms` (the timer does not outlive the wait). */
export async function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
        await Promise.race([
            p.then(
                () => undefined,
                () => undefined,
            ),
            new Promise<void>((r) => (timer = setTimeout(r, ms))),
        ]);
    } finally {
        if (timer) clearTimeout(timer);
    }
}

export function nextTurn(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}
