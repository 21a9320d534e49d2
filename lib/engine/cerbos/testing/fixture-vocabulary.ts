// What random requests against lib/engine/cerbos/testdata/policies draw from.
import type { Vocabulary } from "./random-requests.ts";

export const FIXTURE_POLICIES_DIR = new URL("../testdata/policies", import.meta.url).pathname;

export const FIXTURE_VOCABULARY: Vocabulary = {
  kinds: ["document", "report", "other"],
  versions: ["default", "v2", "missing"],
  scopes: ["", "acme", "acme.hr", "acme.hr.uk", "acme.hr.uk.london", "acme.sales", "other"],
  roles: ["user", "agent", "admin", "manager", "auditor", "service", "guest"],
  actions: ["view", "edit", "view:summary", "view:full", "publish", "delete", "archive", "approve", "comment", "download", "share", "export", "create"],
  principalIds: ["alice", "bob", "carol", "agent-1", "spiffe://example.org/ns/svc", "spiffe://other.org/x"],
  attrKeys: ["owner", "status", "amount", "tags", "path", "createdAt", "legacy", "public", "level", "teams", "ip", "suspended"],
  values: [
    "alice", "bob", "agent-1", "draft", "published", "archived", "/docs/a/b", "/tmp/x", "2025-01-01T00:00:00Z", "1990-01-01T00:00:00Z",
    "10.1.2.3", "192.168.1.1", "not-an-ip", "hr", true, false, null, 0, 3, 5, 8, 50, 500, 50000, 12.5, -1,
    ["hr", "tmp"], ["blocked"], ["eng", "hr"], [], ["contractors", "hr"], { nested: 1 },
  ],
};
