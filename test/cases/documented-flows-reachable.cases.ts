// The provider-neutral rows; each cloud's stacks are in providers/<cloud>-graph.cases.ts.
import { PolicyCase as Case } from "../helpers";

export const valid: Case[] = [{ name: "a stack without workloads has no paths", resources: [] }];

export const invalid: Case[] = [];
