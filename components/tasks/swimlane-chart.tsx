"use client";
// The waterfall: one lane per actor, one mark per hop, coloured by decision, flagged hops ringed,
// parent→child links drawn under the marks (dashed when inferred). Plain SVG, no per-hop React state:
// one click handler on the marks group reads the hop id from the element, so 2,000 hops stay cheap.
import { memo, type MouseEvent, useCallback, useMemo } from "react";
import type { Lane, TimelineHop, TimelineLink } from "@/lib/views/swimlanes";
import { scaleTime, type TimeDomain, timeTicks } from "@/lib/views/time-scale";

export const LANE_HEIGHT = 34;
export const LABEL_WIDTH = 210;
const AXIS_HEIGHT = 24;
const MARK_W = 7;
const MARK_H = 18;
const laneY = (lane: number) => AXIS_HEIGHT + lane * LANE_HEIGHT + LANE_HEIGHT / 2;

/** A hop's mark. Same-instant hops of a lane (one check, several actions) split the height so each stays clickable. */
function markBox(h: TimelineHop, cx: number): { x: number; y: number; w: number; h: number } {
  if (h.slots <= 1) return { x: cx - MARK_W / 2, y: laneY(h.lane) - MARK_H / 2, w: MARK_W, h: MARK_H };
  const total = LANE_HEIGHT - 6;
  const each = total / h.slots;
  return { x: cx - MARK_W / 2, y: laneY(h.lane) - total / 2 + h.slot * each, w: MARK_W, h: Math.max(each - 1, 1.5) };
}

interface Props {
  lanes: Lane[];
  hops: TimelineHop[];
  links: TimelineLink[];
  view: TimeDomain;
  width: number;
  selected: string | null;
  onSelect: (hopId: string) => void;
}

function markTitle(h: TimelineHop): string {
  const lines = [`${h.decidedAt} · ${h.action} ${h.resource} → ${h.effect}`, `by ${h.chain.map((c) => c.id).join(" → ")}`];
  for (const f of h.flags) lines.push(`⚑ ${f.code}: ${f.reason}`);
  if (h.inferred) lines.push("joined by inference");
  return lines.join("\n");
}

const Marks = memo(function Marks({ hops, links, x, laneY }: { hops: TimelineHop[]; links: TimelineLink[]; x: (t: number) => number; laneY: (lane: number) => number }) {
  const byId = new Map(hops.map((h) => [h.hopId, h]));
  return (
    <>
      <g className="tl-links" aria-hidden="true">
        {links.map((l) => {
          const a = byId.get(l.from);
          const b = byId.get(l.to);
          if (!a || !b) return null;
          const x1 = x(a.t);
          const y1 = laneY(a.lane);
          const x2 = x(b.t);
          const y2 = laneY(b.lane);
          const mid = (x1 + x2) / 2;
          return (
            <path
              key={`${l.from}-${l.to}`}
              d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`}
              className={l.inferred ? "tl-link tl-link-inferred" : "tl-link"}
            />
          );
        })}
      </g>
      {hops.map((h) => {
        const b = markBox(h, x(h.t));
        const ring = h.slots > 1 ? 1.5 : 3;
        return (
          <g key={h.hopId} data-hop={h.hopId} className={`tl-mark tl-${h.decision}${h.flags.length ? " tl-flagged" : ""}`}>
            <title>{markTitle(h)}</title>
            {h.flags.length ? <rect className="tl-flag-ring" x={b.x - 3} y={b.y - ring} width={b.w + 6} height={b.h + ring * 2} rx={3} /> : null}
            <rect className="tl-bar" x={b.x} y={b.y} width={b.w} height={b.h} rx={2} strokeDasharray={h.inferred ? "2 2" : undefined} />
          </g>
        );
      })}
    </>
  );
});

export function SwimlaneChart({ lanes, hops, links, view, width, selected, onSelect }: Props) {
  const plotWidth = Math.max(width - LABEL_WIDTH - 16, 100);
  const height = AXIS_HEIGHT + lanes.length * LANE_HEIGHT + 8;
  // Stable while only the selection changes, so the memoised marks do not re-render on a click.
  const x = useCallback((t: number) => scaleTime({ from: view.from, to: view.to }, plotWidth)(t), [view.from, view.to, plotWidth]);
  const { visible, visibleLinks } = useMemo(() => {
    const visible = hops.filter((h) => h.t >= view.from && h.t <= view.to);
    const ids = new Set(visible.map((h) => h.hopId));
    return { visible, visibleLinks: links.filter((l) => ids.has(l.from) || ids.has(l.to)) };
  }, [hops, links, view.from, view.to]);
  const sel = selected ? hops.find((h) => h.hopId === selected) : undefined;
  const ticks = timeTicks(view, Math.max(2, Math.floor(plotWidth / 110)));

  function onClick(event: MouseEvent<SVGGElement>) {
    const id = (event.target as Element).closest("[data-hop]")?.getAttribute("data-hop");
    if (id) onSelect(id);
  }

  return (
    <svg
      className="tl-chart"
      width={width}
      height={height}
      role="img"
      aria-label={`Timeline of ${hops.length} hops in ${lanes.length} actor lanes`}
      data-testid="task-timeline-chart"
    >
      <g className="tl-lanes">
        {lanes.map((lane, i) => (
          <g key={lane.actor} transform={`translate(0, ${AXIS_HEIGHT + i * LANE_HEIGHT})`}>
            <rect className={i % 2 ? "tl-lane tl-lane-odd" : "tl-lane"} x={0} y={0} width={width} height={LANE_HEIGHT} />
            <text className="tl-lane-label" x={8 + (lane.depth - 1) * 12} y={LANE_HEIGHT / 2 + 4}>
              <title>{`${lane.actor} (${lane.kind}, depth ${lane.depth}): ${lane.hopCount} hops, ${lane.denyCount} denied, ${lane.flaggedCount} flagged`}</title>
              {lane.depth > 1 ? "↳ " : ""}
              {lane.actor.length > 26 ? `${lane.actor.slice(0, 25)}…` : lane.actor}
            </text>
          </g>
        ))}
      </g>
      <g transform={`translate(${LABEL_WIDTH}, 0)`}>
        <g className="tl-axis" aria-hidden="true">
          {ticks.map((t) => (
            <g key={t.t} transform={`translate(${x(t.t)}, 0)`}>
              <line y1={AXIS_HEIGHT - 4} y2={height} className="tl-grid" />
              <text y={AXIS_HEIGHT - 8} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
        </g>
        <g className="tl-marks" onClick={onClick}>
          <Marks hops={visible} links={visibleLinks} x={x} laneY={laneY} />
        </g>
        {sel && sel.t >= view.from && sel.t <= view.to ? (
          <rect
            className="tl-selected"
            x={markBox(sel, x(sel.t)).x - 4}
            y={markBox(sel, x(sel.t)).y - 3}
            width={MARK_W + 8}
            height={markBox(sel, x(sel.t)).h + 6}
            rx={4}
            pointerEvents="none"
          />
        ) : null}
      </g>
    </svg>
  );
}
