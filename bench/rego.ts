// npm run bench:rego — evaluations per second of the embedded Rego engine: compile once,
// evaluate many. Two policies: OPA's HTTP API authorization example (with io.jwt.decode) and a
// larger agent/tool authorization policy.
import { compileRego } from "../lib/engine/rego/engine.ts";
import { fromJs, toJsonText } from "../lib/engine/rego/values/json.ts";
import type { Value } from "../lib/engine/rego/values/value.ts";

const HTTP_API = `package httpapi.authz

import rego.v1

# bob is alice's manager, and betty is charlie's.
subordinates := {"alice": [], "charlie": [], "bob": ["alice"], "betty": ["charlie"]}

default allow := false

# Allow users to get their own salaries.
allow if {
	input.method == "GET"
	input.path == ["finance", "salary", input.user]
	token.payload.user == input.user
}

# Allow managers to get their subordinates' salaries.
allow if {
	some username
	input.method == "GET"
	input.path = ["finance", "salary", username]
	token.payload.user == input.user
	username in subordinates[input.user]
}

# Allow HR members to get anyone's salary.
allow if {
	input.method == "GET"
	input.path = ["finance", "salary", _]
	token.payload.hr == true
}

token := {"payload": payload} if {
	[_, payload, _] := io.jwt.decode(input.token)
}
`;

const AGENT_TOOLS = `package agents.tools

import rego.v1

default decision := {"allow": false, "reasons": ["no rule allowed the call"]}

decision := {"allow": true, "reasons": []} if {
	count(deny) == 0
	count(grants) > 0
}

decision := {"allow": false, "reasons": sort([r | some r in deny])} if count(deny) > 0

grants contains tool if {
	some role in input.principal.roles
	some tool in data.roles[role].tools
	tool == input.tool.name
}

grants contains input.tool.name if {
	some g in data.delegations
	g.to == input.agent.id
	g.tool == input.tool.name
	time.parse_rfc3339_ns(g.expires) > time.now_ns()
}

deny contains sprintf("agent %s exceeded depth %d", [input.agent.id, max_depth]) if {
	count(input.chain) > max_depth
}

deny contains sprintf("tool %s is blocked for %s", [input.tool.name, input.agent.kind]) if {
	input.tool.name in data.blocked[input.agent.kind]
}

deny contains "write outside workspace" if {
	input.tool.action == "write"
	not startswith(input.tool.args.path, concat("/", ["", "workspaces", input.task.workspace]))
}

deny contains msg if {
	some hop in input.chain
	not hop.verified
	msg := sprintf("unverified hop %s", [hop.agent])
}

deny contains "external network" if {
	input.tool.name == "http_fetch"
	not net.cidr_contains("10.0.0.0/8", input.tool.args.ip)
	not glob.match("*.internal.example.com", ["."], input.tool.args.host)
}

deny contains "budget exceeded" if {
	spent := sum([c.cost | some c in input.task.calls])
	spent + object.get(input.tool, "cost", 0) > data.budgets[input.task.tier]
}

max_depth := 3 if input.agent.kind == "subagent"
max_depth := 6 if input.agent.kind != "subagent"
`;

function b64url(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString("base64url");
}
const token = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ user: "bob", hr: false })}.c2ln`;

const agentData = fromJs({
  roles: { analyst: { tools: ["search", "read_file", "http_fetch"] }, engineer: { tools: ["read_file", "write_file", "run_tests"] } },
  delegations: [{ to: "agent-7", tool: "deploy", expires: "2030-01-01T00:00:00Z" }],
  blocked: { subagent: ["deploy", "delete_repo"], agent: ["delete_repo"] },
  budgets: { free: 10, pro: 1000 },
});
const agentInput = fromJs({
  principal: { id: "alice", roles: ["analyst", "engineer"] },
  agent: { id: "agent-7", kind: "subagent" },
  tool: { name: "write_file", action: "write", args: { path: "/workspaces/w1/notes.md" }, cost: 2 },
  task: { workspace: "w1", tier: "pro", calls: [{ cost: 1 }, { cost: 3 }, { cost: 5 }] },
  chain: [
    { agent: "planner", verified: true },
    { agent: "agent-7", verified: true },
  ],
});

function bench(name: string, run: () => Value | undefined, expected: string, ms = 3000): void {
  const result = run();
  const first = result === undefined ? "undefined" : toJsonText(result);
  for (let i = 0; i < 2000; i++) run();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) run();
    n += 200;
  }
  const secs = (performance.now() - start) / 1000;
  console.log(`${name}: ${Math.round(n / secs).toLocaleString("en-US")} evaluations/s (result ${first}${first.includes(expected) ? "" : ` — UNEXPECTED, want ${expected}`})`);
}

const http = compileRego([{ file: "httpapi.rego", source: HTTP_API }]);
const httpInput = fromJs({ method: "GET", path: ["finance", "salary", "alice"], user: "bob", token });
bench("http api authz (io.jwt.decode)", () => http.query("data.httpapi.authz.allow = x", { input: httpInput, now: new Date() }).bindings[0]?.get("x"), "true");

const agents = compileRego([{ file: "agents.rego", source: AGENT_TOOLS }], agentData);
const now = new Date("2026-01-01T00:00:00Z");
bench("agent tool policy", () => agents.query("data.agents.tools.decision = x", { input: agentInput, now }).bindings[0]?.get("x"), "allow");
