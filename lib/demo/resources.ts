// Resource instances the demo tasks touch, with the attributes the policies read.

import type { DemoResource } from "./cerbos-decide.ts";
import { hex } from "./ids.ts";
import type { Rng } from "./prng.ts";
import { HUMANS, type Human, type ToolDef } from "./world.ts";

const VENDORS = ["Northwind Logistics GmbH", "Contoso Cloud", "Globex Supplies", "Initech Consulting", "Umbrella Travel", "Acme Office"];
const CURRENCIES = ["USD", "EUR", "GBP", "USD", "USD"];
const CLASSIFICATIONS = [["public", 3], ["internal", 5], ["confidential", 3]] as const;

export function payment(rng: Rng, owner: Human): DemoResource {
  // Log-uniform amounts from 50 to ~90k: most payments small, a tail of large ones.
  const amount = Math.round(50 * Math.pow(1800, rng.next()) * 100) / 100;
  return {
    kind: "payment",
    id: `pay-${hex(rng, 10)}`,
    scope: "acme.finance",
    attr: { amount: rng.chance(0.03) ? "n/a" : amount, currency: rng.pick(CURRENCIES), vendor: rng.pick(VENDORS), owner: owner.id, status: "draft" },
  };
}

export function document(rng: Rng, near: Human): DemoResource {
  const owner = rng.chance(0.6) ? near : rng.pick(HUMANS);
  return {
    kind: "document",
    id: `doc-${hex(rng, 8)}`,
    attr: { owner: owner.id, department: owner.department, classification: rng.weighted(CLASSIFICATIONS), title: `${rng.pick(["Q3", "Q4", "FY26", "Draft", "Final"])} ${rng.pick(["report", "contract", "invoice", "notes", "plan", "spec"])}` },
    // Rarely a client pins a policy version nobody deployed: Cerbos answers NO_MATCH.
    policyVersion: rng.chance(0.01) ? "v2" : undefined,
  };
}

export function invoice(rng: Rng, owner: Human): DemoResource {
  return { kind: "document", id: `inv-${hex(rng, 8)}`, attr: { owner: owner.id, department: "finance", classification: "internal", title: "Vendor invoice" } };
}

export function ticket(rng: Rng): DemoResource {
  return {
    kind: "ticket",
    id: `TCK-${10000 + rng.int(90000)}`,
    attr: { priority: rng.pick(["low", "normal", "normal", "high", "urgent"]), customer: `cust-${hex(rng, 6)}`, assignee: rng.pick(["carol", "frank"]) },
  };
}

export function calendarEvent(rng: Rng, owner: Human): DemoResource {
  return { kind: "calendar_event", id: `evt-${hex(rng, 8)}`, attr: { owner: owner.id, attendees: rng.between(2, 9) } };
}

/** An MCP tool as the MCP server's own PEP describes it to Cerbos. */
export function mcpTool(def: ToolDef): DemoResource {
  return { kind: "mcp_tool", id: def.id, attr: { server: def.server, risk: def.risk, required_scope: def.scope } };
}
