// The rule table memoises queries, scope chains and scoped-policy existence. A decision must not
// depend on what was evaluated before: the same requests in two different orders on two policy
// sets must give identical outputs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileCerbosDirectory } from "./engine.ts";
import { requestToInputs } from "./http-api.ts";
import { CONFORMANCE_STORE_VOCABULARY } from "./testing/conformance-vocabulary.ts";
import { CONFORMANCE_ROOT } from "./testing/engine-cases.ts";
import { FIXTURE_POLICIES_DIR, FIXTURE_VOCABULARY } from "./testing/fixture-vocabulary.ts";
import { mulberry32, randomRequest, type Vocabulary } from "./testing/random-requests.ts";

function check(dir: string, vocabulary: Vocabulary, config: Parameters<typeof compileCerbosDirectory>[1]) {
  const rand = mulberry32(99);
  const requests = Array.from({ length: 600 }, (_, i) => randomRequest(rand, vocabulary, [], i));
  const a = compileCerbosDirectory(dir, config).policySet!;
  const b = compileCerbosDirectory(dir, config).policySet!;
  const now = new Date("2026-01-01T00:00:00Z");
  const forward = requests.map((r) => JSON.stringify(a.evaluate(requestToInputs(r), { now })));
  const backward = [...requests].reverse().map((r) => JSON.stringify(b.evaluate(requestToInputs(r), { now }))).reverse();
  const differing = forward.map((f, i) => (f === backward[i] ? undefined : requests[i]!.requestId)).filter(Boolean);
  expect(differing).toEqual([]);
}

describe("memoised rule table", () => {
  it("gives order-independent decisions on the fixture policies", () => check(FIXTURE_POLICIES_DIR, FIXTURE_VOCABULARY, {}));
  it("gives order-independent decisions with lenient scope search", () => check(FIXTURE_POLICIES_DIR, FIXTURE_VOCABULARY, { lenientScopeSearch: true }));
  it("gives order-independent decisions on the conformance store", () =>
    check(join(CONFORMANCE_ROOT, "store"), CONFORMANCE_STORE_VOCABULARY, { globals: { environment: "test" } }));
});
