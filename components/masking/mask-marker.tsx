// A masked value where no Reveal is offered (aggregate views: rankings, task list, impact counts):
// only the marker. An investigator reveals the value on a record page, which names one record.
import "./masking.css";

export function MaskMarker({ marker }: { marker: string }) {
  return (
    <span className="mask-marker" title="Masked by the sensitive-field rules; open a record to reveal it (with a reason)">
      {marker}
    </span>
  );
}
