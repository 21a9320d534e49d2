// Server-side glue between a masked record and the detail page's sections: a JSON block that gets
// Reveal controls when something under it is masked (else the plain, script-free JsonBlock), and a
// fact value that shows a masked marker with its Reveal control.
import type { ReactNode } from "react";
import { isMaskMarker, type MaskedField } from "@/lib/masking/mask";
import { JsonBlock } from "../json-block";
import { MaskedJson } from "./masked-json";
import { MaskedValue } from "./masked-value";
import type { RevealTarget } from "./reveal-types";
import "./masking.css";

export interface RecordMasking {
  recordId: string;
  source: "entry" | "raw";
  masked: MaskedField[];
  /** Pointer of an object or array of the masked document (same references as the views read). */
  pointerOf: (value: unknown) => string | undefined;
  canReveal: boolean;
}

const escape = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** Pointer of `parent[key]` when `parent` is an object of the masked document. */
export function childPointer(masking: RecordMasking | undefined, parent: unknown, key: string | number): string | undefined {
  const base = masking?.pointerOf(parent);
  return base === undefined ? undefined : `${base}/${escape(String(key))}`;
}

export function maskedUnder(masked: MaskedField[], base: string): { pointer: string; label: string }[] {
  return masked.filter((m) => m.pointer === base || m.pointer.startsWith(`${base}/`)).map((m) => ({ pointer: m.pointer.slice(base.length), label: m.label }));
}

export function RecordJson({ value, label, masking, pointer, copyId }: { value: unknown; label: string; masking?: RecordMasking; pointer?: string; copyId?: string }) {
  const base = pointer ?? masking?.pointerOf(value);
  if (!masking || base === undefined) {
    return (
      <>
        <JsonBlock value={value} label={label} copyId={copyId} />
        {masking && isMaskMarker(value) ? <p className="muted masking-note">Masked; reveal it in the raw record below.</p> : null}
      </>
    );
  }
  const fields = maskedUnder(masking.masked, base);
  if (fields.length === 0) return <JsonBlock value={value} label={label} copyId={copyId} />;
  return (
    <MaskedJson
      value={value}
      masked={fields}
      target={{ recordId: masking.recordId, source: masking.source, basePointer: base }}
      label={label}
      copyId={copyId}
      canReveal={masking.canReveal}
    />
  );
}

/** A fact's value: itself, or a marker with a Reveal control when the value is masked. */
export function factValue(value: string | undefined, pointer: string | undefined, masking: RecordMasking | undefined, what: string): ReactNode {
  if (value === undefined || !isMaskMarker(value) || !masking) return value;
  if (pointer === undefined) return <span className="mask-marker">{value}</span>;
  const target: RevealTarget = { recordId: masking.recordId, source: masking.source, path: pointer };
  return <MaskedValue marker={value} target={target} canReveal={masking.canReveal} what={what} />;
}
