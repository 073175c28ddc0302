import type { UserRecord } from '../../store/store.js';
import { attributesToWire, seconds } from './common.js';

/** UserType (ListUsers) and the AdminGetUser response. */
export const userToWire = (u: UserRecord, only?: string[]) => ({
  Username: u.username,
  Attributes: attributesToWire(u.attributes, only),
  UserCreateDate: seconds(u.createdAt),
  UserLastModifiedDate: seconds(u.updatedAt),
  Enabled: u.enabled,
  UserStatus: u.status,
});

export const adminUserToWire = (u: UserRecord) => {
  const { Attributes, ...rest } = userToWire(u);
  return { ...rest, UserAttributes: Attributes, UserMFASettingList: [] };
};
