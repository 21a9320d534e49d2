// "1,234 matching decisions", "10,000+ …" beyond the cap, or the table estimate when unfiltered.
import type { HopCount } from "@/lib/explorer/count-hops";
import { formatNumber } from "@/lib/explorer/format";

export function MatchCount({ count, filtered }: { count: HopCount; filtered: boolean }) {
  let text: string;
  if (count.matched === null) {
    text = "Too many to count quickly";
  } else if (count.capped) {
    text = `${formatNumber(count.matched)}+ ${filtered ? "matching decisions" : "decisions"}`;
    if (!filtered && count.estimatedTotal && count.estimatedTotal > count.matched) text += ` (about ${formatNumber(count.estimatedTotal)} in all)`;
  } else {
    text = `${formatNumber(count.matched)} ${filtered ? "matching " : ""}decision${count.matched === 1 ? "" : "s"}`;
  }
  return (
    <p className="match-count" data-testid="match-count" aria-live="polite">
      {text}
    </p>
  );
}
