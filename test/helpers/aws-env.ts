/** Free of vitest, so `npm run bench` can use it too. Nothing here can reach real AWS. */

/** Environment for code under test (stores, spawned CLIs) that talks to `endpoint` with dummy keys. */
export function awsTestEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}
