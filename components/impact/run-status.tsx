// An impact run's status as a coloured word.
const CLASS: Record<string, string> = {
  queued: "effect",
  running: "effect effect-conditional",
  cancelling: "effect effect-conditional",
  cancelled: "effect",
  done: "effect effect-allow",
  failed: "effect effect-deny",
};

export function RunStatusBadge({ status }: { status: string }) {
  return <span className={CLASS[status] ?? "effect"}>{status}</span>;
}
