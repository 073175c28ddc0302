/**
 * js/config.js in the Wild Rydes workshop's format, plus the `endpoint` a self-hosted site passes to
 * amazon-cognito-identity-js (`new CognitoUserPool({ UserPoolId, ClientId, endpoint })`).
 */
export function configJs(opts: { poolId: string; clientId: string; endpoint: string; invokeUrl?: string }): string {
  const region = opts.poolId.split('_')[0];
  const q = (s: string) => JSON.stringify(s).replace(/'/g, "\\'").slice(1, -1);
  return `window._config = {
    cognito: {
        userPoolId: '${q(opts.poolId)}',
        userPoolClientId: '${q(opts.clientId)}',
        region: '${q(region ?? '')}',
        endpoint: '${q(opts.endpoint.endsWith('/') ? opts.endpoint : `${opts.endpoint}/`)}'
    },
    api: {
        invokeUrl: '${q(opts.invokeUrl ?? '')}'
    }
};
`;
}
