// Paths into a resource's inputs as messages show them: `ingress[1].cidrBlocks[0]`.

export function joinPath(base: string, key: string | number): string {
    if (typeof key === "number") return `${base}[${key}]`;
    return base ? `${base}.${key}` : key;
}
