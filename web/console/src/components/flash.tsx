import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';

/** Shows the message a previous page passed in navigation state ({ flash }), e.g. "User pool deleted." */
export function Flash({ message }: { message?: string }) {
  const location = useLocation();
  const fromState = (location.state as { flash?: string } | null)?.flash;
  const text = message ?? fromState;
  const [dismissed, setDismissed] = useState<string | undefined>();
  useEffect(() => setDismissed(undefined), [text]);
  if (!text || dismissed === text) return null;
  return (
    <div className="callout callout-success" role="status">
      <p>{text}</p>
      <button type="button" className="callout-close" aria-label="Dismiss" onClick={() => setDismissed(text)}>
        ×
      </button>
    </div>
  );
}
