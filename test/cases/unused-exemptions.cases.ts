import { PolicyCase as Case, T } from "../helpers";

const registry = (resource: string, expires = "2099-12-31") =>
    `services: []\nknownCidrs: []\nexemptions:\n  - { policy: no-world-open-internal-ports, resource: "${resource}", reason: test, expires: "${expires}" }\n`;
const sg = (name: string) => ({ type: T.sg, name, props: { ingress: [] } });

export const valid: Case[] = [
    { name: "an exemption that matches a resource by name", registryYaml: registry("bastion"), resources: [sg("bastion")] },
    { name: "an exemption that matches by glob", registryYaml: registry("legacy-*"), resources: [sg("legacy-api")] },
    {
        name: "an exemption that matches by URN",
        registryYaml: registry("urn:pulumi:stack::project::aws:ec2/securityGroup:SecurityGroup::db"),
        resources: [sg("db")],
    },
];

export const invalid: Case[] = [
    {
        name: "an exemption that matches nothing",
        registryYaml: registry("bastion"),
        resources: [sg("web")],
        advisories: [
            [
                "unused",
                null,
                { line: 4, policy: "no-world-open-internal-ports", resource: "bastion", state: "active until 2099-12-31" },
                null,
            ],
        ],
    },
    {
        name: "an expired exemption that matches nothing",
        registryYaml: registry("old-*", "2020-01-01"),
        resources: [sg("web")],
        advisories: [
            ["unused", null, { line: 4, policy: "no-world-open-internal-ports", resource: "old-*", state: "expired on 2020-01-01" }, null],
        ],
    },
];
