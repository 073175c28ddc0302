const TONES: Record<string, string> = {
  CONFIRMED: 'badge-ok',
  UNCONFIRMED: 'badge-warn',
  FORCE_CHANGE_PASSWORD: 'badge-warn',
  RESET_REQUIRED: 'badge-warn',
  Disabled: 'badge-off',
  Enabled: 'badge-ok',
};

/** A user status (CONFIRMED, UNCONFIRMED…) or Enabled/Disabled as a coloured label. */
export function StatusBadge({ value }: { value: string | undefined }) {
  const text = value ?? 'UNKNOWN';
  return <span className={`badge ${TONES[text] ?? 'badge-neutral'}`}>{text}</span>;
}
