// "Did you mean": the closest of some known words to what a user wrote.

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}

/** The candidate within edit distance 2, case-insensitive (or one the word is a 3+ letter prefix of); undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDist = 3;
    const w = word.toLowerCase();
    for (const c of candidates) {
        const d = c.toLowerCase().startsWith(w) && w.length >= 3 ? 1 : editDistance(w, c.toLowerCase());
        if (d < bestDist) {
            best = c;
            bestDist = d;
        }
    }
    return best;
}
