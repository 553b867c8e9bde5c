// Small facts about plain JavaScript values that every layer asks.

/** A JSON object: not null, not a list. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Own keys only: "constructor" or "__proto__" must not find Object.prototype's members. */
export function hasOwn(o: object, key: PropertyKey): boolean {
    return Object.prototype.hasOwnProperty.call(o, key);
}
