import type { UserRecord } from '../../store/store.js';
import { attributesToWire, seconds } from './common.js';

/** SetUserSettings' legacy SMS MFA options (MFAOptionType), left out when there are none. */
export const mfaOptionsToWire = (u: UserRecord) =>
  u.mfaOptions.length > 0 ? u.mfaOptions.map((o) => ({ DeliveryMedium: o.deliveryMedium, AttributeName: o.attributeName })) : undefined;

/** UserType (ListUsers) and the AdminGetUser response. Values waiting for verification are never shown. */
export const userToWire = (u: UserRecord, only?: string[]) => ({
  Username: u.username,
  Attributes: attributesToWire(u.attributes, only),
  UserCreateDate: seconds(u.createdAt),
  UserLastModifiedDate: seconds(u.updatedAt),
  Enabled: u.enabled,
  UserStatus: u.status,
  MFAOptions: mfaOptionsToWire(u),
});

export const adminUserToWire = (u: UserRecord) => {
  const { Attributes, ...rest } = userToWire(u);
  return { ...rest, UserAttributes: Attributes, UserMFASettingList: [] };
};
