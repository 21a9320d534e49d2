// What random requests against the conformance store draw from (taken from the store's policies).
import type { Vocabulary } from "./random-requests.ts";

export const CONFORMANCE_STORE_VOCABULARY: Vocabulary = {
  kinds: ["account", "album:object", "all_any_none", "archive_record", "calendar_entry", "doc", "equipment_request", "example", "global", "import_derived_roles_that_import_variables", "import_variables", "leave_request", "missing_attr", "purchase_order", "runtime_effective_derived_roles", "temple_relic", "variables_referencing_variables", "salary_record", "unknown_kind"],
  versions: ["20210210", "default", "staging", "nope"],
  scopes: ["", "acme", "acme.hr", "acme.hr.uk", "acme.hr.uk.brighton", "acme.hr.uk.brighton.kemptown", "acme.hr.uk.bristol", "acme.hr.uk.london", "acme.sales", "acme.hr.uk.brighton.kemptown.deep", "other", "."],
  roles: ["20210210_admin", "acme_assistant", "acme_creator", "acme_jr_admin", "acme_london_employee", "acme_travel_agent", "admin", "boss", "dev", "employee", "expedition_member", "manager", "moderator", "organiser", "party_person", "qa", "relic_specialist", "support", "system:basic_user", "system:ro_user", "user", "nobody"],
  actions: ["a", "acme_action", "aid", "all", "any", "approve", "assign", "assist", "b", "beach_stroll", "block", "c", "camelCase", "cancel", "check_scope_and_version", "create", "defer", "delete", "deny", "duplicate", "edit", "error", "export", "flag", "frobnicate", "invite", "list", "make", "move", "nonaction", "none", "party", "party_plan", "plan", "read", "redirect", "reject", "remind", "resend", "snake_case", "suggest", "swim", "test", "update", "use", "view", "view-as-vip", "view:public", "view:private", "write"],
  principalIds: ["john", "bev", "donald_duck", "daisy_duck", "frodo", "scrooge_mcduck", "terry_tibbs", "andy"],
  attrKeys: ["a", "amount", "b", "city", "copy_cat", "department", "dev_record", "email", "flagged", "foo", "geography", "id", "in_party_committee", "ip", "ip_address", "is_engineer", "jobRoles", "managed_geographies", "modifiedAt", "org", "orgId", "owner", "ownerId", "ownerOrgId", "public", "reader", "status", "tags", "team", "vip"],
  values: ["marketing", "engineering", "GB", "US", "design", "john", "PENDING_APPROVAL", "DRAFT", "10.20.0.13", "10.10.1.2", "not-an-ip", "2022-08-01T15:00:00Z", "org-1", true, false, null, 0, 1, 5000, 12.5, -3, ["design", "communications"], ["a", "b"], { brands: ["x"], classes: ["A"], regions: ["EMEA"] }, {}],
};
