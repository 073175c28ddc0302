import { InvalidParameterException } from '../errors/catalog.js';
import type { MfaOption, PoolRecord, UserRecord } from '../store/store.js';
import type { DomainDeps } from './deps.js';

/**
 * SetUserSettings: Cognito's legacy per-user SMS MFA switch, which takes only `SMS` to `phone_number`
 * (an empty list switches it off; amazon-cognito-identity-js's enableMFA / disableMFA send exactly
 * these). Cognate keeps the setting as given and shows it (MFAOptions) but sends no SMS, so it never
 * asks for a code at sign-in.
 */
export async function setUserSettings(
  deps: DomainDeps,
  pool: PoolRecord,
  user: UserRecord,
  options: { deliveryMedium?: string; attributeName?: string }[],
): Promise<void> {
  for (const o of options) {
    // [U] Cognito's wording for anything but SMS to phone_number is not known.
    if (o.deliveryMedium !== 'SMS' || o.attributeName !== 'phone_number') {
      throw new InvalidParameterException('Only the SMS delivery medium to phone_number can be set in MFAOptions.');
    }
  }
  const mfaOptions: MfaOption[] = options.length > 0 ? [{ deliveryMedium: 'SMS', attributeName: 'phone_number' }] : [];
  await deps.store.users.update(pool.id, user.username, { mfaOptions }, deps.now());
  deps.log.info({ poolId: pool.id, sub: user.sub, sms: mfaOptions.length > 0 }, 'user MFA options set');
}
