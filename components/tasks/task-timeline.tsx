"use client";
// The task timeline: swimlanes, brush, flagged hops, hop list and hop panel. Zoom (`from`/`to`) and the
// open hop (`hop`) live in the URL through history.replaceState (Next keeps useSearchParams in sync), so
// any view is a link without a server round trip per click.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatUtc } from "@/lib/explorer/format";
import type { SwimlaneModel } from "@/lib/views/swimlanes";
import { type TimeDomain, zoomAround } from "@/lib/views/time-scale";
import { FlagBadge } from "./flag-badges";
import { HopList } from "./hop-list";
import type { FieldMask } from "@/lib/masking/task-view";
import { HopPanel } from "./hop-panel";
import { LABEL_WIDTH, SwimlaneChart } from "./swimlane-chart";
import { TimeBrush } from "./time-brush";

interface Props {
  /** Path of this task's page, e.g. /tasks/task%3Aabc. */
  basePath: string;
  model: SwimlaneModel;
  /** Hop id → hop-panel field → reveal target, for fields the masking rules masked (lib/masking/task-view.ts). */
  masked?: Record<string, Record<string, FieldMask>>;
  canReveal?: boolean;
  initialZoom: TimeDomain | null;
  initialHop: string | null;
  nowMs: number;
}

function spanText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The page's own URL for a view; the same on server and client (no hydration mismatch). */
function urlFor(basePath: string, zoom: TimeDomain | null, hop: string | null): string {
  const params = new URLSearchParams();
  if (zoom) {
    params.set("from", new Date(Math.floor(zoom.from)).toISOString());
    params.set("to", new Date(Math.ceil(zoom.to)).toISOString());
  }
  if (hop) params.set("hop", hop);
  const qs = params.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

export function TaskTimeline({ basePath, model, initialZoom, initialHop, nowMs, masked, canReveal = false }: Props) {
  const { lanes, hops, links, domain } = model;
  const byId = useMemo(() => new Map(hops.map((h) => [h.hopId, h])), [hops]);
  const [zoom, setZoom] = useState<TimeDomain | null>(initialZoom);
  const [selected, setSelected] = useState<string | null>(initialHop && byId.has(initialHop) ? initialHop : null);
  const [width, setWidth] = useState(1200);
  const wrapRef = useRef<HTMLDivElement>(null);
  const first = useRef(true);
  const view = zoom ?? domain;

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(Math.floor(entry.contentRect.width), 480)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Deep link: open the hop's panel and bring it into view once.
  useEffect(() => {
    if (selected) document.getElementById("hop-panel")?.scrollIntoView({ block: "start" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.history.replaceState(window.history.state, "", urlFor(basePath, zoom, selected));
  }, [basePath, zoom, selected]);

  const select = useCallback((hopId: string) => {
    setSelected(hopId);
    requestAnimationFrame(() => {
      document.getElementById(`hop-row-${hopId}`)?.scrollIntoView({ block: "nearest" });
      document.getElementById("hop-panel")?.scrollIntoView({ block: "nearest" });
    });
  }, []);

  const hrefFor = useCallback((hopId: string) => urlFor(basePath, zoom, hopId), [basePath, zoom]);
  const inView = useMemo(() => hops.filter((h) => h.t >= view.from && h.t <= view.to), [hops, view.from, view.to]);
  const laneNames = useMemo(() => lanes.map((l) => l.actor), [lanes]);
  const flagged = useMemo(() => hops.filter((h) => h.flags.length > 0), [hops]);
  const sel = selected ? byId.get(selected) : undefined;

  function zoomBy(factor: number) {
    const center = sel && sel.t >= view.from && sel.t <= view.to ? sel.t : (view.from + view.to) / 2;
    setZoom(zoomAround(view, domain, center, factor));
  }

  return (
    <div className="task-timeline" ref={wrapRef}>
      <div className="tl-toolbar" role="toolbar" aria-label="Timeline zoom">
        <button type="button" onClick={() => zoomBy(0.5)}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoomBy(2)} disabled={!zoom}>
          Zoom out
        </button>
        <button type="button" onClick={() => setZoom(null)} disabled={!zoom}>
          Reset zoom
        </button>
        <span className="muted" data-testid="timeline-window">
          {formatUtc(new Date(view.from).toISOString())} – {formatUtc(new Date(view.to).toISOString())} ({spanText(view.to - view.from)}
          {zoom ? ", zoomed" : ""}) · {inView.length} of {hops.length} hops
        </span>
        <span className="tl-legend" aria-hidden="true">
          <span className="tl-key tl-allow">allow</span>
          <span className="tl-key tl-deny">deny</span>
          <span className="tl-key tl-other">other</span>
          <span className="tl-key tl-key-flag">flagged</span>
          <span className="tl-key tl-key-inferred">inferred</span>
        </span>
      </div>
      <div className="tl-frame">
        <SwimlaneChart lanes={lanes} hops={hops} links={links} view={view} width={width} selected={selected} onSelect={select} />
        <TimeBrush domain={domain} hops={hops} view={view} width={width} offset={LABEL_WIDTH} onZoom={setZoom} />
      </div>

      {flagged.length ? (
        <section className="panel flagged-hops" aria-labelledby="flagged-title">
          <h2 id="flagged-title">Flagged hops ({flagged.length})</h2>
          <ul>
            {flagged.map((h) => (
              <li key={h.hopId} className={h.hopId === selected ? "highlight" : undefined}>
                {h.flags.map((f, i) => (
                  <FlagBadge key={`${f.code}-${i}`} code={f.code} reason={f.reason} />
                ))}{" "}
                <a
                  href={hrefFor(h.hopId)}
                  onClick={(e) => {
                    e.preventDefault();
                    select(h.hopId);
                  }}
                >
                  Show hop {h.hopId}
                </a>{" "}
                <span className="muted">
                  {laneNames[h.lane]} · {h.action} {h.resource}
                </span>
                <div className="flag-reason">{h.flags.map((f) => f.reason).join(" · ")}</div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="tl-details">
        <HopList hops={inView} lanes={laneNames} selected={selected} onSelect={select} hrefFor={hrefFor} />
        {sel ? (
          <HopPanel hop={sel} byId={byId} nowMs={nowMs} onSelect={select} masked={masked?.[sel.hopId]} canReveal={canReveal} />
        ) : (
          <section className="panel hop-panel hop-panel-empty" aria-label="Hop details">
            <p className="muted">Click a mark on the timeline or a row to see that decision: actor chain, delegated scopes, token claims, policy.</p>
          </section>
        )}
      </div>
    </div>
  );
}
