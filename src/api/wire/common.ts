/** Shared wire conversions: epoch seconds for dates, Cognito's attribute lists. */
export const seconds = (ms: number) => ms / 1000;

export interface WireAttribute {
  Name: string;
  Value?: string;
}

export const attributesToWire = (attributes: Record<string, string>, only?: string[]): WireAttribute[] =>
  Object.entries(attributes)
    .filter(([name]) => !only || only.includes(name))
    .map(([Name, Value]) => ({ Name, Value }));

export const attributesFromWire = (list: WireAttribute[] | undefined) => (list ?? []).map((a) => ({ name: a.Name, value: a.Value }));

export interface WireCodeDelivery {
  Destination: string;
  DeliveryMedium: 'EMAIL';
  AttributeName: string;
}

export const deliveryToWire = (d: { destination: string; medium: 'EMAIL'; attributeName: string }): WireCodeDelivery => ({
  Destination: d.destination, DeliveryMedium: d.medium, AttributeName: d.attributeName,
});

export const authResultToWire = (t: { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number }) => ({
  AuthenticationResult: { AccessToken: t.accessToken, ExpiresIn: t.expiresIn, TokenType: 'Bearer', RefreshToken: t.refreshToken, IdToken: t.idToken },
  ChallengeParameters: {},
});

/** Opaque pagination tokens: base64url of the last key seen. */
export const encodePageToken = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
export function decodePageToken(token: string | undefined, onBad: () => Error): string | undefined {
  if (token === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw onBad();
  return Buffer.from(token, 'base64url').toString('utf8');
}
