# Envoy ext_authz for the agent gateway's HTTP API: a route table names the scope each route
# requires; the bearer token must grant it. Routes without an entry are denied.
package envoy.authz

import data.agents.token

http := input.attributes.request.http

# The bearer token: the Authorization header, or the one a sidecar forwards after refreshing it.
# Both are read, so a request carrying two different tokens fails to evaluate (a conflict).
bearer(headers) := substring(headers.authorization, count("Bearer "), -1) if startswith(headers.authorization, "Bearer ")

bearer(headers) := headers["x-forwarded-access-token"]

claims := token.claims(bearer(http.headers))

# The scope of the route matching method and path ("*" matches one segment; routes must not overlap).
required_scope := route.scope if {
	some route in data.envoy.authz.routes
	route.method == http.method
	matches(route.path, input.parsed_path)
}

matches(pattern, path) if {
	segments := split(trim_prefix(pattern, "/"), "/")
	count(segments) == count(path)
	every i, segment in segments {
		segment in {"*", path[i]}
	}
}

allowed if {
	required_scope in token.scopes(claims)
	not token.expired(claims)
}

default allowed := false

allow := {
	"allowed": allowed,
	"headers": {"x-ext-authz-check": verdict},
	"http_status": status,
}

verdict := "allowed" if allowed
else := "denied"

status := 200 if allowed
else := 403
