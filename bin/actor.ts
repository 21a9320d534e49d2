// Who the CLI acts as in the audit trail: the operating-system user at this host.
import os from "node:os";

export function cliActor(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`;
}
