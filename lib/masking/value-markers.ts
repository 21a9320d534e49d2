// Loose values in aggregate views (a ranking's principal, a task's actors, an impact count's agent)
// masked as the hop-document field they are, so those views follow the same rules as the explorer's
// cells: a principal id as /principal/id, an agent as /actingAgent, a resource id as /resource/id.
// Distinct masked values get distinct numbered markers ("•••• masked (email #2)"), like the task page:
// a ranking keeps one row per value (and React keys stay unique) without saying which value it is.
// Numbers belong to one masker, i.e. one page view; they mean nothing across pages. Pure.
import { type HopField, maskHopRow } from "./hop-document.ts";
import { detectValue, maskJson, maskMarker } from "./mask.ts";
import type { RuleSet } from "./rules.ts";

/**
 * A hop-document field; or "actor": an id seen as acting agent and as actor-chain member (masked if
 * either rule says so); "role": a principal role; "text": free text (a search), which only the
 * detectors can judge.
 */
export type ValueField = HopField | "actor" | "role" | "text";

export interface MaskedValueInfo {
  marker: string;
  /** Detector or rule label ("email", "ip", "id"). */
  label: string;
}

export class ValueMasker {
  private readonly checked = new Map<string, string | null>();
  private readonly markers = new Map<string, string>();
  private readonly perLabel = new Map<string, number>();

  constructor(private readonly rules: RuleSet) {}

  /** The label the rules mask `value` with as `field`, or null when it stays visible. */
  labelOf(value: string, field: ValueField): string | null {
    const key = `${field}\u0000${value}`;
    const cached = this.checked.get(key);
    if (cached !== undefined) return cached;
    let label: string | null;
    if (field === "text") {
      label = detectValue(value, this.rules);
    } else if (field === "role") {
      label = maskHopRow({ roles: [value] }, this.rules).masked["roles.0"]?.label ?? null;
    } else if (field === "actor") {
      const { masked } = maskHopRow({ actingAgent: value, actorChain: [value] }, this.rules);
      label = (masked.actingAgent ?? masked["actorChain.0"])?.label ?? null;
    } else {
      label = maskHopRow({ [field]: value } as Partial<Record<HopField, string>>, this.rules).masked[field]?.label ?? null;
    }
    this.checked.set(key, label);
    return label;
  }

  /** The marker for `value` as `field` (the same value always gets the same marker), or null. */
  mask(value: string | null | undefined, field: ValueField): MaskedValueInfo | null {
    if (value === null || value === undefined || value === "") return null;
    const label = this.labelOf(value, field);
    if (label === null) return null;
    const key = `${label}\u0000${value}`;
    let marker = this.markers.get(key);
    if (!marker) {
      const n = (this.perLabel.get(label) ?? 0) + 1;
      this.perLabel.set(label, n);
      marker = maskMarker(`${label} #${n}`);
      this.markers.set(key, marker);
    }
    return { marker, label };
  }

  /** The value, or its marker when the rules mask it. */
  text<T extends string | null | undefined>(value: T, field: ValueField): T | string {
    return this.mask(value, field)?.marker ?? value;
  }

  /**
   * A "kind:id" resource label (as tasks and rankings show resources): kind and id masked separately
   * ("payment:•••• masked (email #1)"). Text without a colon is an id.
   */
  resource(label: string): { text: string; masked: boolean } {
    const i = label.indexOf(":");
    if (i <= 0) {
      const m = this.mask(label, "resourceId");
      return { text: m?.marker ?? label, masked: !!m };
    }
    const kind = this.mask(label.slice(0, i), "resourceKind");
    const id = this.mask(label.slice(i + 1), "resourceId");
    return { text: `${kind?.marker ?? label.slice(0, i)}:${id?.marker ?? label.slice(i + 1)}`, masked: !!(kind || id) };
  }
}

/**
 * An ingest batch's origin (an HTTP push's client address or user agent, an uploaded file's name, a CLI
 * path) is not part of any record: it is matched as `batch.origin`, so the detectors mask an address
 * (a forwarding list included) and a rule naming `batch.origin` masks any origin. The marker, or null.
 */
export function maskBatchOrigin(origin: string | null, rules: RuleSet): string | null {
  if (!origin) return null;
  const hit = maskJson({ batch: { origin } }, rules).masked[0];
  return hit ? maskMarker(hit.label) : null;
}
