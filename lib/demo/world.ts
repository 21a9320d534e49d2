// The cast and props of the demo world: people who start tasks, the agents and sub-agents that act
// for them, the resources and tools they reach, and the PDP fleet that decides.

export interface Human {
  id: string;
  roles: string[];
  department: string;
}

export const HUMANS: readonly Human[] = [
  { id: "alice", roles: ["user", "finance"], department: "finance" },
  { id: "bob", roles: ["user", "finance"], department: "finance" },
  { id: "carol", roles: ["user", "support"], department: "support" },
  { id: "dave", roles: ["user", "engineering"], department: "engineering" },
  { id: "erin", roles: ["user", "research"], department: "research" },
  { id: "frank", roles: ["user", "support"], department: "support" },
  { id: "grace", roles: ["user", "finance", "approver"], department: "finance" },
  { id: "heidi", roles: ["user", "admin"], department: "it" },
];

export type TaskType = "payments" | "research" | "support" | "code" | "scheduling" | "direct";

export interface AgentDef {
  id: string;
  task: TaskType;
  /** Scopes the IdP grants this agent when a human delegates to it. */
  scopes: string[];
  subAgents: SubAgentDef[];
  userAgent: string;
}

export interface SubAgentDef {
  id: string;
  /** Normally a subset of the parent's scopes (attenuation). */
  scopes: string[];
}

export const AGENTS: readonly AgentDef[] = [
  {
    id: "agent:payments-bot",
    task: "payments",
    scopes: ["payments:read", "payments:initiate", "payments:execute", "documents:read", "fx:quote"],
    subAgents: [
      { id: "agent:fx-quoter", scopes: ["fx:quote", "payments:read"] },
      { id: "agent:ledger-reader", scopes: ["payments:read", "documents:read"] },
    ],
    userAgent: "agent-gateway/2.3.1 (payments-bot)",
  },
  {
    id: "agent:research-assistant",
    task: "research",
    scopes: ["documents:read", "documents:write", "search:web"],
    subAgents: [
      { id: "agent:web-search", scopes: ["search:web"] },
      { id: "agent:summarizer", scopes: ["documents:read"] },
    ],
    userAgent: "agent-gateway/2.3.1 (research-assistant)",
  },
  {
    id: "agent:support-triage",
    task: "support",
    scopes: ["tickets:read", "tickets:write", "documents:read"],
    subAgents: [{ id: "agent:kb-lookup", scopes: ["documents:read"] }],
    userAgent: "agent-gateway/2.3.1 (support-triage)",
  },
  {
    id: "agent:code-reviewer",
    task: "code",
    scopes: ["repos:read", "tickets:write", "github:issues"],
    subAgents: [],
    userAgent: "agent-gateway/2.2.0 (code-reviewer)",
  },
  {
    id: "agent:scheduler",
    task: "scheduling",
    scopes: ["calendar:write"],
    subAgents: [],
    userAgent: "agent-gateway/2.2.0 (scheduler)",
  },
];

/** Tools reachable through MCP servers, authorized by OPA at the agent gateway. */
export interface ToolDef {
  id: string;
  server: string;
  scope: string;
  risk: "low" | "high";
}

export const TOOLS: Record<string, ToolDef> = {
  fxQuote: { id: "mcp://fx/quote", server: "fx-mcp", scope: "fx:quote", risk: "low" },
  transfer: { id: "mcp://stripe/transfer", server: "stripe-mcp", scope: "payments:execute", risk: "high" },
  refund: { id: "mcp://stripe/refund", server: "stripe-mcp", scope: "payments:refund", risk: "high" },
  webSearch: { id: "mcp://search/web", server: "search-mcp", scope: "search:web", risk: "low" },
  driveRead: { id: "mcp://drive/read", server: "drive-mcp", scope: "documents:read", risk: "low" },
  driveShare: { id: "mcp://drive/share", server: "drive-mcp", scope: "documents:share", risk: "high" },
  githubIssue: { id: "mcp://github/create_issue", server: "github-mcp", scope: "github:issues", risk: "low" },
  zendeskUpdate: { id: "mcp://zendesk/update", server: "zendesk-mcp", scope: "tickets:write", risk: "low" },
};

export const CERBOS_PDPS = ["cerbos-pdp-1", "cerbos-pdp-2"] as const;
export type CerbosPdp = (typeof CERBOS_PDPS)[number];

export const OPA_VERSION = "1.12.1";
export const IDP_ISSUER = "https://idp.acme.example";

/** A person's mailbox as the IdP and the gateway report it (principal attribute, `email` claim). */
export function emailOf(humanId: string): string {
  return `${humanId}@acme.example`;
}
export const POLICY_REPO = "https://git.acme.example/security/agent-policies.git";
/** Where the Cerbos git store finds the policies inside POLICY_REPO. */
export const POLICY_SUBDIRECTORY = "policies";
