// Small text helpers of the check.

export function firstLine(s: string): string {
    return (
        s
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.trim() ?? s.trim()
    );
}
