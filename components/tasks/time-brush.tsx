"use client";
// The brush strip under the timeline: the whole task at a glance (a tick per hop), with the zoomed
// window as a draggable box. Drag on empty space to select a window, drag the box to move it; the
// zoom is committed when the pointer is released.
import { type KeyboardEvent, type PointerEvent, useMemo, useRef, useState } from "react";
import type { TimelineHop } from "@/lib/views/swimlanes";
import { invertTime, scaleTime, type TimeDomain, zoomAround } from "@/lib/views/time-scale";

const HEIGHT = 44;

interface Props {
  domain: TimeDomain;
  hops: TimelineHop[];
  view: TimeDomain;
  width: number;
  offset: number;
  onZoom: (zoom: TimeDomain | null) => void;
}

type Drag = { mode: "new"; start: number; current: number } | { mode: "move"; grabAt: number; from: number; to: number; current: number };

export function TimeBrush({ domain, hops, view, width, offset, onZoom }: Props) {
  const plotWidth = Math.max(width - offset - 16, 100);
  const x = scaleTime(domain, plotWidth);
  const toT = invertTime(domain, plotWidth);
  const [drag, setDrag] = useState<Drag | null>(null);
  const ref = useRef<SVGSVGElement>(null);
  // Drawn once per task and width; dragging only moves the window box.
  const ticks = useMemo(() => {
    const sx = scaleTime(domain, plotWidth);
    return hops.map((h) => <line key={h.hopId} className={`tl-brush-tick tl-${h.decision}`} x1={sx(h.t)} x2={sx(h.t)} y1={8} y2={HEIGHT - 8} />);
  }, [hops, domain, plotWidth]);

  const localX = (e: PointerEvent) => {
    const box = ref.current!.getBoundingClientRect();
    return Math.min(Math.max(e.clientX - box.left - offset, 0), plotWidth);
  };

  let sel = { x1: x(view.from), x2: x(view.to) };
  if (drag?.mode === "new") sel = { x1: Math.min(drag.start, drag.current), x2: Math.max(drag.start, drag.current) };
  if (drag?.mode === "move") {
    const w = x(drag.to) - x(drag.from);
    const x1 = Math.min(Math.max(x(drag.from) + drag.current - drag.grabAt, 0), plotWidth - w);
    sel = { x1, x2: x1 + w };
  }
  const zoomed = view.from > domain.from || view.to < domain.to;

  function onPointerDown(e: PointerEvent<SVGSVGElement>) {
    if (e.button !== 0) return;
    const px = localX(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    if (zoomed && px >= sel.x1 && px <= sel.x2) setDrag({ mode: "move", grabAt: px, from: view.from, to: view.to, current: px });
    else setDrag({ mode: "new", start: px, current: px });
  }

  function onPointerMove(e: PointerEvent<SVGSVGElement>) {
    if (drag) setDrag({ ...drag, current: localX(e) });
  }

  function onPointerUp() {
    if (!drag) return;
    setDrag(null);
    if (drag.mode === "new") {
      // A click (no real drag) is not a selection.
      if (sel.x2 - sel.x1 < 4) return;
      onZoom({ from: toT(sel.x1), to: toT(sel.x2) });
    } else if (drag.current !== drag.grabAt) {
      onZoom({ from: toT(sel.x1), to: toT(sel.x2) });
    }
  }

  // Keyboard: arrows pan the window, +/- zoom around its centre, Escape shows everything.
  function onKeyDown(e: KeyboardEvent<SVGSVGElement>) {
    const width = view.to - view.from;
    const center = (view.from + view.to) / 2;
    let next: TimeDomain | null | undefined;
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      if (!zoomed) return;
      const shift = (e.key === "ArrowLeft" ? -1 : 1) * width * 0.1;
      const from = Math.min(Math.max(view.from + shift, domain.from), domain.to - width);
      next = { from, to: from + width };
    } else if (e.key === "+" || e.key === "=") next = zoomAround(view, domain, center, 0.5);
    else if (e.key === "-") next = zoomAround(view, domain, center, 2);
    else if (e.key === "Escape") next = null;
    else return;
    e.preventDefault();
    onZoom(next);
  }

  return (
    <svg
      ref={ref}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-keyshortcuts="ArrowLeft ArrowRight + - Escape"
      className="tl-brush"
      width={width}
      height={HEIGHT}
      role="slider"
      aria-label="Time window (drag to zoom; arrows pan, + and - zoom, Escape resets)"
      aria-valuemin={domain.from}
      aria-valuemax={domain.to}
      aria-valuenow={view.from}
      aria-valuetext={`${new Date(view.from).toISOString()} to ${new Date(view.to).toISOString()}`}
      data-testid="task-timeline-brush"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => setDrag(null)}
    >
      <text x={8} y={HEIGHT / 2 + 4} className="tl-brush-label">
        Brush: drag to zoom
      </text>
      <g transform={`translate(${offset}, 0)`}>
        <rect className="tl-brush-bg" x={0} y={2} width={plotWidth} height={HEIGHT - 4} rx={3} />
        <g aria-hidden="true">{ticks}</g>
        {zoomed || drag ? (
          <>
            <rect className="tl-brush-shade" x={0} y={2} width={Math.max(sel.x1, 0)} height={HEIGHT - 4} />
            <rect className="tl-brush-shade" x={sel.x2} y={2} width={Math.max(plotWidth - sel.x2, 0)} height={HEIGHT - 4} />
            <rect className="tl-brush-window" x={sel.x1} y={2} width={Math.max(sel.x2 - sel.x1, 1)} height={HEIGHT - 4} />
          </>
        ) : null}
      </g>
    </svg>
  );
}
