import type { Operation } from '../operation.js';
import AdminConfirmSignUp from './admin-confirm-sign-up.js';
import AdminCreateUser from './admin-create-user.js';
import AdminDeleteUser from './admin-delete-user.js';
import AdminDisableUser from './admin-disable-user.js';
import AdminEnableUser from './admin-enable-user.js';
import AdminGetUser from './admin-get-user.js';
import AdminInitiateAuth from './admin-initiate-auth.js';
import AdminResetUserPassword from './admin-reset-user-password.js';
import AdminRespondToAuthChallenge from './admin-respond-to-auth-challenge.js';
import AdminSetUserPassword from './admin-set-user-password.js';
import AdminUserGlobalSignOut from './admin-user-global-sign-out.js';
import ChangePassword from './change-password.js';
import ConfirmForgotPassword from './confirm-forgot-password.js';
import ConfirmSignUp from './confirm-sign-up.js';
import CreateUserPoolClient from './create-user-pool-client.js';
import CreateUserPool from './create-user-pool.js';
import DeleteUserPoolClient from './delete-user-pool-client.js';
import DeleteUserPool from './delete-user-pool.js';
import DeleteUser from './delete-user.js';
import DescribeUserPoolClient from './describe-user-pool-client.js';
import DescribeUserPool from './describe-user-pool.js';
import ForgotPassword from './forgot-password.js';
import GetTokensFromRefreshToken from './get-tokens-from-refresh-token.js';
import GetUser from './get-user.js';
import GlobalSignOut from './global-sign-out.js';
import InitiateAuth from './initiate-auth.js';
import ListUserPoolClients from './list-user-pool-clients.js';
import ListUserPools from './list-user-pools.js';
import ListUsers from './list-users.js';
import ResendConfirmationCode from './resend-confirmation-code.js';
import RespondToAuthChallenge from './respond-to-auth-challenge.js';
import RevokeToken from './revoke-token.js';
import SignUp from './sign-up.js';
import UpdateUserPoolClient from './update-user-pool-client.js';
import UpdateUserPool from './update-user-pool.js';

/** Every operation Cognate serves; test/api/registry.test.ts keeps this list, the folder and docs/operations.md in step. */
export const OPERATIONS: readonly Operation<never>[] = [
  AdminConfirmSignUp as Operation<never>,
  AdminCreateUser as Operation<never>,
  AdminDeleteUser as Operation<never>,
  AdminDisableUser as Operation<never>,
  AdminEnableUser as Operation<never>,
  AdminGetUser as Operation<never>,
  AdminInitiateAuth as Operation<never>,
  AdminResetUserPassword as Operation<never>,
  AdminRespondToAuthChallenge as Operation<never>,
  AdminSetUserPassword as Operation<never>,
  AdminUserGlobalSignOut as Operation<never>,
  ChangePassword as Operation<never>,
  ConfirmForgotPassword as Operation<never>,
  ConfirmSignUp as Operation<never>,
  CreateUserPool as Operation<never>,
  CreateUserPoolClient as Operation<never>,
  DeleteUser as Operation<never>,
  DeleteUserPool as Operation<never>,
  DeleteUserPoolClient as Operation<never>,
  DescribeUserPool as Operation<never>,
  DescribeUserPoolClient as Operation<never>,
  ForgotPassword as Operation<never>,
  GetTokensFromRefreshToken as Operation<never>,
  GetUser as Operation<never>,
  GlobalSignOut as Operation<never>,
  InitiateAuth as Operation<never>,
  ListUserPoolClients as Operation<never>,
  ListUserPools as Operation<never>,
  ListUsers as Operation<never>,
  ResendConfirmationCode as Operation<never>,
  RespondToAuthChallenge as Operation<never>,
  RevokeToken as Operation<never>,
  SignUp as Operation<never>,
  UpdateUserPool as Operation<never>,
  UpdateUserPoolClient as Operation<never>,
];
