// Deny spikes (an hour well above its trailing baseline) with their top contributors; the window and
// each contributor open the explorer on that hour's denials (a masked contributor shows its marker,
// without a link: the URL would carry the value).
import Link from "next/link";
import { MaskMarker } from "@/components/masking/mask-marker";
import type { MaskedSpike } from "@/lib/masking/aggregate-views";
import type { ExplorerFilters } from "@/lib/explorer/query-params";
import { formatUtc } from "@/lib/explorer/format";
import { spikeHref } from "@/lib/views/trends-links";

export function SpikesList({ spikes, filters }: { spikes: MaskedSpike[]; filters: ExplorerFilters }) {
  if (spikes.length === 0) return <p className="muted">No deny spikes in this window (an hour must reach 3σ and twice its 24-hour baseline, with at least 5 denials).</p>;
  return (
    <ul className="spikes" aria-label="Deny spikes">
      {[...spikes].reverse().map((s) => (
        <li key={s.from} className="spike">
          <Link href={spikeHref(filters, s)} className="spike-window">
            {formatUtc(s.from).replace(".000 UTC", "")} – {formatUtc(s.to).slice(11).replace(".000 UTC", "")} UTC
          </Link>{" "}
          <strong>{s.denials} denials</strong> <span className="muted">(baseline {s.baselineMean} ± {s.baselineStdDev})</span>
          <div className="contributors">
            {s.contributors.map((c) =>
              c.masked ? (
                <span key={`${c.dimension}:${c.value}`} className="contributor">
                  <span className="muted">{c.dimension}</span> <MaskMarker marker={c.value} /> <span className="ranked-count">{c.denials}</span>
                </span>
              ) : (
                <Link key={`${c.dimension}:${c.value}`} href={spikeHref(filters, s, c)} className="contributor">
                  <span className="muted">{c.dimension}</span> {c.value} <span className="ranked-count">{c.denials}</span>
                </Link>
              ),
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
