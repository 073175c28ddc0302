import type { GroupFields } from '../../domain/groups.js';
import type { GroupRecord } from '../../store/store.js';
import { seconds } from './common.js';

/** The optional members of CreateGroup and UpdateGroup. */
export interface WireGroupFields {
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
}

export const groupFieldsFromWire = (input: WireGroupFields): GroupFields => ({
  description: input.Description, roleArn: input.RoleArn, precedence: input.Precedence,
});

/** GroupType; absent fields are left out rather than sent as null. */
export const groupToWire = (g: GroupRecord) => ({
  GroupName: g.name,
  UserPoolId: g.poolId,
  Description: g.description ?? undefined,
  RoleArn: g.roleArn ?? undefined,
  Precedence: g.precedence ?? undefined,
  LastModifiedDate: seconds(g.updatedAt),
  CreationDate: seconds(g.createdAt),
});
