# Delegation tokens (RFC 8693 token exchange) as the IdP issues them: `sub` is the human, nested
# `act` names the acting agents with the current one outermost, `scope` is space-separated.
# Signatures are verified by the gateway before OPA is asked, so the policies only decode.
package agents.token

# The claims of a compact JWT.
claims(jwt) := payload if {
	[_, payload, _] := io.jwt.decode(jwt)
}

# The scopes a token grants.
scopes(payload) := {s | some s in split(payload.scope, " "); s != ""}

# The agent that delegated to the current actor (`act.act.sub`), for sub-agents only.
parent(payload) := payload.act.act.sub

# A token is fresh until its `exp` (seconds); time.now_ns is the decision time.
expired(payload) if payload.exp * 1000000000 <= time.now_ns()
