/** Shared set-up for the aws-sdk-client-mock tests: one mocked client class, reset before each test. */
import { SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach } from 'vitest';
import { AwsStore } from '../../src/store/aws/aws-store.js';

export const sm = mockClient(SecretsManagerClient);
beforeEach(() => sm.reset());

/** A store on a mocked client (no request can leave the process) and the debug lines it wrote. */
export function mockedStore(): { store: AwsStore; lines: string[] } {
  const lines: string[] = [];
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { store: new AwsStore(client, { debug: (l) => lines.push(l) }, { target: 'http://127.0.0.1:9', region: 'us-east-1' }), lines };
}

/**
 * A service error as the SDK throws it: the base exception class with `name` set to the error code, as it
 * does for codes it has no class for (AccessDeniedException, ThrottlingException).
 */
export function rejectWith(name: string, status = 400, fault: 'client' | 'server' = 'client'): SecretsManagerServiceException {
  return new SecretsManagerServiceException({
    name,
    message: `${name}: injected`,
    $fault: fault,
    $metadata: { httpStatusCode: status, attempts: 1 },
  });
}
