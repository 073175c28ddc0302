/**
 * The base of every error that reaches the wire. `type` is the Cognito `__type`, `status` the HTTP
 * status. Only `expose`d errors show their message to the client; anything else is answered as
 * InternalErrorException and its cause is logged only (see api/plugin.ts).
 */
export class CognitoError extends Error {
  readonly type: string;
  readonly status: number;
  readonly expose: boolean = true;

  constructor(type: string, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.type = type;
    this.status = status;
    this.name = type;
  }
}

export interface CognitoErrorClass {
  new (message?: string, options?: { cause?: unknown }): CognitoError;
  readonly type: string;
  readonly status: number;
  readonly defaultMessage: string;
}

/** Makes the class for one wire error type. */
export function defineError(type: string, status: number, defaultMessage: string): CognitoErrorClass {
  const cls = class extends CognitoError {
    static readonly type = type;
    static readonly status = status;
    static readonly defaultMessage = defaultMessage;
    constructor(message: string = defaultMessage, options?: { cause?: unknown }) {
      super(type, status, message, options);
    }
  };
  Object.defineProperty(cls, 'name', { value: type });
  return cls;
}
