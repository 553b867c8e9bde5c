// The SARIF 2.1.0 JSON schema as Microsoft ships it (@microsoft/jest-sarif: sarif-2.1.0-rtm.5.json,
// draft-04), compiled with formats (helpUri must be a URI, not a path) for validating our output.
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import sarifSchema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

// The schema's language-tag pattern is not valid as a unicode regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(sarifSchema);

/** Schema errors of a SARIF log, one line each; empty when it is valid. */
export function sarifErrors(doc: unknown): string[] {
    if (validate(doc)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
