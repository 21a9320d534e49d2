"use client";
// Pretty-printed JSON (the same text as JSON.stringify(value, null, 2)) in which masked values carry a
// Reveal control; a reveal asks for a reason and then shows the value in place. Subtrees without masked
// values are printed as plain text, so a large record costs a few text nodes, not one element per key.
import { Fragment, type ReactNode, useMemo, useState } from "react";
import { CopyButton } from "../copy-button";
import { RevealForm } from "./reveal-form";
import type { RevealTarget } from "./reveal-types";
import "./masking.css";

export interface MaskedJsonField {
  /** Pointer relative to `value` ("" when the whole value is masked). */
  pointer: string;
  label: string;
}

interface Props {
  value: unknown;
  masked: MaskedJsonField[];
  /** The document and the pointer of `value` in it; a field's reveal path is basePointer + its pointer. */
  target: Omit<RevealTarget, "path"> & { basePointer: string };
  label: string;
  copyId?: string;
  canReveal: boolean;
}

const pad = (n: number) => "  ".repeat(n);
const indented = (value: unknown, indent: number) => (JSON.stringify(value, null, 2) ?? "undefined").replace(/\n/g, `\n${pad(indent)}`);
const escapeSegment = (k: string | number) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

export function MaskedJson({ value, masked, target, label, copyId, canReveal }: Props) {
  const [revealed, setRevealed] = useState<Record<string, unknown>>({});
  const [asking, setAsking] = useState<MaskedJsonField | null>(null);
  const { exact, ancestors } = useMemo(() => {
    const exact = new Map(masked.map((m) => [m.pointer, m]));
    const ancestors = new Set<string>();
    for (const m of masked) for (let p = m.pointer; p.includes("/"); ) ancestors.add((p = p.slice(0, p.lastIndexOf("/"))));
    return { exact, ancestors };
  }, [masked]);

  function render(node: unknown, pointer: string, indent: number): ReactNode {
    const field = exact.get(pointer);
    if (field) {
      if (pointer in revealed) {
        return (
          <span className="revealed" title="Revealed: recorded in the audit trail">
            {indented(revealed[pointer], indent)}
          </span>
        );
      }
      return (
        <>
          <span className="mask-marker">{JSON.stringify(node)}</span>
          {canReveal ? (
            <button
              type="button"
              className="reveal-button"
              aria-label={`Reveal ${field.label} at ${target.basePointer}${pointer}`}
              aria-expanded={asking?.pointer === pointer}
              onClick={() => setAsking(asking?.pointer === pointer ? null : field)}
            />
          ) : null}
        </>
      );
    }
    if (!ancestors.has(pointer) || node === null || typeof node !== "object") return indented(node, indent);
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node as Record<string, unknown>);
    const [open, close] = Array.isArray(node) ? ["[", "]"] : ["{", "}"];
    return (
      <>
        {open}
        {"\n"}
        {entries.map(([k, v], i) => (
          <Fragment key={String(k)}>
            {pad(indent + 1)}
            {typeof k === "string" ? `${JSON.stringify(k)}: ` : null}
            {render(v, `${pointer}/${escapeSegment(k)}`, indent + 1)}
            {i < entries.length - 1 ? ",\n" : "\n"}
          </Fragment>
        ))}
        {pad(indent)}
        {close}
      </>
    );
  }

  return (
    <div className="json-block">
      {copyId ? <CopyButton targetId={copyId} label={`Copy ${label}`} /> : null}
      <pre id={copyId} aria-label={label} tabIndex={0}>
        {render(value, "", 0)}
      </pre>
      {asking ? (
        <RevealForm
          what={`the ${asking.label} at ${target.basePointer}${asking.pointer}`}
          request={{ recordId: target.recordId, source: target.source, path: `${target.basePointer}${asking.pointer}`, hopId: target.hopId, tokenPath: target.tokenPath }}
          onCancel={() => setAsking(null)}
          onRevealed={(body) => {
            setRevealed((r) => ({ ...r, [asking.pointer]: body.value }));
            setAsking(null);
          }}
        />
      ) : null}
    </div>
  );
}
