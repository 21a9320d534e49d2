// HopFields builders for tests: only the fields extraction reads matter.

import type { HopFields } from "../../formats/types.ts";

export function hopFields(overrides: Partial<HopFields> = {}): HopFields {
  return {
    inputIndex: 0,
    action: "read",
    effect: "allow",
    principalId: null,
    roles: [],
    actingAgent: null,
    resourceKind: null,
    resourceId: null,
    policy: null,
    scope: null,
    policyVersion: null,
    policySourceRef: null,
    derivedRoles: [],
    requestId: null,
    method: "CheckResources",
    ...overrides,
  };
}
