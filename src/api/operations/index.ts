import type { Operation } from '../operation.js';
import AddCustomAttributes from './add-custom-attributes.js';
import AdminAddUserToGroup from './admin-add-user-to-group.js';
import AdminConfirmSignUp from './admin-confirm-sign-up.js';
import AdminCreateUser from './admin-create-user.js';
import AdminDeleteUserAttributes from './admin-delete-user-attributes.js';
import AdminDeleteUser from './admin-delete-user.js';
import AdminDisableUser from './admin-disable-user.js';
import AdminEnableUser from './admin-enable-user.js';
import AdminGetUser from './admin-get-user.js';
import AdminInitiateAuth from './admin-initiate-auth.js';
import AdminListGroupsForUser from './admin-list-groups-for-user.js';
import AdminRemoveUserFromGroup from './admin-remove-user-from-group.js';
import AdminResetUserPassword from './admin-reset-user-password.js';
import AdminRespondToAuthChallenge from './admin-respond-to-auth-challenge.js';
import AdminSetUserPassword from './admin-set-user-password.js';
import AdminUpdateUserAttributes from './admin-update-user-attributes.js';
import AdminUserGlobalSignOut from './admin-user-global-sign-out.js';
import ChangePassword from './change-password.js';
import ConfirmForgotPassword from './confirm-forgot-password.js';
import ConfirmSignUp from './confirm-sign-up.js';
import CreateGroup from './create-group.js';
import CreateUserPoolClient from './create-user-pool-client.js';
import CreateUserPool from './create-user-pool.js';
import DeleteGroup from './delete-group.js';
import DeleteUserAttributes from './delete-user-attributes.js';
import DeleteUserPoolClient from './delete-user-pool-client.js';
import DeleteUserPool from './delete-user-pool.js';
import DeleteUser from './delete-user.js';
import DescribeUserPoolClient from './describe-user-pool-client.js';
import DescribeUserPool from './describe-user-pool.js';
import ForgotPassword from './forgot-password.js';
import GetCSVHeader from './get-csv-header.js';
import GetGroup from './get-group.js';
import GetTokensFromRefreshToken from './get-tokens-from-refresh-token.js';
import GetUserAttributeVerificationCode from './get-user-attribute-verification-code.js';
import GetUser from './get-user.js';
import GlobalSignOut from './global-sign-out.js';
import InitiateAuth from './initiate-auth.js';
import ListGroups from './list-groups.js';
import ListUserPoolClients from './list-user-pool-clients.js';
import ListUserPools from './list-user-pools.js';
import ListUsersInGroup from './list-users-in-group.js';
import ListUsers from './list-users.js';
import ResendConfirmationCode from './resend-confirmation-code.js';
import RespondToAuthChallenge from './respond-to-auth-challenge.js';
import RevokeToken from './revoke-token.js';
import SetUserSettings from './set-user-settings.js';
import SignUp from './sign-up.js';
import UpdateGroup from './update-group.js';
import UpdateUserAttributes from './update-user-attributes.js';
import UpdateUserPoolClient from './update-user-pool-client.js';
import UpdateUserPool from './update-user-pool.js';
import VerifyUserAttribute from './verify-user-attribute.js';

/** Every operation Cognate serves; test/api/registry.test.ts keeps this list, the folder and docs/operations.md in step. */
export const OPERATIONS: readonly Operation<never>[] = [
  AddCustomAttributes as Operation<never>,
  AdminAddUserToGroup as Operation<never>,
  AdminConfirmSignUp as Operation<never>,
  AdminCreateUser as Operation<never>,
  AdminDeleteUser as Operation<never>,
  AdminDeleteUserAttributes as Operation<never>,
  AdminDisableUser as Operation<never>,
  AdminEnableUser as Operation<never>,
  AdminGetUser as Operation<never>,
  AdminInitiateAuth as Operation<never>,
  AdminListGroupsForUser as Operation<never>,
  AdminRemoveUserFromGroup as Operation<never>,
  AdminResetUserPassword as Operation<never>,
  AdminRespondToAuthChallenge as Operation<never>,
  AdminSetUserPassword as Operation<never>,
  AdminUpdateUserAttributes as Operation<never>,
  AdminUserGlobalSignOut as Operation<never>,
  ChangePassword as Operation<never>,
  ConfirmForgotPassword as Operation<never>,
  ConfirmSignUp as Operation<never>,
  CreateGroup as Operation<never>,
  CreateUserPool as Operation<never>,
  CreateUserPoolClient as Operation<never>,
  DeleteGroup as Operation<never>,
  DeleteUser as Operation<never>,
  DeleteUserAttributes as Operation<never>,
  DeleteUserPool as Operation<never>,
  DeleteUserPoolClient as Operation<never>,
  DescribeUserPool as Operation<never>,
  DescribeUserPoolClient as Operation<never>,
  ForgotPassword as Operation<never>,
  GetCSVHeader as Operation<never>,
  GetGroup as Operation<never>,
  GetTokensFromRefreshToken as Operation<never>,
  GetUser as Operation<never>,
  GetUserAttributeVerificationCode as Operation<never>,
  GlobalSignOut as Operation<never>,
  InitiateAuth as Operation<never>,
  ListGroups as Operation<never>,
  ListUserPoolClients as Operation<never>,
  ListUserPools as Operation<never>,
  ListUsers as Operation<never>,
  ListUsersInGroup as Operation<never>,
  ResendConfirmationCode as Operation<never>,
  RespondToAuthChallenge as Operation<never>,
  RevokeToken as Operation<never>,
  SetUserSettings as Operation<never>,
  SignUp as Operation<never>,
  UpdateGroup as Operation<never>,
  UpdateUserAttributes as Operation<never>,
  UpdateUserPool as Operation<never>,
  UpdateUserPoolClient as Operation<never>,
  VerifyUserAttribute as Operation<never>,
];
