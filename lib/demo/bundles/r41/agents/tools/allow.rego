# MCP tool invocations by agents at the agent gateway. The decision (`allow`) is an object:
# {"allow": bool, "reasons": [why not]}; the gateway denies whenever reasons is non-empty.
# r41: sub-agents act with their own token's scopes; high-risk tools capped at 50k.
package agents.tools

import data.agents.registry
import data.agents.token

tool := registry.tools[input.resource.id]

# The token the agent presented. The gateway sometimes calls without one (internal retries); the
# agent's registered grant stands in for the token's scopes then.
claims := token.claims(input.token)

scopes := token.scopes(claims)

scopes := {s | some s in registry.agents[input.subject.id].scopes} if not input.token

# The tool's risk: meant as the registry's, else what the MCP server declares. Both definitions
# always apply, so a server that declares a risk other than the registry's makes this function
# conflict and the decision fail (an evaluation error, no result).
risk(resource) := registry.tools[resource.id].risk

risk(resource) := resource.risk

reasons contains "unknown tool" if not tool

reasons contains sprintf("missing scope %s", [tool.scope]) if not tool.scope in scopes

reasons contains "token expired" if token.expired(claims)

reasons contains sprintf("amount %v over the agent limit %v", [input.args.amount, registry.limits.high_risk_amount]) if {
	risk(input.resource) == "high"
	is_number(input.args.amount)
	input.args.amount > registry.limits.high_risk_amount
}

allow := {"allow": count(reasons) == 0, "reasons": reasons}
